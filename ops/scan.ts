/**
 * One artifact as a command sees it: the file's bytes, the codec that
 * claimed them, and the mark already inside (if any).
 */
import type { ArtifactFacts, Codec } from "../codecs/codec.ts";
import type { FoundMark } from "../codecs/find_mark.ts";
import { FILE_CODECS } from "../codecs/mod.ts";
import { type LoadedFile, loadFile } from "./file_io.ts";

/** A file claimed by a codec. */
export interface ScannedArtifact {
  path: string;
  file: LoadedFile;
  codec: Codec;
  /** The artifact type the codec reported ("ELF", "sh", ...). */
  type: string;
  /** What the codec was told about the file; passed back to every codec call. */
  facts: ArtifactFacts;
  found?: FoundMark;
}

/** Reads `path` and asks the codecs, in priority order, whether they claim it. */
export function scanArtifact(
  path: string,
  chalking: boolean,
): ScannedArtifact | undefined {
  const file = loadFile(path);
  const facts: ArtifactFacts = { path, executable: file.executable, chalking };
  for (const codec of FILE_CODECS) {
    const type = codec.detect(file.bytes, facts);
    if (type === undefined) continue;
    return { path, file, codec, type, facts, found: codec.findMark(file.bytes, facts) };
  }
  return undefined;
}
