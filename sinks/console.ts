/**
 * The `stdout` and `stderr` sinks: write the message, adding a newline if
 * missing, in whole lines.
 *
 * @module
 */
import type { Sink } from "./sink.ts";
import { writeAll } from "../internal/write_all.ts";
import { streamWriteError } from "../internal/stdout.ts";
import { flushLogLines } from "../internal/log_lines.ts";

const encoder = new TextEncoder();

/**
 * POSIX makes a pipe write of at most PIPE_BUF (4096 on Linux) bytes atomic.
 * The exec reporter shares its stdout with the workload, so each write
 * carries whole lines and stays within that size where the lines allow:
 * the workload's output and chalk's lines then interleave by line, never
 * inside one.
 */
const PIPE_BUF = 4096;

/** Cuts `text` (ending with a newline) into runs of whole lines of at most PIPE_BUF bytes. */
export function lineChunks(text: string): Uint8Array[] {
  const bytes = encoder.encode(text);
  const chunks: Uint8Array[] = [];
  let start = 0;
  while (start < bytes.length) {
    // Whole lines while they fit (one search back from the limit, not one per line); a single
    // longer line goes alone.
    const last = bytes.lastIndexOf(10, Math.min(bytes.length, start + PIPE_BUF) - 1);
    let end = last + 1;
    if (last < start) {
      const next = bytes.indexOf(10, start);
      end = next < 0 ? bytes.length : next + 1;
    }
    chunks.push(bytes.subarray(start, end));
    start = end;
  }
  return chunks;
}

/** A sink writing to standard output or standard error. */
export function consoleSink(which: "stdout" | "stderr"): Sink {
  const stream = which === "stdout" ? Deno.stdout : Deno.stderr;
  return {
    async deliver(message: string): Promise<void> {
      // Log lines logged before the message come out before it (2>&1 shows them in order).
      flushLogLines();
      const text = message.endsWith("\n") ? message : message + "\n";
      try {
        for (const chunk of lineChunks(text)) await writeAll(stream, chunk);
      } catch (e) {
        throw streamWriteError(which, e); // "stdout: broken pipe (sink conf=...)"
      }
    },
  };
}
