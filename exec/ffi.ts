/**
 * The system calls `chalk exec` makes besides `execve` (internal/execve.ts): scheduling
 * priority, reaping, terminal process groups, and pointing a stream at /dev/null.
 *
 * @module
 */
import { cString, libc } from "../internal/libc.ts";

const PRIO_PROCESS = 0;
const WNOHANG = 1;

/** Lowers this process's scheduling priority to `nice` (best effort). */
export function lowerPriority(nice: number): void {
  try {
    libc().symbols.setpriority(PRIO_PROCESS, 0, nice);
  } catch {
    // no libc (not glibc): keep the priority
  }
}

/** Reaps `pid` if it is a zombie child of this process; true when it was reaped. */
export function reapChild(pid: number): boolean {
  const status = new Int32Array(1);
  return libc().symbols.waitpid(pid, new Uint8Array(status.buffer), WNOHANG) === pid;
}

/**
 * True when this process's group is the foreground group of the terminal
 * on its stdin, stdout or stderr: the terminal's own signals (Ctrl-C,
 * Ctrl-\\, resize, hangup) then reach every member of the group directly.
 */
export function inForegroundOfTerminal(): boolean {
  const lib = libc();
  for (const fd of [0, 1, 2]) {
    if (lib.symbols.isatty(fd) !== 1) continue;
    const fg = lib.symbols.tcgetpgrp(fd);
    return fg > 0 && fg === lib.symbols.getpgrp();
  }
  return false;
}

const O_WRONLY = 1;

/**
 * Points file descriptor `fd` at /dev/null (best effort): the stream it held is let go, and
 * later writes to it are discarded instead of failing. Deno keeps its own duplicates of the
 * standard streams, so every descriptor of this process open on the same file goes too.
 */
export function redirectToDevNull(fd: number): void {
  try {
    const target = Deno.readLinkSync(`/proc/self/fd/${fd}`);
    const same = [...Deno.readDirSync("/proc/self/fd")].map((e) => Number(e.name)).filter((n) => {
      try {
        return Deno.readLinkSync(`/proc/self/fd/${n}`) === target;
      } catch {
        return false;
      }
    });
    const lib = libc();
    const devNull = lib.symbols.open(cString("/dev/null"), O_WRONLY);
    if (devNull < 0) return;
    for (const n of same) if (n !== devNull) lib.symbols.dup2(devNull, n);
    lib.symbols.close(devNull);
  } catch {
    // no /proc or no libc (not glibc): keep the stream
  }
}
