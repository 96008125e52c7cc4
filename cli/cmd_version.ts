/**
 * `chalk version`: chalk-ts's version, commit, platform and packaging.
 *
 * @module
 */
import type { Command } from "commander";
import { showVersion } from "../ops/version.ts";
import type { Runner } from "./program.ts";
import { examplesText } from "../internal/help_examples.ts";

/** Adds `version` to the command tree. */
export function defineVersion(program: Command, run: Runner): void {
  program.command("version").description("show chalk-ts's version")
    .addHelpText(
      "after",
      examplesText([
        ["chalk version", "chalk-ts's version and build"],
      ]),
    )
    .action((_o: unknown, c: Command) => run(c, showVersion));
}
