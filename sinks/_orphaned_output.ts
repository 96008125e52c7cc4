/**
 * The last resort for a report nothing could keep: written to the controlling terminal, or to
 * stderr when there is none (a container, CI), so that a user can still save it. Log lines
 * waiting in the buffer go first, so that the report follows the lines that explain it.
 *
 * @module
 */
import { flushLogLines } from "../internal/log_lines.ts";

/** Writes `text` to /dev/tty, else to stderr. */
export function writeOrphaned(text: string): void {
  const bytes = new TextEncoder().encode(text.endsWith("\n") ? text : `${text}\n`);
  flushLogLines();
  try {
    const tty = Deno.openSync("/dev/tty", { write: true });
    try {
      tty.writeSync(bytes);
    } finally {
      tty.close();
    }
  } catch {
    Deno.stderr.writeSync(bytes);
  }
}
