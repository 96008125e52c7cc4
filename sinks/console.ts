/**
 * The `stdout` and `stderr` sinks: write the message, adding a newline if
 * missing, in whole lines.
 *
 * @module
 */
import type { Sink } from "./sink.ts";
import { writeAll } from "../internal/write_all.ts";

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
    let end = start;
    // Whole lines while they fit; a single longer line goes alone.
    for (let nl = bytes.indexOf(10, end); nl >= 0; nl = bytes.indexOf(10, end)) {
      if (nl + 1 - start > PIPE_BUF && end > start) break;
      end = nl + 1;
      if (end - start >= PIPE_BUF) break;
    }
    if (end === start) end = bytes.length;
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
      const text = message.endsWith("\n") ? message : message + "\n";
      for (const chunk of lineChunks(text)) await writeAll(stream, chunk);
    },
  };
}
