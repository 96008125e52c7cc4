/**
 * What a codec sees of an artifact: its size and random access to its bytes,
 * without knowing where they come from. chalk's executor (`ops/file_view.ts`)
 * serves them from a file through a small block cache; tests and in-memory
 * callers use {@link wholeView}. Codecs ask only for the bytes they need (an
 * ELF header and its tables, a script's first line and its mark), so a codec
 * never causes a whole artifact to be read.
 *
 * @module
 */

/** Random access to an artifact's bytes. */
export interface ByteView {
  /** The artifact's size in bytes. */
  readonly size: number;
  /**
   * The `length` bytes at `offset` (`offset + length` must not pass {@link size}).
   * The result may be a view into a shared buffer: read it, never write to it.
   */
  bytes(offset: number, length: number): Uint8Array;
  /** The byte at `offset` (< {@link size}). */
  byteAt(offset: number): number;
  /** Offset of the first occurrence of `needle` at or after `from`, or -1. */
  indexOf(needle: Uint8Array, from: number): number;
}

function checkRange(size: number, offset: number, length: number): void {
  if (offset < 0 || length < 0 || offset + length > size) {
    throw new RangeError(`bytes ${offset}+${length} outside an artifact of ${size} bytes`);
  }
}

/** Index of `needle` in `bytes` at or after `from`, or -1 (a plain byte search). */
export function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  if (needle.length === 0) return Math.min(Math.max(0, from), bytes.length);
  const first = needle[0];
  const last = bytes.length - needle.length;
  let i = bytes.indexOf(first, Math.max(0, from));
  while (i !== -1 && i <= last) {
    let k = 1;
    while (k < needle.length && bytes[i + k] === needle[k]) k++;
    if (k === needle.length) return i;
    i = bytes.indexOf(first, i + 1);
  }
  return -1;
}

/**
 * A view over bytes already in memory.
 *
 * @example
 * ```ts
 * const view = wholeView(new TextEncoder().encode("#!/bin/sh\n"));
 * view.byteAt(0); // 0x23
 * ```
 */
export function wholeView(all: Uint8Array): ByteView {
  return {
    size: all.length,
    bytes(offset: number, length: number): Uint8Array {
      checkRange(all.length, offset, length);
      return all.subarray(offset, offset + length);
    },
    byteAt(offset: number): number {
      checkRange(all.length, offset, 1);
      return all[offset];
    },
    indexOf(needle: Uint8Array, from: number): number {
      return indexOfBytes(all, needle, from);
    },
  };
}
