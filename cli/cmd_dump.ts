/**
 * `chalk dump [FILE]`: the embedded configuration text exactly as loaded,
 * on stdout or into FILE.
 *
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "./program.ts";
import { examplesText } from "../internal/help_examples.ts";

/** Adds `dump` to the command tree. */
export function defineDump(program: Command, run: Runner): void {
  program.command("dump [file]")
    .description("print the embedded configuration (or write it to FILE)")
    .addHelpText(
      "after",
      examplesText([
        ["chalk dump", "print the embedded configuration"],
        ["chalk dump saved.c4m", "write it to a file"],
      ]),
    )
    .action((file: string | undefined, _o: unknown, c: Command) =>
      run(
        c,
        async (ctx) => (await import("../ops/dump.ts")).dumpConfig(ctx, file),
        file === undefined ? [] : [file],
      )
    );
}
