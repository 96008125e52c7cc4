/**
 * The pure codec layer of chalk-ts: mark JSON, identity, and the file
 * codecs that find marks in artifacts and plan their new content
 * (docs/codecs.md).
 *
 * @module
 */

import type { Codec } from "./codec.ts";
import { elfCodec } from "./elf.ts";
import { sourceCodec } from "./source.ts";

export { EMPTY_MARK, isMarkDict, MAGIC, type MarkDict, type MarkValue } from "./mark_value.ts";
export {
  escapeJsonString,
  formatNimFloat,
  MarkJsonError,
  type ParsedMarkJson,
  parseMarkJson,
  writeMarkJson,
  type WriteMarkJsonOptions,
  writeMarkValue,
} from "./mark_json.ts";
export { DEFAULT_KEY_ORDER, keyOrder, MAX_KEY_ORDER } from "./key_order.ts";
export { base32v, idFormat } from "./base32v.ts";
export {
  chalkIdFromHash,
  chalkRand,
  IGNORE_WHEN_NORMALIZING,
  metadataHashOf,
  metadataIdFromHash,
  NormalizationError,
  normalizeMark,
  randomChalkId,
} from "./identity.ts";
export { sha256Bytes, sha256Hex } from "../internal/sha256.ts";
export { toHex } from "../internal/hex.ts";
export {
  findJsonStart,
  findMark,
  findMarkInBytes,
  type FoundMark,
  indexOfMagic,
  markAtMagic,
} from "./find_mark.ts";
export { type ByteView, indexOfBytes, wholeView } from "./byte_view.ts";
export {
  type ContentPlan,
  HASH_SLOT,
  isRange,
  isSlot,
  MARK_SLOT,
  type Piece,
  planLength,
  renderPlan,
  type Slot,
  slotBytes,
  type SlotValues,
  type SourceRange,
  wholeArtifact,
} from "./plan.ts";
export { type ArtifactFacts, type Codec, CodecError } from "./codec.ts";
export { elfCodec } from "./elf.ts";
export {
  createSourceCodec,
  shebangLanguage,
  type SourceCodec,
  sourceCodec,
  type SourceCodecOptions,
} from "./source.ts";

/** File codecs in the order they are tried (ascending chalk priority: elf 45, source 1000). */
export const FILE_CODECS: Codec[] = [elfCodec, sourceCodec];
