/** The `stdout` and `stderr` sinks: write the message, adding a newline if missing. */
import type { Sink } from "./sink.ts";

const encoder = new TextEncoder();

async function writeAll(stream: typeof Deno.stdout, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await stream.write(bytes.subarray(offset));
}

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
