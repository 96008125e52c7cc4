/**
 * Helpers for building new content as a list of views (private to
 * `codecs/`): small patches over big untouched ranges, without copying the
 * ranges.
 */

/** Bytes that replace `bytes.length` bytes of the source at absolute offset `at`. */
export interface BytePatch {
  at: number;
  bytes: Uint8Array;
}

/**
 * The source range [start, end) with `patches` applied, as views of the
 * source plus small patch copies. Patches (non-overlapping) are clipped to
 * the range; those outside it are ignored.
 */
export function patchedRange(
  src: Uint8Array,
  start: number,
  end: number,
  patches: readonly BytePatch[],
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let pos = start;
  const sorted = [...patches].sort((a, b) => a.at - b.at);
  for (const p of sorted) {
    const from = Math.max(p.at, pos);
    const to = Math.min(p.at + p.bytes.length, end);
    if (to <= from) continue;
    if (from > pos) out.push(src.subarray(pos, from));
    out.push(p.bytes.subarray(from - p.at, to - p.at));
    pos = to;
  }
  if (pos < end) out.push(src.subarray(pos, end));
  return out;
}

/** A copy of the source range [start, end) with `patches` applied. */
export function readPatched(
  src: Uint8Array,
  start: number,
  end: number,
  patches: readonly BytePatch[],
): Uint8Array {
  return concatChunks(patchedRange(src, start, end, patches));
}

/** Concatenates chunks into one new buffer. */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/** True when the concatenation of `chunks` equals `bytes`. */
export function chunksEqual(chunks: readonly Uint8Array[], bytes: Uint8Array): boolean {
  let pos = 0;
  for (const c of chunks) {
    if (pos + c.length > bytes.length) return false;
    const sameView = c.buffer === bytes.buffer && c.byteOffset === bytes.byteOffset + pos;
    if (!sameView) {
      for (let i = 0; i < c.length; i++) if (c[i] !== bytes[pos + i]) return false;
    }
    pos += c.length;
  }
  return pos === bytes.length;
}

/** Little-endian unsigned integer of `size` bytes (2, 4 or 8). */
export function uintLe(value: number, size: 2 | 4 | 8): Uint8Array {
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  if (size === 2) v.setUint16(0, value, true);
  else if (size === 4) v.setUint32(0, value, true);
  else v.setBigUint64(0, BigInt(value), true);
  return b;
}
