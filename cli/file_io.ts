/**
 * The only place artifacts are read and written. Writes are atomic: the new
 * content goes to a temp file beside the target, gets the target's mode, and
 * is renamed over it, so a crash leaves either the old or the new file.
 */
import { basename, dirname, join } from "node:path";
import { createHash } from "node:crypto";

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
  return e instanceof Error ? e.message : String(e);
}

/** Reads a regular file whole. */
export async function loadFile(path: string): Promise<LoadedFile> {
  try {
    const info = await Deno.stat(path);
    const bytes = await Deno.readFile(path);
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

/** Replaces `path` with `chunks` atomically, keeping mode (and owner when allowed). */
export async function replaceFile(
  path: string,
  chunks: readonly Uint8Array[],
  original: Pick<LoadedFile, "mode" | "uid" | "gid">,
): Promise<void> {
  const rand = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  const temp = join(dirname(path), `.${basename(path)}.chalk-${rand}.tmp`);
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    for (const chunk of chunks) {
      let offset = 0;
      while (offset < chunk.length) offset += await file.write(chunk.subarray(offset));
    }
    await Deno.chmod(temp, original.mode);
    if (original.uid !== null && original.gid !== null && Deno.uid() === 0) {
      await Deno.chown(temp, original.uid, original.gid).catch(() => {});
    }
    file.close();
    file = undefined;
    await Deno.rename(temp, path);
  } catch (e) {
    file?.close();
    await Deno.remove(temp).catch(() => {});
    throw new FileIoError(path, `cannot write: ${reasonOf(e)}`);
  }
}
