/**
 * `chalk __report-files` (hidden): the files full reports are appended to, as configured.
 *
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "./program.ts";

/** Adds `__report-files` to the command tree. */
export function defineReportFiles(program: Command, run: Runner): void {
  program.command("__report-files", { hidden: true })
    .description("print the files the configuration appends full reports to (used by the action)")
    .action((_o: unknown, c: Command) =>
      run(c, async (ctx) => (await import("../ops/report_files.ts")).printReportFiles(ctx))
    );
}
