/**
 * Writing chalk's own output (help, version, completions, dump) to stdout: all of it, and a
 * failure as one line naming the stream, `stdout: no space left on device` (exit 1), not Deno's
 * bare `No space left on device (os error 28)`, which names no file (docs/decisions.md,
 * "One-line errors").
 *
 * @module
 */
import { ChalkError, osErrorReason } from "./errors.ts";
import { writeAll, writeAllSync } from "./write_all.ts";

const encoder = new TextEncoder();

/** `which: <reason>` for a write to a standard stream that failed. */
export function streamWriteError(which: "stdout" | "stderr", e: unknown): ChalkError {
  return new ChalkError(`${which}: ${osErrorReason(e)}`);
}

/** Writes `text` (or bytes) to stdout, synchronously, all of it. */
export function writeStdoutSync(text: string | Uint8Array): void {
  try {
    writeAllSync(Deno.stdout, typeof text === "string" ? encoder.encode(text) : text);
  } catch (e) {
    throw streamWriteError("stdout", e);
  }
}

/** Writes `bytes` to stdout, all of them. */
export async function writeStdout(bytes: Uint8Array): Promise<void> {
  try {
    await writeAll(Deno.stdout, bytes);
  } catch (e) {
    throw streamWriteError("stdout", e);
  }
}
