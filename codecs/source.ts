/**
 * The source / shebang script codec: the mark is a
 * comment line `<prefix> <mark>` appended at the end of a text file, found
 * again by the generic text search.
 *
 * @module
 */

import { chunksEqual } from "./_byte_chunks.ts";
import { detectLanguage, type SourceCodecOptions } from "./_source_language.ts";
import type { ArtifactFacts, Codec } from "./codec.ts";
import { findMarkInBytes, type FoundMark } from "./find_mark.ts";
import { EMPTY_MARK } from "./mark_value.ts";

export type { SourceCodecOptions } from "./_source_language.ts";
export { shebangLanguage } from "./_source_language.ts";

const encoder = new TextEncoder();
// No literal mark text anywhere in codec code: chalk-ts's own bundle is
// marked through this codec (docs/decisions.md, "Self is the running
// artifact") and the generic search would take such a literal for its mark
// (EMPTY_MARK is assembled at run time).
const EMPTY_MARK_BYTES = encoder.encode(EMPTY_MARK);
const LF = 0x0a;

/** The source codec, with its `source_marks` options. */
export interface SourceCodec extends Codec {
  /** The options this instance uses. */
  readonly options: SourceCodecOptions;
  /** Like {@link Codec.detect}, with per-call options overriding the instance's. */
  detect(bytes: Uint8Array, facts: ArtifactFacts, options?: SourceCodecOptions): string | undefined;
  /** The comment prefix used for the mark line of this file (`#`, `//`, ...). */
  commentPrefix(bytes: Uint8Array, facts?: ArtifactFacts): string;
}

function endsWithBytes(bytes: Uint8Array, end: number, suffix: Uint8Array): boolean {
  if (end < suffix.length) return false;
  const base = end - suffix.length;
  for (let i = 0; i < suffix.length; i++) if (bytes[base + i] !== suffix[i]) return false;
  return true;
}

/**
 * Content without the mark (`getUnmarkedScriptContent`): the mark line is
 * removed when it sits exactly after `\n<prefix> ` and before `\n` or EOF
 * (which inverts both insert shapes), otherwise the mark is replaced by the
 * placeholder (`EMPTY_MARK`).
 */
function unmarkedChunks(bytes: Uint8Array, found: FoundMark, prefix: string): Uint8Array[] {
  const ourEnding = encoder.encode(`\n${prefix} `);
  const { start, end } = found;
  const onItsLine = endsWithBytes(bytes, start, ourEnding) &&
    (end === bytes.length || bytes[end] === LF);
  if (onItsLine) return [bytes.subarray(0, start - ourEnding.length), bytes.subarray(end)];
  return [bytes.subarray(0, start), EMPTY_MARK_BYTES, bytes.subarray(end)];
}

/**
 * Creates a source codec. Without options it uses chalk's defaults
 * (`only_mark_shebangs` true, `only_mark_when_execute_set` false, ...).
 *
 * In HEAD the placeholder `{ "MAGIC" : … }` counts as a mark: `findMark`
 * returns it, `insert` replaces it in place.
 */
export function createSourceCodec(options: SourceCodecOptions = {}): SourceCodec {
  const prefixFor = (bytes: Uint8Array, facts?: ArtifactFacts): string =>
    detectLanguage(bytes, facts?.path ?? "", options)?.prefix ?? "#";
  return {
    name: "source",
    options,

    detect(
      bytes: Uint8Array,
      facts: ArtifactFacts,
      perCall?: SourceCodecOptions,
    ): string | undefined {
      const opts = { ...options, ...perCall };
      if (facts.chalking && (opts.onlyMarkWhenExecuteSet ?? false) && !facts.executable) return;
      const found = detectLanguage(bytes, facts.path, opts);
      if (!found) return undefined;
      if (facts.chalking && (opts.onlyMarkShebangs ?? true) && !found.hasShebang) return undefined;
      if (
        opts.customLogic &&
        !opts.customLogic(
          facts.path,
          found.language,
          found.extension,
          found.hasShebang,
          facts.executable,
        )
      ) return undefined;
      return found.language;
    },

    commentPrefix: prefixFor,

    findMark(bytes: Uint8Array): FoundMark | undefined {
      return findMarkInBytes(bytes);
    },

    unchalkedHashInput(bytes: Uint8Array, facts?: ArtifactFacts): Uint8Array[] {
      const found = findMarkInBytes(bytes);
      return found ? unmarkedChunks(bytes, found, prefixFor(bytes, facts)) : [bytes];
    },

    insert(bytes: Uint8Array, markText: string, facts?: ArtifactFacts): Uint8Array[] {
      const mark = encoder.encode(markText);
      const found = findMarkInBytes(bytes);
      if (found) return [bytes.subarray(0, found.start), mark, bytes.subarray(found.end)];
      const prefix = prefixFor(bytes, facts);
      // A trailing newline is kept and a new one added after the mark; without
      // one, the mark starts a new line and no newline follows it.
      if (bytes.length > 0 && bytes[bytes.length - 1] === LF) {
        return [bytes, encoder.encode(`${prefix} `), mark, encoder.encode("\n")];
      }
      return [bytes, encoder.encode(`\n${prefix} `), mark];
    },

    remove(bytes: Uint8Array, facts?: ArtifactFacts): Uint8Array[] | undefined {
      const found = findMarkInBytes(bytes);
      if (!found) return undefined;
      const out = unmarkedChunks(bytes, found, prefixFor(bytes, facts));
      // A placeholder that is not on a line of its own stays as it is.
      return chunksEqual(out, bytes) ? undefined : out;
    },
  };
}

/** The source codec with chalk's default options. */
export const sourceCodec: SourceCodec = createSourceCodec();
