/**
 * `chalk load <file|URL|default>`: replace the configuration embedded in
 * this program.
 *
 * @module
 */
import type { Command } from "commander";
import { loadConfig } from "../ops/load.ts";
import type { Runner } from "./main.ts";

/** Adds `load` to the command tree. */
export function defineLoad(program: Command, run: Runner): void {
  program.command("load <source>")
    .description(
      "replace the configuration embedded in this program (file, http(s) URL or 'default')",
    )
    .option(
      "-o, --output <path>",
      "write the reconfigured program there instead of replacing this one",
    )
    .action((source: string, o: { output?: string }, c: Command) =>
      run(c, (ctx) => loadConfig(ctx, source, { output: o.output }), [source])
    );
}
