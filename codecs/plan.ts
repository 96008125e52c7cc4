/**
 * Content plans: how a codec describes bytes it does not hold. A plan is a
 * list of pieces: ranges of the artifact as it is, new bytes, and slots for
 * the two values only known later (the mark text, and the HASH digest that a
 * deleted ELF mark leaves behind). The executor in `ops/` hashes and writes
 * a plan by streaming the artifact once; in memory, {@link renderPlan} does
 * the same over a whole buffer.
 *
 * @module
 */

import { crc32 } from "node:zlib";
import type { ByteView } from "./byte_view.ts";
import { type InflatedRange, inflateRange } from "./inflate.ts";

export type { InflatedRange } from "./inflate.ts";

/** The bytes [from, to) of the artifact, unchanged. */
export interface SourceRange {
  readonly from: number;
  readonly to: number;
}

/**
 * A value the executor fills in: the mark's text, the CRC-32 of the mark's
 * text (4 bytes, little-endian: zip headers carry it), or the raw HASH
 * digest (32 bytes).
 */
export interface Slot {
  readonly slot: "mark" | "markCrc32" | "hash";
}

/** Where the mark text goes (an insert plan has exactly one). */
export const MARK_SLOT: Slot = Object.freeze({ slot: "mark" });
/** Where the CRC-32 of the mark's text goes (4 bytes, little-endian). */
export const MARK_CRC32_SLOT: Slot = Object.freeze({ slot: "markCrc32" });
/** Where the raw 32-byte HASH digest goes. */
export const HASH_SLOT: Slot = Object.freeze({ slot: "hash" });

/** One piece of planned content (inflated ranges only in hash plans). */
export type Piece = SourceRange | InflatedRange | Uint8Array | Slot;

/** New content (or hash input) as pieces, in order. */
export type ContentPlan = readonly Piece[];

/** The bytes that fill the slots of a plan. */
export interface SlotValues {
  mark?: Uint8Array;
  hash?: Uint8Array;
}

/** True for a {@link SourceRange}. */
export function isRange(p: Piece): p is SourceRange {
  return !(p instanceof Uint8Array) && "from" in p && !("inflate" in p);
}

/** True for an {@link InflatedRange}. */
export function isInflated(p: Piece): p is InflatedRange {
  return !(p instanceof Uint8Array) && "inflate" in p;
}

/** True for a {@link Slot}. */
export function isSlot(p: Piece): p is Slot {
  return !(p instanceof Uint8Array) && "slot" in p;
}

/** The whole artifact as a plan: one range. */
export function wholeArtifact(size: number): ContentPlan {
  return size > 0 ? [{ from: 0, to: size }] : [];
}

/** The bytes filling `slot`, or undefined while the value it comes from is not given. */
export function slotValue(slot: Slot, values: SlotValues): Uint8Array | undefined {
  if (slot.slot === "hash") return values.hash;
  if (slot.slot === "mark" || values.mark === undefined) return values.mark;
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(values.mark), true);
  return crc;
}

/** The bytes filling `slot`; throws when they were not given. */
export function slotBytes(slot: Slot, values: SlotValues): Uint8Array {
  const bytes = slotValue(slot, values);
  if (!bytes) throw new Error(`no value for the ${slot.slot} slot of a content plan`);
  return bytes;
}

/** The plan's length in bytes once its slots are filled with `values`. */
export function planLength(plan: ContentPlan, values: SlotValues = {}): number {
  let n = 0;
  for (const p of plan) {
    if (p instanceof Uint8Array) n += p.length;
    else if (isRange(p)) n += p.to - p.from;
    else if (isInflated(p)) n += p.inflate.size;
    else n += slotBytes(p, values).length;
  }
  return n;
}

/**
 * The plan as byte views over `view` (in memory: no copy of the ranges),
 * slots filled from `values`, inflated ranges inflated.
 */
export function renderPlan(
  plan: ContentPlan,
  view: ByteView,
  values: SlotValues = {},
): Uint8Array[] {
  return plan.flatMap((p) => {
    if (p instanceof Uint8Array) return [p];
    if (isRange(p)) return [view.bytes(p.from, p.to - p.from)];
    if (isInflated(p)) {
      const out: Uint8Array[] = [];
      inflateRange(p, (offset, max) => view.bytes(offset, max), (b) => out.push(b.slice()));
      return out;
    }
    return [slotBytes(p, values)];
  });
}
