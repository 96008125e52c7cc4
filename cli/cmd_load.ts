/**
 * `chalk load <file|URL|default>`: replace the configuration embedded in
 * this program.
 *
 * @module
 */
import type { Command } from "commander";
import { parseDuration, parseSize } from "../con4m/other_literals.ts";
import { UsageError } from "../internal/errors.ts";
import type { FetchLimits } from "../ops/config_source.ts";
import type { Runner } from "./program.ts";
import { examplesText } from "../internal/help_examples.ts";
import { nonEmptyPath } from "./path_option.ts";

interface LoadFlags {
  output?: string;
  timeout?: string;
  maxSize?: string;
}

/** `--timeout 45s` (a bare number is seconds) in ms. */
function timeoutMs(text: string): number {
  const usec = /^\d+$/.test(text.trim()) ? BigInt(text.trim()) * 1_000_000n : parseDuration(text);
  if (usec === undefined || usec <= 0n) {
    throw new UsageError(`--timeout: '${text}' is not a positive duration (e.g. 30s, 2 min)`);
  }
  return Number(usec / 1000n);
}

/** `--max-size 4MiB` (a bare number is bytes) in bytes. */
function maxBytes(text: string): number {
  const bytes = /^\d+$/.test(text.trim()) ? BigInt(text.trim()) : parseSize(text);
  if (bytes === undefined || bytes <= 0n || bytes > 1n << 30n) {
    throw new UsageError(`--max-size: '${text}' is not a size from 1 byte to 1 GiB (e.g. 4MiB)`);
  }
  return Number(bytes);
}

function fetchLimits(o: LoadFlags, defaults: FetchLimits): FetchLimits {
  return {
    ...defaults,
    ...(o.timeout === undefined ? {} : { timeoutMs: timeoutMs(o.timeout) }),
    ...(o.maxSize === undefined ? {} : { maxBytes: maxBytes(o.maxSize) }),
  };
}

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
      nonEmptyPath,
    )
    .option("--timeout <duration>", "give up on a URL after this long in all (default 30s)")
    .option("--max-size <size>", "refuse a larger configuration (default 1MiB)")
    .action((source: string, o: LoadFlags, c: Command) =>
      run(
        c,
        async (ctx) => {
          const { DEFAULT_FETCH_LIMITS } = await import("../ops/config_source.ts");
          const { loadConfig } = await import("../ops/load.ts");
          const fetch = fetchLimits(o, DEFAULT_FETCH_LIMITS);
          return await loadConfig(ctx, source, { output: o.output, fetch });
        },
        [source],
      )
    );
}
