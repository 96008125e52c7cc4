/**
 * The contract every file codec implements: pure functions from the bytes
 * of an artifact to marks, HASH input and new content.
 *
 * @module
 */

import type { FoundMark } from "./find_mark.ts";

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
 * A file codec. All methods are pure: they never touch the file system and
 * return views into the input where they can (no copy of big inputs).
 *
 * The optional trailing `facts` on the content methods: pass the same facts
 * that were given to `detect`. Codecs whose framing depends on the path
 * (the source codec picks the comment prefix by extension when there is no
 * shebang) use them; the others ignore them.
 */
export interface Codec {
  /** The codec's name: "elf" | "source" | ... */
  readonly name: string;
  /** Artifact type ("ELF", "sh", "python", "node", ...) when this codec claims the bytes, else undefined. */
  detect(bytes: Uint8Array, facts: ArtifactFacts): string | undefined;
  /** The artifact's mark; undefined = unmarked (also for corrupt JSON after MAGIC). */
  findMark(bytes: Uint8Array, facts?: ArtifactFacts): FoundMark | undefined;
  /** Views whose concatenation hashes to HASH (no copying of big inputs). */
  unchalkedHashInput(bytes: Uint8Array, facts?: ArtifactFacts): Uint8Array[];
  /** New content carrying `markText` (replacing any existing mark), as chunks to be written in order. */
  insert(bytes: Uint8Array, markText: string, facts?: ArtifactFacts): Uint8Array[];
  /** New content without a mark; undefined when there is nothing to change. */
  remove(bytes: Uint8Array, facts?: ArtifactFacts): Uint8Array[] | undefined;
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
