/**
 * An advisory lock between chalk processes: a `<path>.lock` file created
 * exclusively and holding the owner's pid. A lock whose owner is gone is
 * taken over (rename, check, remove), so a crash never blocks later runs.
 */

/** The lock could not be taken within the timeout. */
export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string, timeoutMs: number) {
    super(`${lockPath}: still locked by another chalk process after ${timeoutMs} ms`);
    this.name = "LockTimeoutError";
  }
}

/** True while a process with that pid exists on this host (Linux `/proc`). */
export function processAlive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function ownerPid(path: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(path).catch(() => "");
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** Removes `lockPath` if its owner died; true when it did. */
async function breakStale(lockPath: string): Promise<boolean> {
  const pid = await ownerPid(lockPath);
  // A lock just created may not hold its pid yet: only a readable, dead pid is stale.
  if (pid === undefined || processAlive(pid)) return false;
  const aside = `${lockPath}.stale.${Deno.pid}.${crypto.randomUUID()}`;
  try {
    await Deno.rename(lockPath, aside);
  } catch {
    return false;
  }
  if ((await ownerPid(aside)) === pid) {
    await Deno.remove(aside).catch(() => {});
    return true;
  }
  // Someone else replaced the stale lock meanwhile: put theirs back unless a newer one exists.
  await Deno.link(aside, lockPath).catch(() => {});
  await Deno.remove(aside).catch(() => {});
  return false;
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
  for (;;) {
    try {
      // Write the pid to a private file first and link it in: the lock never exists empty.
      const mine = `${lockPath}.${Deno.pid}.${crypto.randomUUID()}`;
      await Deno.writeTextFile(mine, `${Deno.pid}\n`, { mode: 0o600 });
      try {
        await Deno.link(mine, lockPath);
      } finally {
        await Deno.remove(mine).catch(() => {});
      }
      break;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
      if (await breakStale(lockPath)) continue;
      if (Date.now() >= deadline) throw new LockTimeoutError(lockPath, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 50);
    }
  }
  try {
    return await body();
  } finally {
    await Deno.remove(lockPath).catch(() => {});
  }
}
