/**
 * `chalk load <file|URL|default>`: replace the configuration embedded in
 * this program.
 *
 * @module
 */
import type { Command } from "commander";
import { loadConfig } from "../ops/load.ts";
import type { Runner } from "./main.ts";
import { examplesText } from "../internal/help_examples.ts";

/** Adds `load` to the command tree. */
export function defineLoad(program: Command, run: Runner): void {
  program.command("load <source>")
    .description(
      "replace the configuration embedded in this program (file, http(s) URL or 'default')",
    )
    .addHelpText(
      "after",
      examplesText([
        ["chalk load my-config.c4m", "embed a configuration in this program"],
        ["chalk load https://example.com/chalk.c4m", "the same, from a URL"],
        ["chalk load default", "back to the default configuration"],
      ]),
    )
    .option(
      "-o, --output <path>",
      "write the reconfigured program there instead of replacing this one",
    )
    .action((source: string, o: { output?: string }, c: Command) =>
      run(c, (ctx) => loadConfig(ctx, source, { output: o.output }), [source])
    );
}
