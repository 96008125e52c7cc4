/**
 * `chalk dump [FILE]`: the embedded configuration text exactly as loaded, on
 * stdout or into FILE; a one-line comment when the program runs the default
 * configuration.
 */
import type { RunContext } from "./run_context.ts";
import { DEFAULT_CONFIG_TEXT, embeddedConfig, selfMark } from "./self_mark.ts";
import { replaceFile } from "./file_io.ts";
import { resolve } from "../internal/posix_path.ts";
import { EXIT } from "../internal/errors.ts";
import { writeStdout } from "../internal/stdout.ts";

/** Runs `dump`: to stdout, or into `file` when given; returns the exit status. */
export async function dumpConfig(ctx: RunContext, file: string | undefined): Promise<number> {
  const text = embeddedConfig(selfMark(ctx.self)) ?? DEFAULT_CONFIG_TEXT;
  if (file === undefined) {
    // Exactly the stored text: no newline added, no filter.
    const bytes = new TextEncoder().encode(text);
    await writeStdout(bytes);
    return EXIT.ok;
  }
  const path = resolve(file);
  replaceFile(path, [new TextEncoder().encode(text)], { mode: 0o644, uid: null, gid: null });
  ctx.log.info(`${path}: configuration written`);
  return EXIT.ok;
}
