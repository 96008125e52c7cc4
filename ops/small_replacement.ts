/**
 * A file replaced by new content already in memory (a marked script): a
 * locked temporary file beside it, one write, the original's owner, group
 * and mode, the rename. One implementation for both threads: the main thread
 * calls {@link replaceSmall}, and `ops/write_behind.ts` runs its source (and
 * that of its two helpers, passed in for that reason) in a worker.
 *
 * @module
 */
import type { Ownership } from "./rewrite_rights.ts";

/** One replacement: the target and all of its new bytes. */
export interface SmallReplacement {
  target: string;
  content: Uint8Array;
  /** The owner, group and mode the new file must keep. */
  ownership: Ownership;
}

/** An open temporary file (see `ops/temp_file.ts`). */
type Temp = { path: string; file: Deno.FsFile; info?: Deno.FileInfo };

/**
 * Replaces `job.target`; returns undefined when done, or why the new file
 * could not keep the original's owner, group or mode (nothing changed then).
 * Throws the file system's error; the temporary file never outlives a call.
 *
 * Self-contained: it uses only its parameters and Deno's globals.
 */
export function replaceSmall(
  job: SmallReplacement,
  createTemp: (target: string, mode: number) => Temp,
  keepOwnership: (temp: Temp, original: Ownership) => string | undefined,
): string | undefined {
  const temp = createTemp(job.target, job.ownership.mode);
  let renamed = false;
  try {
    for (let at = 0; at < job.content.length;) {
      at += temp.file.writeSync(job.content.subarray(at));
    }
    const refused = keepOwnership(temp, job.ownership);
    if (refused !== undefined) return refused;
    Deno.renameSync(temp.path, job.target);
    renamed = true;
    return undefined;
  } finally {
    if (!renamed) {
      try {
        Deno.removeSync(temp.path);
      } catch { /* already gone */ }
    }
    temp.file.close();
  }
}
