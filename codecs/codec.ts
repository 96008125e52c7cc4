/**
 * The contract every file codec implements: pure functions from a view of an
 * artifact to its type, its mark, and content plans (docs/codecs.md).
 *
 * @module
 */

import type { ByteView } from "./byte_view.ts";
import type { FoundMark } from "./find_mark.ts";
import type { ContentPlan } from "./plan.ts";

/** What the caller knows about an artifact besides its bytes. */
export interface ArtifactFacts {
  /** The artifact's path (used for its extension; never opened by a codec). */
  path: string;
  /** Whether any execute bit is set. */
  executable: boolean;
  /** True for operations that write marks (insert, docker build, load). */
  chalking: boolean;
}

/**
 * A file codec. All methods are pure: they read the artifact only through
 * the {@link ByteView} they are given (asking for the few bytes they need),
 * never touch the file system, and describe new content as a
 * {@link ContentPlan} (ranges of the artifact, new bytes, slots) instead of
 * building it. The executor in `ops/` streams the plans.
 *
 * The optional trailing `facts` on the content methods: pass the same facts
 * that were given to `detect`. Codecs whose framing depends on the path
 * (the source codec picks the comment prefix by extension when there is no
 * shebang) use them; the others ignore them.
 */
export interface Codec {
  /** The codec's name: "elf" | "source" | ... */
  readonly name: string;
  /**
   * Artifact type ("ELF", "sh", "python", "node", ...) when this codec claims
   * the artifact, else undefined. Decide from the first bytes where possible:
   * files no codec claims are never read further.
   */
  detect(view: ByteView, facts: ArtifactFacts): string | undefined;
  /** The artifact's mark; undefined = unmarked (also for corrupt JSON after MAGIC). */
  findMark(view: ByteView, facts?: ArtifactFacts): FoundMark | undefined;
  /** The bytes HASH covers (the artifact as if unmarked), as a plan without slots. */
  hashPlan(view: ByteView, facts?: ArtifactFacts): ContentPlan;
  /**
   * New content carrying a mark of `markLength` bytes (replacing any existing
   * mark): a plan with exactly one `MARK_SLOT`. The layout may depend on the
   * mark's length, never on its text.
   */
  insertPlan(view: ByteView, markLength: number, facts?: ArtifactFacts): ContentPlan;
  /**
   * New content without the mark (it may hold a `HASH_SLOT`), or undefined when
   * removing changes nothing (no mark, or a placeholder that stays).
   */
  removePlan(view: ByteView, facts?: ArtifactFacts): ContentPlan | undefined;
}

/** Malformed input in an artifact a codec had claimed (e.g. the ELF replace path cannot apply). */
export class CodecError extends Error {
  /** The codec that failed. */
  readonly codec: string;

  /** Builds the error; the message is `<codec>: <reason>` on one line. */
  constructor(codec: string, reason: string) {
    super(`${codec}: ${reason}`);
    this.name = "CodecError";
    this.codec = codec;
  }
}

/**
 * An artifact the codec claims but will not mark, for a reason that is no damage (a zip whose
 * root `chalk.json` is the project's own file, not a mark): the file is left alone and skipped
 * with a warning, like a file chalk may not rewrite, instead of failing as broken input.
 */
export class CodecRefusal extends CodecError {
  /** Builds the refusal; the message is `<codec>: <reason>` on one line. */
  constructor(codec: string, reason: string) {
    super(codec, reason);
    this.name = "CodecRefusal";
  }
}
