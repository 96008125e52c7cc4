/**
 * Positional reads from a file, for pack and index files that may be far
 * too large to load whole. Small files are read once and served from
 * memory. Deno's own file API, not node:fs/promises: loading that module
 * costs ~15 ms of every command that reads a repository.
 */
import { GitReadError } from "./git_error.ts";

/** Files up to this size are loaded whole on first use. */
const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;

/** A file that can be read at any offset. */
export class RandomAccessFile {
  #handle: Deno.FsFile | undefined;
  #whole: Uint8Array | undefined;
  /** Reads of the handle one at a time: each is a seek then reads. */
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(readonly path: string, readonly size: number) {}

  /**
   * Open `path` for positional reads.
   * @throws {GitReadError} when the file cannot be opened
   */
  static async open(path: string): Promise<RandomAccessFile> {
    try {
      const size = (await Deno.stat(path)).size;
      const file = new RandomAccessFile(path, size);
      if (size <= WHOLE_FILE_LIMIT) file.#whole = await Deno.readFile(path);
      else file.#handle = await Deno.open(path, { read: true });
      return file;
    } catch (err) {
      throw new GitReadError(path, `cannot open (${(err as Error).message})`);
    }
  }

  /**
   * Up to `length` bytes from `position` (fewer at the end of the file).
   * @throws {GitReadError} when the read fails or `position` is outside the file
   */
  async read(position: number, length: number): Promise<Uint8Array> {
    if (position < 0 || position > this.size) {
      throw new GitReadError(this.path, "read outside the file", position);
    }
    const len = Math.max(0, Math.min(length, this.size - position));
    if (this.#whole !== undefined) return this.#whole.subarray(position, position + len);
    const read = this.#queue.then(() => this.#readAt(position, len));
    this.#queue = read.catch(() => {});
    return await read;
  }

  async #readAt(position: number, len: number): Promise<Uint8Array> {
    const buf = new Uint8Array(len);
    try {
      const handle = this.#handle!;
      await handle.seek(position, Deno.SeekMode.Start);
      let done = 0;
      while (done < len) {
        const n = await handle.read(buf.subarray(done));
        if (n === null || n === 0) break;
        done += n;
      }
      return buf.subarray(0, done);
    } catch (err) {
      throw new GitReadError(this.path, `read failed (${(err as Error).message})`, position);
    }
  }

  /** Release the file handle, if one is open. */
  async close(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    if (h === undefined) return;
    await this.#queue;
    try {
      h.close();
    } catch {
      // Already closed.
    }
  }
}
