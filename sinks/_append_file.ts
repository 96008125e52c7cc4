/**
 * The file a `file` or `rotating_log` sink appends to: opened on first use,
 * created with mode 0600 in a folder created with mode 0700 (reports hold
 * secrets; in chalk's own folder, looser modes found are tightened), each message written with one write call so that O_APPEND
 * keeps concurrent writers' lines whole.
 *
 * @module
 */
import { dirname, isAbsolute, resolve } from "../internal/posix_path.ts";
import { writeAll } from "../internal/write_all.ts";
import { expandHome } from "./expand_home.ts";
import { tightenChalkHome } from "./_private_files.ts";
import type { SinkLog } from "./sink.ts";

/** An append-only log file, opened lazily. */
export class AppendFile {
  #file: Deno.FsFile | undefined;
  /** The absolute path (`~` expanded, relative to the working folder). */
  readonly path: string;

  readonly #log: SinkLog | undefined;

  /** The file `filename` names; `log` hears about modes tightened in chalk's own folder. */
  constructor(filename: string, log?: SinkLog) {
    const expanded = expandHome(filename);
    this.path = isAbsolute(expanded) ? expanded : resolve(Deno.cwd(), expanded);
    this.#log = log;
  }

  /** Appends `bytes`; true when this call opened the file. */
  async append(bytes: Uint8Array): Promise<boolean> {
    let opened = false;
    if (!this.#file) {
      await Deno.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      this.#file = await Deno.open(this.path, { append: true, create: true, mode: 0o600 });
      opened = true;
      if (this.#log) tightenChalkHome(this.path, this.#log);
    }
    await writeAll(this.#file, bytes);
    return opened;
  }

  /** The file's size now (it must be open: after an `append`). */
  async size(): Promise<number> {
    return this.#file ? (await this.#file.stat()).size : 0;
  }

  /** Closes the file; the next `append` opens it again (after a rotation, say). */
  close(): void {
    this.#file?.close();
    this.#file = undefined;
  }
}
