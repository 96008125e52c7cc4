/**
 * Validation of an extracted mark: CHALK_ID must match the artifact's
 * recomputed HASH and METADATA_ID (and METADATA_HASH when present) must match
 * the mark's own content.
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { chalkIdFromHash, metadataHashOf } from "../codecs/identity.ts";

/** The reason a mark is not valid, or undefined when it is. */
export function markProblem(mark: MarkDict, recomputedHash: string): string | undefined {
  const chalkId = mark.get("CHALK_ID");
  if (typeof chalkId !== "string") return "mark has no CHALK_ID";
  if (chalkId !== chalkIdFromHash(recomputedHash)) {
    return "extracted CHALK_ID doesn't match computed CHALK_ID";
  }
  return metadataProblem(mark);
}

/**
 * The reason METADATA_ID (or METADATA_HASH when present) does not match the mark's own
 * content, or undefined. The whole check for marks whose CHALK_ID is random (images).
 */
export function metadataProblem(mark: MarkDict): string | undefined {
  const metadataId = mark.get("METADATA_ID");
  if (typeof metadataId !== "string") return "mark has no METADATA_ID";
  const { hash, id } = metadataHashOf(mark);
  if (id !== metadataId) return "extracted METADATA_ID doesn't match computed METADATA_ID";
  const stored = mark.get("METADATA_HASH");
  if (stored !== undefined && stored !== hash) {
    return "extracted METADATA_HASH doesn't match computed METADATA_HASH";
  }
  return undefined;
}
