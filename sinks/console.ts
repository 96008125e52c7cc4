/** The `stdout` and `stderr` sinks: write the message, adding a newline if missing. */
import type { Sink } from "./sink.ts";
import { writeAll } from "../internal/write_all.ts";

const encoder = new TextEncoder();

/** A sink writing to standard output or standard error. */
export function consoleSink(which: "stdout" | "stderr"): Sink {
  const stream = which === "stdout" ? Deno.stdout : Deno.stderr;
  return {
    async deliver(message: string): Promise<void> {
      const text = message.endsWith("\n") ? message : message + "\n";
      await writeAll(stream, encoder.encode(text));
    },
  };
}
