/**
 * Positional reads from a file, for pack and index files that may be far
 * too large to load whole. Small files are read once and served from
 * memory.
 */
import { open, readFile, stat } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { GitReadError } from "./git_error.ts";

/** Files up to this size are loaded whole on first use. */
const WHOLE_FILE_LIMIT = 4 * 1024 * 1024;

/** A file that can be read at any offset. */
export class RandomAccessFile {
  #handle: FileHandle | undefined;
  #whole: Uint8Array | undefined;

  private constructor(readonly path: string, readonly size: number) {}

  /**
   * Open `path` for positional reads.
   * @throws {GitReadError} when the file cannot be opened
   */
  static async open(path: string): Promise<RandomAccessFile> {
    try {
      const size = (await stat(path)).size;
      const file = new RandomAccessFile(path, size);
      if (size <= WHOLE_FILE_LIMIT) file.#whole = new Uint8Array(await readFile(path));
      else file.#handle = await open(path, "r");
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
    const buf = new Uint8Array(len);
    try {
      let done = 0;
      while (done < len) {
        const { bytesRead } = await this.#handle!.read(buf, done, len - done, position + done);
        if (bytesRead === 0) break;
        done += bytesRead;
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
    if (h !== undefined) await h.close().catch(() => {});
  }
}
