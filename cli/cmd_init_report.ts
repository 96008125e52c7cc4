/**
 * `chalk __init-report <pid> -- <workload argv>` (hidden): the reporter chalk's native init
 * starts once the workload runs (docs/exec.md, "The native init").
 *
 * @module
 */
import type { Command } from "commander";
import { INIT_REPORT_COMMAND } from "../internal/container_contract.ts";
import type { Runner } from "./program.ts";

/** Adds the native init's reporter to the command tree. */
export function defineInitReport(program: Command, run: Runner): void {
  program.command(`${INIT_REPORT_COMMAND} <pid> [argv...]`, { hidden: true })
    .description("report about the workload the native init started")
    .action((pid: string, argv: string[], _o: unknown, c: Command) =>
      run(
        c,
        async (ctx) =>
          (await import("../exec/init_reporter.ts")).runInitReporter(ctx, pid, argv ?? []),
        [pid],
      )
    );
}
