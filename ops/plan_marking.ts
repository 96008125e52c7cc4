/**
 * Marking an artifact, up to the write: HASH and PRE_CHALK_HASH, the mark
 * built from them, the new content's plan and its `_CURRENT_HASH`.
 *
 * The mark holds HASH, so the new content's hash could only start once the
 * whole artifact was read. But a codec's layout depends only on the mark's
 * length, and every hash-derived value has a fixed length: for large
 * artifacts the mark is first composed with placeholder hashes to learn its
 * length, and the new content's hash runs in the same read pass as the other
 * two, waiting at the mark's slot. Should the real mark's length differ, the
 * content is planned and hashed again. Hashes that share no bytes run side by
 * side: on libcrypto's threads, or else PRE_CHALK_HASH in a worker for large
 * artifacts.
 *
 * @module
 */
import { chalkIdFromHash } from "../codecs/identity.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { type ContentPlan, wholeArtifact } from "../codecs/plan.ts";
import { HashPass, ONE_SHOT_UNTIL } from "./hash_pass.ts";
import { hashInWorker, WORKER_WORTH } from "./hash_worker.ts";
import { hasNativeSha256 } from "../internal/sha256_native.ts";
import type { ScannedArtifact } from "./scan.ts";

/** The hashes a mark is built from (lower-case hex). */
export interface MarkHashes {
  /** HASH: the artifact as if unmarked. */
  hash: string;
  /** PRE_CHALK_HASH: the file as it is. */
  pre: string;
}

/**
 * Sets PRE_CHALK_HASH, CHALK_ID and HASH in `data`. Callers create the three
 * keys first (their place in the key order), and set them from `compose`.
 */
export function setHashKeys(data: MarkDict, hashes: MarkHashes): void {
  data.set("PRE_CHALK_HASH", hashes.pre);
  data.set("CHALK_ID", chalkIdFromHash(hashes.hash));
  data.set("HASH", hashes.hash);
}

/** What {@link planMarking} prepared. */
export interface Marking {
  hashes: MarkHashes;
  markText: string;
  markBytes: Uint8Array;
  /** The new content (its mark slot takes `markBytes`); undefined for a virtual mark. */
  plan: ContentPlan | undefined;
  /** `_CURRENT_HASH`: of the new content, or of the file as it is for a virtual mark. */
  current: string;
}

/**
 * From this size on, the new content is hashed in the first pass (see the
 * module doc); smaller artifacts are hashed whole, each plan once its bytes are known.
 */
const SPECULATE_FROM = ONE_SHOT_UNTIL;
const PLACEHOLDERS: MarkHashes = { hash: "0".repeat(64), pre: "0".repeat(64) };
const encoder = new TextEncoder();

/**
 * Hashes `scanned`, composes its mark with `compose` (called with the real
 * hashes last), and plans and hashes its new content unless `virtual`.
 */
export async function planMarking(
  scanned: ScannedArtifact,
  compose: (hashes: MarkHashes) => string,
  virtual = false,
): Promise<Marking> {
  const { codec, facts } = scanned;
  const { view } = scanned.file;
  // A large file's own hash shares no bytes with the others: without libcrypto, a worker does it.
  const whole = wholeArtifact(view.size);
  const elsewhere = view.size >= WORKER_WORTH && !hasNativeSha256()
    ? hashInWorker(scanned.file, { pre: whole })
    : undefined;
  const pass = new HashPass(view).add("hash", codec.hashPlan(view, facts));
  if (!elsewhere) pass.add("pre", whole);
  let guess: { length: number; plan: ContentPlan } | undefined;
  if (!virtual && view.size >= SPECULATE_FROM) {
    const length = encoder.encode(compose(PLACEHOLDERS)).length;
    const plan = codec.insertPlan(view, length, facts);
    pass.add("current", plan);
    guess = { length, plan };
  }
  await pass.runParallel();
  const pre = elsewhere
    ? (await elsewhere)?.pre ?? new HashPass(view).add("pre", whole).run().hex("pre")
    : pass.hex("pre");
  const hashes = { hash: pass.hex("hash"), pre };
  const markText = compose(hashes);
  const markBytes = encoder.encode(markText);
  if (virtual) return { hashes, markText, markBytes, plan: undefined, current: hashes.pre };
  if (guess && guess.length === markBytes.length) {
    const current = (await pass.fill({ mark: markBytes }).runParallel()).hex("current");
    return { hashes, markText, markBytes, plan: guess.plan, current };
  }
  const plan = codec.insertPlan(view, markBytes.length, facts);
  const current = (await new HashPass(view).add("current", plan).fill({ mark: markBytes })
    .runParallel()).hex("current");
  return { hashes, markText, markBytes, plan, current };
}
