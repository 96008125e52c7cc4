/**
 * The one transient line chalk may keep at the bottom of a terminal (the
 * scan progress): drawn in place with `\r`, taken away before any log line
 * is written and drawn again after it, so log lines never mix with it.
 * Callers decide whether a terminal is there; this module only draws.
 *
 * @module
 */
import { writeStderr } from "./stderr.ts";

const encoder = new TextEncoder();
const CLEAR = "\r\x1b[K";
let shown = "";

/** Draws `text` as the status line (replacing the previous one). */
export function showStatus(text: string): void {
  writeStderr(encoder.encode(CLEAR + text));
  shown = text;
}

/** Takes the status line away. */
export function clearStatus(): void {
  if (shown === "") return;
  writeStderr(encoder.encode(CLEAR));
  shown = "";
}

/** Writes a whole line to stderr around the status line. */
export function writeLineAroundStatus(bytes: Uint8Array): void {
  const again = shown;
  clearStatus();
  writeStderr(bytes);
  if (again !== "") showStatus(again);
}
