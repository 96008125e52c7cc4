/**
 * Small patches over big untouched ranges (private to `codecs/`): the ELF
 * codec rewrites a few header fields and keeps everything else as ranges of
 * the artifact.
 */

import type { ByteView } from "./byte_view.ts";
import { type Piece, renderPlan } from "./plan.ts";

/** Bytes that replace `bytes.length` bytes of the artifact at absolute offset `at`. */
export interface BytePatch {
  at: number;
  bytes: Uint8Array;
}

/**
 * The artifact range [start, end) with `patches` applied, as ranges of the
 * artifact plus small patch copies. Patches (non-overlapping) are clipped to
 * the range; those outside it are ignored.
 */
export function patchedPieces(start: number, end: number, patches: readonly BytePatch[]): Piece[] {
  const out: Piece[] = [];
  let pos = start;
  const sorted = [...patches].sort((a, b) => a.at - b.at);
  for (const p of sorted) {
    const from = Math.max(p.at, pos);
    const to = Math.min(p.at + p.bytes.length, end);
    if (to <= from) continue;
    if (from > pos) out.push({ from: pos, to: from });
    out.push(p.bytes.subarray(from - p.at, to - p.at));
    pos = to;
  }
  if (pos < end) out.push({ from: pos, to: end });
  return out;
}

/** A copy of the artifact range [start, end) with `patches` applied. */
export function readPatched(
  view: ByteView,
  start: number,
  end: number,
  patches: readonly BytePatch[],
): Uint8Array {
  const out = new Uint8Array(end - start);
  let pos = 0;
  for (const chunk of renderPlan(patchedPieces(start, end, patches), view)) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
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
