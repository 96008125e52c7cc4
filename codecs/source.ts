/**
 * The source / shebang script codec: the mark is a
 * comment line `<prefix> <mark>` appended at the end of a text file, found
 * again by the generic text search.
 *
 * @module
 */

import { detectLanguage, type SourceCodecOptions } from "./_source_language.ts";
import type { ByteView } from "./byte_view.ts";
import type { ArtifactFacts, Codec } from "./codec.ts";
import { findMark, type FoundMark } from "./find_mark.ts";
import { EMPTY_MARK } from "./mark_value.ts";
import { type ContentPlan, MARK_SLOT, type Piece, wholeArtifact } from "./plan.ts";

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
  detect(view: ByteView, facts: ArtifactFacts, options?: SourceCodecOptions): string | undefined;
  /** The comment prefix used for the mark line of this file (`#`, `//`, ...). */
  commentPrefix(view: ByteView, facts?: ArtifactFacts): string;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function endsWithBytes(view: ByteView, end: number, suffix: Uint8Array): boolean {
  if (end < suffix.length) return false;
  return bytesEqual(view.bytes(end - suffix.length, suffix.length), suffix);
}

/**
 * Content without the mark (`getUnmarkedScriptContent`): the mark line is
 * removed when it sits exactly after `\n<prefix> ` and before `\n` or EOF
 * (which inverts both insert shapes), otherwise the mark is replaced by the
 * placeholder (`EMPTY_MARK`).
 */
function unmarkedPlan(view: ByteView, found: FoundMark, prefix: string): Piece[] {
  const ourEnding = encoder.encode(`\n${prefix} `);
  const { start, end } = found;
  const size = view.size;
  const onItsLine = endsWithBytes(view, start, ourEnding) &&
    (end === size || view.byteAt(end) === LF);
  const tail: Piece[] = end < size ? [{ from: end, to: size }] : [];
  if (onItsLine) {
    const keep = start - ourEnding.length;
    return keep > 0 ? [{ from: 0, to: keep }, ...tail] : tail;
  }
  return [...(start > 0 ? [{ from: 0, to: start }] : []), EMPTY_MARK_BYTES, ...tail];
}

/**
 * Creates a source codec. Without options it uses chalk's defaults
 * (`only_mark_shebangs` true, `only_mark_when_execute_set` false, ...).
 *
 * In HEAD the placeholder `{ "MAGIC" : … }` counts as a mark: `findMark`
 * returns it, `insertPlan` replaces it in place.
 */
export function createSourceCodec(options: SourceCodecOptions = {}): SourceCodec {
  const prefixFor = (view: ByteView, facts?: ArtifactFacts): string =>
    detectLanguage(view, facts?.path ?? "", options)?.prefix ?? "#";
  return {
    name: "source",
    options,

    detect(
      view: ByteView,
      facts: ArtifactFacts,
      perCall?: SourceCodecOptions,
    ): string | undefined {
      const opts = { ...options, ...perCall };
      if (facts.chalking && (opts.onlyMarkWhenExecuteSet ?? false) && !facts.executable) return;
      const found = detectLanguage(view, facts.path, opts);
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

    findMark(view: ByteView): FoundMark | undefined {
      return findMark(view);
    },

    hashPlan(view: ByteView, facts?: ArtifactFacts): ContentPlan {
      const found = findMark(view);
      return found ? unmarkedPlan(view, found, prefixFor(view, facts)) : wholeArtifact(view.size);
    },

    insertPlan(view: ByteView, _markLength: number, facts?: ArtifactFacts): ContentPlan {
      const size = view.size;
      const found = findMark(view);
      if (found) {
        const head: Piece[] = found.start > 0 ? [{ from: 0, to: found.start }] : [];
        const tail: Piece[] = found.end < size ? [{ from: found.end, to: size }] : [];
        return [...head, MARK_SLOT, ...tail];
      }
      const prefix = prefixFor(view, facts);
      // A trailing newline is kept and a new one added after the mark; without
      // one, the mark starts a new line and no newline follows it.
      if (size > 0 && view.byteAt(size - 1) === LF) {
        return [
          ...wholeArtifact(size),
          encoder.encode(`${prefix} `),
          MARK_SLOT,
          encoder.encode("\n"),
        ];
      }
      return [...wholeArtifact(size), encoder.encode(`\n${prefix} `), MARK_SLOT];
    },

    removePlan(view: ByteView, facts?: ArtifactFacts): ContentPlan | undefined {
      const found = findMark(view);
      if (!found) return undefined;
      // A placeholder that is not on a line of its own stays as it is.
      const plan = unmarkedPlan(view, found, prefixFor(view, facts));
      const placeholderStays = plan.includes(EMPTY_MARK_BYTES) &&
        bytesEqual(view.bytes(found.start, found.end - found.start), EMPTY_MARK_BYTES);
      return placeholderStays ? undefined : plan;
    },
  };
}

/** The source codec with chalk's default options. */
export const sourceCodec: SourceCodec = createSourceCodec();
