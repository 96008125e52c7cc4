/**
 * The Python bytecode codec (`.pyc`, `.pyo`, by `pyc_extensions`), as the
 * original's `codecPythonPyc`: the mark is appended after the marshalled
 * code object. The interpreter reads the header and one marshalled object
 * and ignores what follows, so a marked file still imports, with any Python
 * version's header (the mark never touches the header or the code).
 *
 * HASH covers the file up to the mark; deleting the mark truncates it there,
 * which gives back the original bytes.
 *
 * @module
 */
import { extensionOf } from "./_source_language.ts";
import type { ByteView } from "./byte_view.ts";
import type { ArtifactFacts, Codec } from "./codec.ts";
import { findMark, type FoundMark } from "./find_mark.ts";
import { type ContentPlan, MARK_SLOT, type Piece, wholeArtifact } from "./plan.ts";

/** Options of the pyc codec (configuration: `pyc_extensions`). */
export interface PycCodecOptions {
  /** Extensions (without the dot) of files taken for Python bytecode. */
  extensions?: readonly string[];
}

/** The default `pyc_extensions`. */
export const DEFAULT_PYC_EXTENSIONS: readonly string[] = ["pyc", "pyo", "pyd"];

/** The oldest header chalk accepts: 4 bytes of magic number and 4 of timestamp (Python 2). */
const MIN_HEADER = 8;
/** Whitespace the original strips between a replaced mark and what followed it. */
const SPACE = 0x20;
const LF = 0x0a;

/**
 * True when the file starts like bytecode: a 2-byte version number then
 * `\r\n` (every CPython version since 1.x). A `.pyd` (a Windows DLL) does not.
 */
export function hasPycMagic(view: ByteView): boolean {
  return view.size >= MIN_HEADER && view.byteAt(2) === 0x0d && view.byteAt(3) === LF;
}

/**
 * The mark chalk placed: the last valid mark, followed by nothing but
 * spaces and newlines (a marked constant inside the code object, such as
 * the source of a chalk configuration, is followed by more bytecode).
 */
function trailingMark(view: ByteView): FoundMark | undefined {
  let last: FoundMark | undefined;
  for (let found = findMark(view); found; found = findMark(view, found.end)) last = found;
  if (!last) return undefined;
  for (let i = last.end; i < view.size; i++) {
    const c = view.byteAt(i);
    if (c !== SPACE && c !== LF) return undefined;
  }
  return last;
}

/** Creates a pyc codec claiming files by extension whose header looks like bytecode. */
export function createPycCodec(options: PycCodecOptions = {}): Codec {
  const extensions = new Set(options.extensions ?? DEFAULT_PYC_EXTENSIONS);
  return {
    name: "python_pyc",

    detect(view: ByteView, facts: ArtifactFacts): string | undefined {
      if (!extensions.has(extensionOf(facts.path))) return undefined;
      return hasPycMagic(view) ? "Python Bytecode" : undefined;
    },

    findMark(view: ByteView): FoundMark | undefined {
      return trailingMark(view);
    },

    hashPlan(view: ByteView): ContentPlan {
      const found = trailingMark(view);
      return found ? wholeArtifact(found.start) : wholeArtifact(view.size);
    },

    insertPlan(view: ByteView): ContentPlan {
      const found = trailingMark(view);
      const keep: Piece[] = wholeArtifact(found ? found.start : view.size) as Piece[];
      return [...keep, MARK_SLOT];
    },

    removePlan(view: ByteView): ContentPlan | undefined {
      const found = trailingMark(view);
      return found ? wholeArtifact(found.start) : undefined;
    },
  };
}

/** The pyc codec with chalk's defaults. */
export const pycCodec: Codec = createPycCodec();
