/**
 * `chalk dump [FILE]`: the embedded configuration text exactly as loaded,
 * on stdout or into FILE.
 *
 * @module
 */
import type { Command } from "commander";
import { dumpConfig } from "../ops/dump.ts";
import type { Runner } from "./main.ts";

/** Adds `dump` to the command tree. */
export function defineDump(program: Command, run: Runner): void {
  program.command("dump [file]")
    .description("print the embedded configuration (or write it to FILE)")
    .action((file: string | undefined, _o: unknown, c: Command) =>
      run(c, (ctx) => dumpConfig(ctx, file), file === undefined ? [] : [file])
    );
}
