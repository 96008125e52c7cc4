/**
 * chalk's temporary files: `.NAME.chalk-XXXX.tmp` beside the file they will
 * replace. A writer holds a shared lock (`flock`) on its temporary file for
 * as long as the file exists under that name; the kernel drops the lock when
 * the writer dies, even by SIGKILL. So a temporary file that nobody holds
 * locked was left by a dead writer: {@link removeIfStale} removes it. Locks
 * rather than process ids, so that writers in other PID namespaces (two
 * containers sharing a volume) are never mistaken for dead ones.
 *
 * @module
 */
import { join } from "../internal/posix_path.ts";

/** Names of chalk's temporary files (and the load candidates of earlier versions). */
const TEMP_NAME = /^\..+\.chalk-(?:[0-9a-z]{1,16}\.tmp|load-[0-9a-f-]{36})$/;

/** True when `name` (a file name, not a path) is one of chalk's temporary files. */
export function isChalkTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * A fresh temporary name beside `target`: `.NAME.chalk-XXXX.tmp` (what {@link createTemp} names,
 * which builds its own: it must stay self-contained).
 */
export function tempPathFor(target: string): string {
  const slash = target.lastIndexOf("/");
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  return `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.chalk-${random}.tmp`;
}

/** An open temporary file, locked by this process. */
export interface TempFile {
  readonly path: string;
  /** Open for reading and writing until {@link holdReadOnly}. */
  file: Deno.FsFile;
  /**
   * `fstat` of the file as created (its owner, group and mode), while nothing else changed them;
   * undefined once something may have (a kernel copy gives the copy its source's mode).
   */
  info?: Deno.FileInfo;
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/** True when `path` still names the file open as `file`. */
function stillNamed(path: string, file: Deno.FsFile): boolean {
  try {
    return sameFile(Deno.lstatSync(path), file.statSync());
  } catch {
    return false;
  }
}

/**
 * Creates `.NAME.chalk-XXXX.tmp` beside `target` and locks it. Its mode is `mode` without set-id
 * bits and without write access for group and others (then the umask): given the mode the new
 * file will have, most replacements need no `chmod` (`keepOwnership`). Throws the file system's
 * error when the folder is not writable.
 *
 * Self-contained (no imports, no helpers of this module): `ops/write_behind.ts` runs its source
 * on a second thread.
 */
export function createTemp(
  target: string,
  mode = 0o600,
): { path: string; file: Deno.FsFile; info: Deno.FileInfo } {
  const slash = target.lastIndexOf("/");
  const dir = slash < 0 ? "." : target.slice(0, slash) || "/";
  const stem = `${target.slice(0, slash + 1)}.${target.slice(slash + 1)}.chalk-`;
  // A name can be taken, or (rarely) swept between creation and lock: a few tries.
  for (let attempt = 1;; attempt++) {
    const path = `${stem}${crypto.getRandomValues(new Uint32Array(1))[0].toString(36)}.tmp`;
    try {
      const file = Deno.openSync(path, {
        read: true,
        write: true,
        createNew: true,
        mode: mode & 0o755,
      });
      let info: Deno.FileInfo | undefined;
      try {
        file.lockSync(false);
        info = file.statSync();
      } catch (e) {
        file.close();
        try {
          Deno.removeSync(path);
        } catch { /* gone already */ }
        throw e;
      }
      // A sweeper may have removed the file between its creation and the lock: then it has no
      // name left (names are random: one link means the name is still ours).
      if (info.nlink !== 0) return { path, file, info };
      file.close();
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists) || attempt >= 8) throw e;
    }
    if (attempt >= 8) throw new Error(`${dir}: cannot create a temporary file that stays`);
  }
}

/**
 * Keeps the lock while giving up write access: a program cannot be run
 * while a writer holds it open ("text file busy").
 */
export function holdReadOnly(temp: TempFile): void {
  const reader = Deno.openSync(temp.path, { read: true });
  reader.lockSync(false);
  temp.file.close();
  temp.file = reader;
}

/** Closes and removes the temporary file (no error when it is gone already). */
export function discardTemp(temp: TempFile): void {
  try {
    Deno.removeSync(temp.path);
  } catch { /* already gone */ }
  temp.file.close();
}

/**
 * Removes `path`, one of chalk's temporary files, when no live writer holds
 * it; true when it was removed.
 */
export function removeIfStale(path: string): boolean {
  try {
    if (!Deno.lstatSync(path).isFile) return false;
  } catch {
    return false;
  }
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch {
    return false; // not ours to judge (another user's, say)
  }
  try {
    if (!file.tryLockSync(true) || !stillNamed(path, file)) return false;
    Deno.removeSync(path);
    return true;
  } catch {
    return false;
  } finally {
    file.close();
  }
}

/** Receives log lines. */
interface InfoLog {
  info(message: string): void;
}

/** Removes the stale temporary files of each folder once per run, saying so. */
export class TempSweeper {
  readonly #swept = new Set<string>();
  readonly #log: InfoLog;

  /** A sweeper reporting each removal to `log`. */
  constructor(log: InfoLog) {
    this.#log = log;
  }

  /** Sweeps `dir` unless done already in this run. */
  sweep(dir: string): void {
    if (this.#swept.has(dir)) return;
    this.#swept.add(dir);
    try {
      for (const entry of Deno.readDirSync(dir)) {
        if (!entry.isFile || !isChalkTempName(entry.name)) continue;
        const path = join(dir, entry.name);
        if (removeIfStale(path)) {
          this.#log.info(`${path}: removed, left by an interrupted chalk run`);
        }
      }
    } catch { /* an unreadable folder has nothing we can sweep */ }
  }
}
