/**
 * Starting the workload of `chalk exec --chalk-as-parent` with `posix_spawn(3)`: an empty
 * signal mask and every signal at its default action, as a shell would start it. Deno's
 * own spawn passes chalk's signal mask on, and chalk as parent blocks SIGUSR1
 * (internal/inspector_signal.ts); argv and the environment go as bytes, unchanged.
 *
 * @module
 */
import { cString, libc } from "../internal/libc.ts";
import { cStringArray } from "../internal/execve.ts";

/** sizeof(posix_spawnattr_t) in glibc (336 on x86-64), with room to spare. */
const ATTR_BYTES = 512;
/** sizeof(sigset_t) in glibc. */
const SIGSET_BYTES = 128;
const POSIX_SPAWN_SETSIGDEF = 0x04;
const POSIX_SPAWN_SETSIGMASK = 0x08;
const EINTR = 4;

/** posix_spawn failed: the program did not start. */
export class SpawnError extends Error {
  constructor(path: string, reason: string) {
    super(`when execing '${path}': ${reason}`);
    this.name = "SpawnError";
  }
}

/** How a child ended: its exit code, or the signal that killed it. */
export interface ChildEnd {
  code: number;
  signal: number | null;
}

/** Every signal but SIGKILL and SIGSTOP (which cannot be changed). */
function allSignals(): Uint8Array<ArrayBuffer> {
  const set = new Uint8Array(SIGSET_BYTES);
  for (let sig = 1; sig <= 64; sig++) {
    if (sig === 9 || sig === 19) continue;
    set[(sig - 1) >> 3] |= 1 << ((sig - 1) & 7);
  }
  return set;
}

function errnoText(errno: number): string {
  const msg = libc().symbols.strerror(errno);
  return msg ? Deno.UnsafePointerView.getCString(msg) : `errno ${errno}`;
}

/** Starts `path` with `argv` (argv[0] included) and `envp` (`KEY=value`); returns its PID. */
export function spawnWorkload(
  path: string,
  argv: readonly Uint8Array[],
  envp: readonly Uint8Array[],
): number {
  const lib = libc().symbols;
  const attr = new Uint8Array(ATTR_BYTES);
  lib.posix_spawnattr_init(attr);
  lib.posix_spawnattr_setflags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  lib.posix_spawnattr_setsigmask(attr, new Uint8Array(SIGSET_BYTES));
  lib.posix_spawnattr_setsigdefault(attr, allSignals());
  const pid = new Int32Array(1);
  const args = cStringArray(argv);
  const env = cStringArray(envp);
  const err = lib.posix_spawn(
    new Uint8Array(pid.buffer),
    cString(path),
    null,
    attr,
    new Uint8Array(args.array.buffer),
    new Uint8Array(env.array.buffer),
  );
  void args.keep.length;
  void env.keep.length;
  if (err !== 0) throw new SpawnError(path, errnoText(err));
  return pid[0];
}

/** Waits (on a thread of its own) for child `pid` to end, and reaps it. */
export async function waitForChild(pid: number): Promise<ChildEnd> {
  const status = new Int32Array(1);
  while (true) {
    const got = await libc().symbols.waitpidBlocking(pid, new Uint8Array(status.buffer), 0);
    if (got === pid) break;
    const errno = got < 0
      ? new Deno.UnsafePointerView(libc().symbols.__errno_location()!).getInt32()
      : 0;
    if (got < 0 && errno !== EINTR) return { code: 1, signal: null };
  }
  const s = status[0];
  const termSig = s & 0x7f;
  if (termSig === 0) return { code: (s >> 8) & 0xff, signal: null };
  return { code: 128 + termSig, signal: termSig };
}
