/**
 * The hashes commands report about an artifact, each computed by streaming
 * the codec's plans (`ops/hash_pass.ts`): HASH (the artifact as if
 * unmarked), PRE_CHALK_HASH and `_CURRENT_HASH` (the file as it is, or as
 * chalk wrote it).
 *
 * @module
 */
import { wholeArtifact } from "../codecs/plan.ts";
import type { ArtifactFile } from "./file_io.ts";
import { HashPass, ONE_SHOT_UNTIL } from "./hash_pass.ts";
import { hashInWorker, WORKER_WORTH } from "./hash_worker.ts";
import { hasNativeSha256 } from "../internal/sha256_native.ts";
import type { ScannedArtifact } from "./scan.ts";

/** The hash of the file as it is. */
export function currentHash(file: ArtifactFile): string {
  return new HashPass(file.view).add("current", wholeArtifact(file.view.size)).run().hex("current");
}

/** HASH alone: the artifact as if unmarked. */
export function unchalkedHash(scanned: ScannedArtifact): string {
  const { view } = scanned.file;
  return new HashPass(view).add("hash", scanned.codec.hashPlan(view, scanned.facts)).run()
    .hex("hash");
}

/** HASH and the hash of the file as it is, in one read pass. */
export function markedHashes(scanned: ScannedArtifact): { hash: string; current: string } {
  const { view } = scanned.file;
  const pass = new HashPass(view)
    .add("hash", scanned.codec.hashPlan(view, scanned.facts))
    .add("current", wholeArtifact(view.size))
    .run();
  return { hash: pass.hex("hash"), current: pass.hex("current") };
}

/**
 * {@link markedHashes}, the two hashes side by side: a small artifact's by
 * WebCrypto (`HashPass.runParallel`), a large one's (they share no bytes: two
 * full passes of SHA-256) by libcrypto on two threads of one read pass, or
 * else `node:crypto`'s with the file's own hash in a worker.
 */
export async function markedHashesInParallel(
  scanned: ScannedArtifact,
): Promise<{ hash: string; current: string }> {
  const { view } = scanned.file;
  if (view.size < ONE_SHOT_UNTIL || hasNativeSha256()) {
    const pass = await new HashPass(view)
      .add("hash", scanned.codec.hashPlan(view, scanned.facts))
      .add("current", wholeArtifact(view.size))
      .runParallel();
    return { hash: pass.hex("hash"), current: pass.hex("current") };
  }
  if (view.size < WORKER_WORTH) return markedHashes(scanned);
  const other = hashInWorker(scanned.file, { current: wholeArtifact(view.size) });
  const hash = unchalkedHash(scanned);
  const current = (await other)?.current ?? currentHash(scanned.file);
  return { hash, current };
}
