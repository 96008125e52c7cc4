/**
 * The generic text search for a chalk mark (the original's
 * `findFirstValidChalkMark` + `findJsonStart`), over raw bytes.
 *
 * @module
 */

import { parseMarkJson } from "./mark_json.ts";
import { isMarkDict, MAGIC, type MarkDict } from "./mark_value.ts";

/** A mark found in an artifact: the parsed dict and the byte span of its JSON text. */
export interface FoundMark {
  /** The parsed mark, member order kept. */
  mark: MarkDict;
  /** Offset of the mark's opening `{`. */
  start: number;
  /** Offset just after the mark's closing `}`. */
  end: number;
}

const MAGIC_BYTES = new TextEncoder().encode(MAGIC);
const MAGIC_KEY = new TextEncoder().encode('"MAGIC');
const SPACE = 0x20;

/** Offset of the next MAGIC occurrence at or after `from`, or -1. */
export function indexOfMagic(bytes: Uint8Array, from: number): number {
  const first = MAGIC_BYTES[0];
  const last = bytes.length - MAGIC_BYTES.length;
  let i = bytes.indexOf(first, Math.max(0, from));
  while (i !== -1 && i <= last) {
    let k = 1;
    while (k < MAGIC_BYTES.length && bytes[i + k] === MAGIC_BYTES[k]) k++;
    if (k === MAGIC_BYTES.length) return i;
    i = bytes.indexOf(first, i + 1);
  }
  return -1;
}

/**
 * Walks backwards from the MAGIC value at `magicAt` over `"`, spaces, `:`,
 * spaces, `"MAGIC`, spaces to `{` (spaces only, no tabs or newlines), with
 * chalk's minimum-position guards. Returns the offset of `{` or -1.
 */
export function findJsonStart(bytes: Uint8Array, magicAt: number): number {
  let pos = magicAt;
  if (pos < 9) return -1;
  pos--;
  if (bytes[pos] !== 0x22) return -1;
  let ch: number;
  for (;;) {
    pos--;
    ch = bytes[pos];
    if (ch !== SPACE) break;
    if (pos < 8) return -1;
  }
  if (ch !== 0x3a) return -1;
  for (;;) {
    pos--;
    ch = bytes[pos];
    if (ch !== SPACE) break;
    if (pos < 7) return -1;
  }
  if (ch !== 0x22) return -1;
  pos -= MAGIC_KEY.length;
  if (pos < 0) return -1;
  for (let k = 0; k < MAGIC_KEY.length; k++) if (bytes[pos + k] !== MAGIC_KEY[k]) return -1;
  for (;;) {
    pos--;
    if (pos < 0) return -1;
    ch = bytes[pos];
    if (ch !== SPACE) break;
    if (pos === 0) return -1;
  }
  return ch === 0x7b ? pos : -1;
}

/**
 * Parses the mark whose MAGIC value starts at `magicAt` (backward
 * validation, then one JSON object forward), or undefined when either step
 * fails.
 */
export function markAtMagic(bytes: Uint8Array, magicAt: number): FoundMark | undefined {
  const start = findJsonStart(bytes, magicAt);
  if (start < 0) return undefined;
  try {
    const { value, end } = parseMarkJson(bytes, start);
    return isMarkDict(value) ? { mark: value, start, end } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the first valid mark at or after `from`: each MAGIC hit is
 * validated backwards to `{ "MAGIC" :` and parsed forward; a hit that fails
 * either step is skipped and the search continues after it.
 *
 * @example
 * ```ts
 * const text = new TextEncoder().encode(`# ${EMPTY_MARK}\n`);
 * findMarkInBytes(text); // { mark: Map { "MAGIC" => MAGIC }, start: 2, end: 34 }
 * ```
 */
export function findMarkInBytes(bytes: Uint8Array, from = 0): FoundMark | undefined {
  let i = indexOfMagic(bytes, from);
  while (i !== -1) {
    const found = markAtMagic(bytes, i);
    if (found) return found;
    i = indexOfMagic(bytes, i + 1);
  }
  return undefined;
}
