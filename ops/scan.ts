/**
 * One artifact as a command sees it: the open file, the codec that claimed
 * it, and the mark already inside (if any). Codecs decide from the first
 * bytes: a file no codec claims is not read further.
 *
 * @module
 */
import { type ArtifactFacts, type Codec, CodecError } from "../codecs/codec.ts";
import type { FoundMark } from "../codecs/find_mark.ts";
import { FILE_CODECS } from "../codecs/mod.ts";
import { ChalkError } from "../internal/errors.ts";
import { type ArtifactFile, openArtifact } from "./file_io.ts";
import { unclaimedReason } from "../codecs/unclaimed.ts";

/** A file claimed by a codec; its `file` stays open until closed. */
export interface ScannedArtifact {
  path: string;
  file: ArtifactFile;
  codec: Codec;
  /** The artifact type the codec reported ("ELF", "sh", ...). */
  type: string;
  /** What the codec was told about the file; passed back to every codec call. */
  facts: ArtifactFacts;
  found?: FoundMark;
}

/**
 * Opens `path` and asks the codecs, in priority order, whether they claim
 * it. The caller closes the result's `file`; an unclaimed file is closed here.
 * A claimed artifact too damaged to read (a truncated archive) is an error
 * naming the file and the reason.
 */
export function scanArtifact(
  path: string,
  chalking: boolean,
  codecs: readonly Codec[] = FILE_CODECS,
): ScannedArtifact | undefined {
  const file = openArtifact(path);
  try {
    const facts: ArtifactFacts = { path, executable: file.executable, chalking };
    for (const codec of codecs) {
      const type = codec.detect(file.view, facts);
      if (type === undefined) continue;
      return { path, file, codec, type, facts, found: codec.findMark(file.view, facts) };
    }
  } catch (e) {
    file.close();
    if (e instanceof CodecError) throw new ChalkError(`${path}: ${e.message}`);
    throw e;
  }
  file.close();
  return undefined;
}

/** Why no codec claimed `path` (read again: asked only for files named on the command line). */
export function whyUnclaimed(path: string): string {
  const file = openArtifact(path);
  try {
    return unclaimedReason(file.view, path);
  } finally {
    file.close();
  }
}
