/**
 * Writing chalk's log lines to stderr, best effort. A stderr that is full, or a pipe whose
 * reader has gone (`chalk insert 2>&1 | head -1`), must not end the run: an insert stopped
 * between marking files and reporting them leaves marks in the files and no report anywhere,
 * and a run stopped at its first log line exits 1 having done nothing. So a failed write of a
 * log line is dropped and the run goes on to its reports and its own exit status. (chalk's
 * stdout output is another matter: internal/stdout.ts.)
 *
 * @module
 */
import { writeAllSync } from "./write_all.ts";

/** Writes all of `bytes` to stderr; a failure drops them. */
export function writeStderr(bytes: Uint8Array): void {
  try {
    writeAllSync(Deno.stderr, bytes);
  } catch {
    // Nowhere left to say it: the line is lost, the run is not.
  }
}
