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

import type { ByteView } from "./byte_view.ts";

/** The bytes [from, to) of the artifact, unchanged. */
export interface SourceRange {
  readonly from: number;
  readonly to: number;
}

/** A value the executor fills in: the mark's text, or the raw HASH digest (32 bytes). */
export interface Slot {
  readonly slot: "mark" | "hash";
}

/** Where the mark text goes (an insert plan has exactly one). */
export const MARK_SLOT: Slot = Object.freeze({ slot: "mark" });
/** Where the raw 32-byte HASH digest goes. */
export const HASH_SLOT: Slot = Object.freeze({ slot: "hash" });

/** One piece of planned content. */
export type Piece = SourceRange | Uint8Array | Slot;

/** New content (or hash input) as pieces, in order. */
export type ContentPlan = readonly Piece[];

/** The bytes that fill the slots of a plan. */
export interface SlotValues {
  mark?: Uint8Array;
  hash?: Uint8Array;
}

/** True for a {@link SourceRange}. */
export function isRange(p: Piece): p is SourceRange {
  return !(p instanceof Uint8Array) && "from" in p;
}

/** True for a {@link Slot}. */
export function isSlot(p: Piece): p is Slot {
  return !(p instanceof Uint8Array) && "slot" in p;
}

/** The whole artifact as a plan: one range. */
export function wholeArtifact(size: number): ContentPlan {
  return size > 0 ? [{ from: 0, to: size }] : [];
}

/** The bytes filling `slot`; throws when they were not given. */
export function slotBytes(slot: Slot, values: SlotValues): Uint8Array {
  const bytes = slot.slot === "mark" ? values.mark : values.hash;
  if (!bytes) throw new Error(`no value for the ${slot.slot} slot of a content plan`);
  return bytes;
}

/** The plan's length in bytes once its slots are filled with `values`. */
export function planLength(plan: ContentPlan, values: SlotValues = {}): number {
  let n = 0;
  for (const p of plan) {
    if (p instanceof Uint8Array) n += p.length;
    else if (isRange(p)) n += p.to - p.from;
    else n += slotBytes(p, values).length;
  }
  return n;
}

/**
 * The plan as byte views over `view` (in memory: no copy of the ranges),
 * slots filled from `values`.
 */
export function renderPlan(
  plan: ContentPlan,
  view: ByteView,
  values: SlotValues = {},
): Uint8Array[] {
  return plan.map((p) => {
    if (p instanceof Uint8Array) return p;
    if (isRange(p)) return view.bytes(p.from, p.to - p.from);
    return slotBytes(p, values);
  });
}
