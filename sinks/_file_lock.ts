/**
 * Advisory locks between chalk processes, held by the kernel (`flock` through
 * `Deno.FsFile.lock`): a lock lasts exactly as long as its holder's open file,
 * so a crash releases it and a live holder is never taken for dead. Pids would
 * not do: two containers sharing a volume see each other's pids as absent.
 */

/** The lock could not be taken within the timeout. */
export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string, timeoutMs: number) {
    super(`${lockPath}: still locked by another chalk process after ${timeoutMs} ms`);
    this.name = "LockTimeoutError";
  }
}

function sameFile(a: Deno.FileInfo, b: Deno.FileInfo | undefined): boolean {
  return b !== undefined && a.dev === b.dev && a.ino === b.ino;
}

/**
 * An exclusive lock on the file at `lockPath` (created if missing), or undefined when another
 * process holds it. Holders remove the file before releasing it, so a lock taken on a file
 * that is no longer at `lockPath` is dropped and the next attempt takes the current one.
 */
export async function tryLockFile(lockPath: string): Promise<Deno.FsFile | undefined> {
  for (;;) {
    const file = await Deno.open(lockPath, { read: true, write: true, create: true, mode: 0o600 });
    if (!(await file.tryLock(true))) {
      file.close();
      return undefined;
    }
    if (sameFile(await file.stat(), await Deno.stat(lockPath).catch(() => undefined))) return file;
    file.close();
  }
}

/** Removes the lock file, then releases the lock (in that order: see `tryLockFile`). */
export async function releaseLockFile(lockPath: string, file: Deno.FsFile): Promise<void> {
  await Deno.remove(lockPath).catch(() => {});
  file.close();
}

/** Runs `body` while holding `<path>.lock`; throws `LockTimeoutError` after `timeoutMs`. */
export async function withFileLock<T>(
  path: string,
  timeoutMs: number,
  body: () => Promise<T>,
): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + timeoutMs;
  let pause = 2;
  let file: Deno.FsFile | undefined;
  while ((file = await tryLockFile(lockPath)) === undefined) {
    if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, timeoutMs);
    await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
    pause = Math.min(pause * 2, 50);
  }
  try {
    return await body();
  } finally {
    await releaseLockFile(lockPath, file);
  }
}
