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
import { HashPass } from "./hash_pass.ts";
import type { ScannedArtifact } from "./scan.ts";

/** The hash of the file as it is. */
export function currentHash(file: ArtifactFile): string {
  return new HashPass(file.view).add("current", wholeArtifact(file.view.size)).run().hex("current");
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
