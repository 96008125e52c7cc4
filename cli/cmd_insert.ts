/**
 * `chalk insert [PATH...]`: add chalk marks to artifacts (default: the
 * current folder, recursively).
 *
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "./program.ts";
import { nonEmptyName } from "./path_option.ts";
import { examplesText } from "../internal/help_examples.ts";

/** Adds the artifact-walking options `insert`, `extract` and `delete` share. */
export function scanningCommand(program: Command, name: string, summary: string): Command {
  return program.command(`${name} [paths...]`).description(summary)
    .option("-r, --recursive", "descend into folders (default)")
    .option("-R, --no-recursive", "only the named files and the files directly in named folders")
    .option("--report-template <name>", "report template for the command report", nonEmptyName);
}

/** Adds `insert` to the command tree. */
export function defineInsert(program: Command, run: Runner): void {
  scanningCommand(
    program,
    "insert",
    "add chalk marks to artifacts (default: the current folder, recursively)",
  )
    .addHelpText(
      "after",
      examplesText([
        ["chalk insert", "mark every artifact under the current folder"],
        ["chalk insert dist/app build/", "mark these files and folders"],
        ["chalk insert --virtual app", "leave app alone, record its mark in virtual-chalk.json"],
      ]),
    )
    .option("--mark-template <name>", "mark template", nonEmptyName)
    .action((paths: string[], _o: unknown, c: Command) =>
      run(c, async (ctx) => (await import("../ops/insert.ts")).insertArtifacts(ctx, paths), paths)
    );
}
