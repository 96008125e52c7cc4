/**
 * The only place artifacts are read and written. Writes are atomic: the new
 * content goes to a temp file beside the target, gets the target's mode, and
 * is renamed over it, so a crash leaves either the old or the new file.
 */
import { basename, dirname, join } from "node:path";
import { createHash } from "node:crypto";
import { errorMessage } from "../internal/errors.ts";
import { writeAllSync } from "../internal/write_all.ts";

/** A file read whole, with what is needed to replace it faithfully. */
export interface LoadedFile {
  bytes: Uint8Array;
  mode: number;
  uid: number | null;
  gid: number | null;
  executable: boolean;
}

/** A read or write problem, with the file and reason in one line. */
export class FileIoError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = "FileIoError";
  }
}

function reasonOf(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  return errorMessage(e);
}

// Sync calls on purpose: chalk handles one file at a time, and every async fs call is a
// thread-pool round trip that costs more than the work on small scripts.

/** Reads a regular file whole. */
export function loadFile(path: string): LoadedFile {
  try {
    const info = Deno.statSync(path);
    const bytes = Deno.readFileSync(path);
    const mode = (info.mode ?? 0o644) & 0o7777;
    return { bytes, mode, uid: info.uid, gid: info.gid, executable: (mode & 0o111) !== 0 };
  } catch (e) {
    throw new FileIoError(path, `cannot read: ${reasonOf(e)}`);
  }
}

/** Lower-case hex SHA-256 of the concatenation of `chunks` (no copy made). */
export function sha256Hex(chunks: readonly Uint8Array[]): string {
  const h = createHash("sha256");
  for (const c of chunks) h.update(c);
  return h.digest("hex");
}

/**
 * Where a write to `path` lands: `clobber` (symlink_behavior_chalking) writes through a link to
 * its target; otherwise the path itself is replaced (`copy`: the link becomes a regular file).
 */
export function writeTarget(path: string, symlinks: "skip" | "clobber" | "copy"): string {
  if (symlinks !== "clobber") return path;
  try {
    return Deno.lstatSync(path).isSymlink ? Deno.realPathSync(path) : path;
  } catch {
    return path;
  }
}

/** Replaces `path` with `chunks` atomically, keeping mode (and owner when allowed). */
export function replaceFile(
  path: string,
  chunks: readonly Uint8Array[],
  original: Pick<LoadedFile, "mode" | "uid" | "gid">,
): void {
  const rand = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  const temp = join(dirname(path), `.${basename(path)}.chalk-${rand}.tmp`);
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(temp, { write: true, createNew: true, mode: 0o600 });
    for (const chunk of chunks) {
      writeAllSync(file, chunk);
    }
    Deno.chmodSync(temp, original.mode);
    // A new file belongs to us: only root can, and only needs to, give it back to its owner.
    const ours = original.uid === Deno.uid() && original.gid === Deno.gid();
    if (original.uid !== null && original.gid !== null && Deno.uid() === 0 && !ours) {
      try {
        Deno.chownSync(temp, original.uid, original.gid);
      } catch { /* keeping the mode matters; the owner is best effort */ }
    }
    file.close();
    file = undefined;
    Deno.renameSync(temp, path);
  } catch (e) {
    file?.close();
    try {
      Deno.removeSync(temp);
    } catch { /* nothing was created */ }
    throw new FileIoError(path, `cannot write: ${reasonOf(e)}`);
  }
}

/** Whether anything (a file, a folder, a dangling link) is at `path`. */
export function pathExists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
