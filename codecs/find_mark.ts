/**
 * The generic text search for a chalk mark (the original's
 * `findFirstValidChalkMark` + `findJsonStart`), over raw bytes.
 *
 * @module
 */

import { type ByteView, indexOfBytes, wholeView } from "./byte_view.ts";
import { MarkJsonError, parseMarkJson } from "./mark_json.ts";
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
/** The first window a mark is parsed in; it grows while the parse runs out of bytes. */
const FIRST_WINDOW = 64 * 1024;
/** Marks end within this many bytes of their start (a larger "mark" is not one). */
const MAX_MARK_BYTES = 64 * 1024 * 1024;

/** Offset of the next MAGIC occurrence at or after `from`, or -1. */
export function indexOfMagic(bytes: Uint8Array, from: number): number {
  return indexOfBytes(bytes, MAGIC_BYTES, from);
}

/**
 * Walks backwards from the MAGIC value at `magicAt` over `"`, spaces, `:`,
 * spaces, `"MAGIC`, spaces to `{` (spaces only, no tabs or newlines), with
 * chalk's minimum-position guards. Returns the offset of `{` or -1.
 */
export function findJsonStart(view: ByteView, magicAt: number): number {
  let pos = magicAt;
  if (pos < 9) return -1;
  pos--;
  if (view.byteAt(pos) !== 0x22) return -1;
  let ch: number;
  for (;;) {
    pos--;
    ch = view.byteAt(pos);
    if (ch !== SPACE) break;
    if (pos < 8) return -1;
  }
  if (ch !== 0x3a) return -1;
  for (;;) {
    pos--;
    ch = view.byteAt(pos);
    if (ch !== SPACE) break;
    if (pos < 7) return -1;
  }
  if (ch !== 0x22) return -1;
  pos -= MAGIC_KEY.length;
  if (pos < 0) return -1;
  for (let k = 0; k < MAGIC_KEY.length; k++) if (view.byteAt(pos + k) !== MAGIC_KEY[k]) return -1;
  for (;;) {
    pos--;
    if (pos < 0) return -1;
    ch = view.byteAt(pos);
    if (ch !== SPACE) break;
    if (pos === 0) return -1;
  }
  return ch === 0x7b ? pos : -1;
}

/**
 * Parses one JSON object at `start` as if the whole rest of the artifact
 * were given, reading only a window after `start`: a parse that fails at the
 * end of its window (it ran out of bytes) is retried with a larger one.
 */
function parseMarkAt(view: ByteView, start: number): FoundMark | undefined {
  const rest = view.size - start;
  let length = Math.min(rest, FIRST_WINDOW);
  for (;;) {
    const window = view.bytes(start, length);
    try {
      const { value, end } = parseMarkJson(window, 0);
      return isMarkDict(value) ? { mark: value, start, end: start + end } : undefined;
    } catch (e) {
      // Errors caused by the window's end are reported at most a few bytes before it.
      const outOfBytes = e instanceof MarkJsonError && e.offset >= length - 8 && length < rest;
      if (!outOfBytes || length >= MAX_MARK_BYTES) return undefined;
      length = Math.min(rest, length * 4, MAX_MARK_BYTES);
    }
  }
}

/**
 * Parses the mark whose MAGIC value starts at `magicAt` (backward
 * validation, then one JSON object forward), or undefined when either step
 * fails.
 */
export function markAtMagic(view: ByteView, magicAt: number): FoundMark | undefined {
  const start = findJsonStart(view, magicAt);
  return start < 0 ? undefined : parseMarkAt(view, start);
}

/**
 * Finds the first valid mark at or after `from`: each MAGIC hit is
 * validated backwards to `{ "MAGIC" :` and parsed forward; a hit that fails
 * either step is skipped and the search continues after it.
 */
export function findMark(view: ByteView, from = 0): FoundMark | undefined {
  let i = view.indexOf(MAGIC_BYTES, from);
  while (i !== -1) {
    const found = markAtMagic(view, i);
    if (found) return found;
    i = view.indexOf(MAGIC_BYTES, i + 1);
  }
  return undefined;
}

/**
 * {@link findMark} over bytes in memory.
 *
 * @example
 * ```ts
 * const text = new TextEncoder().encode(`# ${EMPTY_MARK}\n`);
 * findMarkInBytes(text); // { mark: Map { "MAGIC" => MAGIC }, start: 2, end: 34 }
 * ```
 */
export function findMarkInBytes(bytes: Uint8Array, from = 0): FoundMark | undefined {
  return findMark(wholeView(bytes), from);
}
