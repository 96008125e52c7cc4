/**
 * The pure codec layer of chalk-ts: mark JSON, identity, and the file
 * codecs that find marks in artifacts and plan their new content
 * (docs/codecs.md).
 *
 * @module
 */

import type { Codec } from "./codec.ts";
import { elfCodec } from "./elf.ts";
import { createMachoCodec } from "./macho.ts";
import { createPycCodec } from "./pyc.ts";
import { createSourceCodec, type SourceCodecOptions } from "./source.ts";
import { createZipCodec, type ZipCodecOptions } from "./zip.ts";

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

export {
  createZipCodec,
  DEFAULT_MAX_INFLATED_BYTES,
  DEFAULT_ZIP_EXTENSIONS,
  zipCodec,
  type ZipCodecOptions,
} from "./zip.ts";
export { createPycCodec, DEFAULT_PYC_EXTENSIONS, pycCodec, type PycCodecOptions } from "./pyc.ts";
export { machoCodec } from "./macho.ts";

/** What the configuration says about the file codecs (docs/configuration.md, "Artifact types"). */
export interface CodecSettings {
  /** `source_marks`. */
  source?: SourceCodecOptions;
  /** `zip_extensions`, `zip.max_inflated_size`. */
  zip?: ZipCodecOptions;
  /** `pyc_extensions`. */
  pycExtensions?: readonly string[];
}

/**
 * The file codecs in the order they are tried, as the original's priorities
 * have them: Mach-O, zip and bytecode (1), ELF (45), source (1000). The
 * first codec whose `detect` answers claims the file.
 */
export function fileCodecs(settings: CodecSettings = {}): Codec[] {
  return [
    createMachoCodec(),
    createZipCodec(settings.zip),
    createPycCodec({ extensions: settings.pycExtensions }),
    elfCodec,
    createSourceCodec(settings.source),
  ];
}

/** The file codecs with chalk's default settings. */
export const FILE_CODECS: Codec[] = fileCodecs();
