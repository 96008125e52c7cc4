/**
 * The only place artifacts are opened and replaced. An artifact is read
 * through a {@link FileView} (never whole); a replacement is written to a
 * locked temporary file beside the target, given the target's owner, group
 * and mode, and renamed over it, so a crash leaves either the old or the new
 * file, and a later run removes the temporary file (`ops/temp_file.ts`).
 *
 * @module
 */
import type { ContentPlan, SlotValues } from "../codecs/plan.ts";
import { writeAllSync } from "../internal/write_all.ts";
import { FileIoError, ioReason } from "./file_io_error.ts";
import { FileView } from "./file_view.ts";
import { kernelCopyPays, mayBeSmall, smallContent, writePlan } from "./plan_writer.ts";
import { keepOwnership, type Ownership, RewriteRefused } from "./rewrite_rights.ts";
import { createTemp, discardTemp, holdReadOnly, type TempFile } from "./temp_file.ts";
import { dropOldContent, dropOldContentNow, holdOldContent, RETIRE_FROM } from "./retired_files.ts";
import type { WriteBehind } from "./write_behind.ts";
import { catchTerminatingSignals, onAbort, parkWhileAborting } from "./abort_on_signal.ts";

export { FileIoError } from "./file_io_error.ts";

/** An artifact open for reading, with what is needed to replace it faithfully. */
export interface ArtifactFile extends Ownership {
  readonly path: string;
  /** `fstat` of the open file. */
  readonly info: Deno.FileInfo;
  readonly view: FileView;
  readonly executable: boolean;
  /** Closes the file (idempotent). */
  close(): void;
}

// Sync calls on purpose: chalk handles one file at a time, and every async fs call is a
// thread-pool round trip that costs more than the work on small scripts.

/** Opens a regular file for reading through a view. */
export function openArtifact(path: string): ArtifactFile {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path, { read: true });
    const info = file.statSync();
    const mode = (info.mode ?? 0o644) & 0o7777;
    const opened = file;
    let open = true;
    return {
      path,
      info,
      view: new FileView(file, info.size, path),
      mode,
      uid: info.uid,
      gid: info.gid,
      executable: (mode & 0o111) !== 0,
      close: () => {
        if (open) opened.close();
        open = false;
      },
    };
  } catch (e) {
    file?.close();
    throw new FileIoError(path, `cannot read: ${ioReason(e)}`);
  }
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

/**
 * New content for `target`, prepared in a temporary file beside it; nothing
 * changes for `target` until {@link commit}.
 */
export class Replacement {
  readonly #target: string;
  readonly #temp: TempFile;
  #finished = false;
  #copy: Promise<void> | undefined;
  /** Ends the registration with `ops/abort_on_signal.ts`. */
  readonly #released: () => void;

  private constructor(target: string, temp: TempFile) {
    this.#target = target;
    this.#temp = temp;
    this.#released = onAbort(() => this.#abandon());
  }

  /** On a terminating signal: the temporary file goes, and again after a copy still writing it. */
  async #abandon(): Promise<void> {
    this.discard();
    await this.#copy?.then(() => Deno.remove(this.#temp.path)).catch(() => {});
  }

  /** Starts a replacement of `target`, which will have `mode` (see `createTemp`). */
  static begin(target: string, mode?: number): Replacement {
    catchTerminatingSignals();
    try {
      return new Replacement(target, createTemp(target, mode));
    } catch (e) {
      throw new FileIoError(target, `cannot write: ${ioReason(e)}`);
    }
  }

  /** The temporary file's path (to run a candidate program, say). */
  get path(): string {
    return this.#temp.path;
  }

  #guard<T>(step: () => T): T {
    try {
      return step();
    } catch (e) {
      this.discard();
      if (e instanceof FileIoError || e instanceof RewriteRefused) throw e;
      throw new FileIoError(this.#target, `cannot write: ${ioReason(e)}`);
    }
  }

  /**
   * Starts a kernel copy of a large `source` into the new file, to run on
   * another thread while the caller hashes; {@link writePlan} then only
   * writes what changes.
   */
  copyInBackground(source: ArtifactFile): this {
    if (kernelCopyPays(source)) {
      this.#copy = Deno.copyFile(source.path, this.#temp.path);
      this.#temp.info = undefined; // the copy gives the file its source's mode
    }
    return this;
  }

  /** Writes `plan` over the artifact `source`, slots filled from `values`. */
  async writePlan(plan: ContentPlan, values: SlotValues, source: ArtifactFile): Promise<this> {
    let copied = false;
    if (this.#copy) {
      try {
        await this.#copy;
        copied = true;
      } catch { /* written the plain way below, over whatever the copy left */ }
    }
    // A signal while the plan was hashed or copied: the file is gone, nothing more is written.
    // From here to the rename no event loop turn passes, so no signal comes between.
    await parkWhileAborting();
    return this.#guard(() => {
      if (this.#copy && !copied) this.#temp.file.truncateSync(0);
      writePlan(this.#temp, plan, values, source, copied);
      return this;
    });
  }

  /** Writes `chunks` (content already in memory). */
  writeChunks(chunks: readonly Uint8Array[]): this {
    return this.#guard(() => {
      for (const chunk of chunks) writeAllSync(this.#temp.file, chunk);
      return this;
    });
  }

  /** Gives the new file `original`'s owner, group and mode, or refuses ({@link RewriteRefused}). */
  keep(original: Ownership): this {
    return this.#guard(() => {
      const problem = keepOwnership(this.#temp, original);
      if (problem) throw new RewriteRefused(this.#target, problem);
      return this;
    });
  }

  /** Gives up write access (the lock stays), so that the new file can be run. */
  readOnly(): this {
    return this.#guard(() => {
      holdReadOnly(this.#temp);
      return this;
    });
  }

  /**
   * Renames the new file over the target; with `retire`, the old content is freed on another
   * thread afterwards (`ops/retired_files.ts`: for large files, whose freeing the rename pays).
   */
  commit(retire = false): void {
    const old = retire ? holdOldContent(this.#target) : undefined;
    try {
      this.#guard(() => Deno.renameSync(this.#temp.path, this.#target));
    } catch (e) {
      if (old !== undefined) dropOldContentNow(old);
      throw e;
    }
    this.#finished = true;
    this.#released();
    this.#temp.file.close();
    if (old !== undefined) dropOldContent(old);
  }

  /** Removes the new file; the target stays as it was (nothing happens after a commit). */
  discard(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#released();
    discardTemp(this.#temp);
    // A background copy still running could create the file again: remove it once more after.
    this.#copy?.then(() => Deno.remove(this.#temp.path), () => {}).catch(() => {});
  }
}

/** Replaces `path` with `chunks` atomically, keeping `original`'s owner, group and mode. */
export function replaceFile(
  path: string,
  chunks: readonly Uint8Array[],
  original: Ownership,
): void {
  Replacement.begin(path, original.mode).writeChunks(chunks).keep(original).commit();
}

/**
 * Replaces `target` with the content `prepare` plans over `source`,
 * atomically, keeping `source`'s owner, group and mode. A large source is
 * copied by the kernel while `prepare` runs (it hashes, typically). A small
 * new content goes to `writer` when given, which may write it later on
 * another thread: the write is done when this resolves, unless it gives
 * `written`, which settles when it is (rejecting with {@link FileIoError} or
 * {@link RewriteRefused}). A promise in an object: an async function's
 * promise would wait for one returned bare.
 */
export async function replaceWithPlan(
  target: string,
  source: ArtifactFile,
  prepare: () => Promise<{ plan: ContentPlan; values: SlotValues }>,
  writer?: WriteBehind,
): Promise<{ written?: Promise<void> }> {
  if (writer && mayBeSmall(source)) {
    const planned = await prepare();
    const content = smallContent(planned.plan, planned.values, source);
    if (content) {
      source.close();
      const { mode, uid, gid } = source;
      return { written: writer.replace({ target, content, ownership: { mode, uid, gid } }) };
    }
    await writePlanned(target, source, () => Promise.resolve(planned));
    return {};
  }
  await writePlanned(target, source, prepare);
  return {};
}

async function writePlanned(
  target: string,
  source: ArtifactFile,
  prepare: () => Promise<{ plan: ContentPlan; values: SlotValues }>,
): Promise<void> {
  const replacement = Replacement.begin(target, source.mode).copyInBackground(source);
  try {
    const { plan, values } = await prepare();
    (await replacement.writePlan(plan, values, source)).keep(source);
    // Renaming over a file that is still open makes the file system keep the old one as an
    // orphan until it is closed (journalled twice): close it first, it is read already.
    source.close();
    replacement.commit(source.info.size >= RETIRE_FROM);
  } finally {
    replacement.discard();
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
