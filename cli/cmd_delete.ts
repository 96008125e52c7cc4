/**
 * `chalk delete [PATH...]`: remove chalk marks from artifacts.
 *
 * @module
 */
import type { Command } from "commander";
import { scanningCommand } from "./cmd_insert.ts";
import type { Runner } from "./program.ts";
import { examplesText } from "../internal/help_examples.ts";

/** Adds `delete` to the command tree. */
export function defineDelete(program: Command, run: Runner): void {
  scanningCommand(program, "delete", "remove chalk marks from artifacts")
    .addHelpText(
      "after",
      examplesText([
        ["chalk delete app", "remove the mark; app still runs"],
      ]),
    )
    .action((paths: string[], _o: unknown, c: Command) =>
      run(c, async (ctx) => (await import("../ops/delete.ts")).deleteMarks(ctx, paths), paths)
    );
}
