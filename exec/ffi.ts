/**
 * `execve(2)` through Deno FFI on glibc (docs/decisions.md,
 * "exec keeps the workload's PID"): chalk replaces itself with the workload,
 * which keeps chalk's PID, stdio, and exit status.
 *
 * Before the call every signal disposition is reset to SIG_DFL and the
 * signal mask is cleared. Deno (Rust) ignores SIGPIPE, and an ignored
 * disposition survives execve: without the reset, a workload writing to a
 * closed pipe would get EPIPE instead of dying of SIGPIPE as it does when
 * started by a shell. Handlers (Deno's signal listeners) are reset by the
 * kernel anyway; the mask is inherited too, so it is emptied.
 */

/** execve failed: the workload did not start (chalk is still running). */
export class ExecError extends Error {
  readonly errno: number;
  constructor(path: string, errno: number, reason: string) {
    super(`when execing '${path}': ${reason}`);
    this.name = "ExecError";
    this.errno = errno;
  }
}

const SIG_SETMASK = 2;
/** sizeof(sigset_t) in glibc. */
const SIGSET_BYTES = 128;
/** SIGKILL and SIGSTOP cannot be changed. */
const UNTOUCHABLE = new Set([9, 19]);
/** rt_sigaction's syscall number: glibc's signal() refuses 32 and 33 (NPTL's own). */
const SYS_RT_SIGACTION: Partial<Record<typeof Deno.build.arch, bigint>> = {
  x86_64: 13n,
  aarch64: 134n,
};
/** A zeroed kernel `struct sigaction` (handler SIG_DFL, no flags, empty mask), large enough. */
const DEFAULT_ACTION = new Uint8Array(64);
/** The highest signal number on Linux (SIGRTMAX). */
const SIGNAL_MAX = 64;

const SYMBOLS = {
  execve: { parameters: ["buffer", "buffer", "buffer"], result: "i32" },
  signal: { parameters: ["i32", "pointer"], result: "pointer" },
  syscall: { parameters: ["i64", "i64", "buffer", "pointer", "i64"], result: "i64" },
  sigprocmask: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  strerror: { parameters: ["i32"], result: "pointer" },
  __errno_location: { parameters: [], result: "pointer" },
  setpriority: { parameters: ["i32", "u32", "i32"], result: "i32" },
  waitpid: { parameters: ["i32", "buffer", "i32"], result: "i32" },
  isatty: { parameters: ["i32"], result: "i32" },
  tcgetpgrp: { parameters: ["i32"], result: "i32" },
  getpgrp: { parameters: [], result: "i32" },
  open: { parameters: ["buffer", "i32"], result: "i32" },
  dup2: { parameters: ["i32", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
} as const;

const PRIO_PROCESS = 0;
const WNOHANG = 1;

type Libc = Deno.DynamicLibrary<typeof SYMBOLS>;

let libc: Libc | undefined;

function open(): Libc {
  libc ??= Deno.dlopen("libc.so.6", SYMBOLS);
  return libc;
}

function cString(text: string): Uint8Array<ArrayBuffer> {
  const bytes = new TextEncoder().encode(text);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** A NULL-terminated `char *[]`; `keep` holds the strings alive during the call. */
function cStringArray(
  items: readonly string[],
): { array: BigUint64Array<ArrayBuffer>; keep: Uint8Array[] } {
  const keep = items.map(cString);
  const array = new BigUint64Array(keep.length + 1);
  keep.forEach((b, i) => {
    array[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(b)));
  });
  return { array, keep };
}

function errnoText(lib: Libc): { errno: number; text: string } {
  const loc = lib.symbols.__errno_location();
  const errno = loc ? new Deno.UnsafePointerView(loc).getInt32() : 0;
  const msg = lib.symbols.strerror(errno);
  return { errno, text: msg ? Deno.UnsafePointerView.getCString(msg) : `errno ${errno}` };
}

/** Resets every signal disposition to SIG_DFL and empties the signal mask. */
export function resetSignals(): void {
  const lib = open();
  const rtSigaction = SYS_RT_SIGACTION[Deno.build.arch];
  for (let sig = 1; sig <= SIGNAL_MAX; sig++) {
    if (UNTOUCHABLE.has(sig)) continue;
    // The raw call reaches every signal; the sigset size the kernel expects is 8 bytes.
    if (rtSigaction !== undefined) {
      lib.symbols.syscall(rtSigaction, BigInt(sig), DEFAULT_ACTION, null, 8n);
    } else lib.symbols.signal(sig, null);
  }
  lib.symbols.sigprocmask(SIG_SETMASK, new Uint8Array(SIGSET_BYTES), null);
}

/** `KEY=value` strings of an environment. */
export function envStrings(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/**
 * Replaces this process with `path`, run with `argv` (argv[0] included) and
 * `env`. Returns only on failure, by throwing `ExecError`; the signal
 * dispositions are then already reset.
 */
export function execve(
  path: string,
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): never {
  const lib = open();
  const file = cString(path);
  const args = cStringArray(argv);
  const envp = cStringArray(envStrings(env));
  resetSignals();
  lib.symbols.execve(file, args.array, envp.array);
  const { errno, text } = errnoText(lib);
  // Keep the arrays' strings reachable until after the call.
  void args.keep.length;
  void envp.keep.length;
  throw new ExecError(path, errno, text);
}

/** Lowers this process's scheduling priority to `nice` (best effort). */
export function lowerPriority(nice: number): void {
  try {
    open().symbols.setpriority(PRIO_PROCESS, 0, nice);
  } catch {
    // no libc (not glibc): keep the priority
  }
}

/** Reaps `pid` if it is a zombie child of this process; true when it was reaped. */
export function reapChild(pid: number): boolean {
  const status = new Int32Array(1);
  return open().symbols.waitpid(pid, new Uint8Array(status.buffer), WNOHANG) === pid;
}

/**
 * True when this process's group is the foreground group of the terminal
 * on its stdin, stdout or stderr: the terminal's own signals (Ctrl-C,
 * Ctrl-\\, resize, hangup) then reach every member of the group directly.
 */
export function inForegroundOfTerminal(): boolean {
  const lib = open();
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
    const lib = open();
    const devNull = lib.symbols.open(cString("/dev/null"), O_WRONLY);
    if (devNull < 0) return;
    for (const n of same) if (n !== devNull) lib.symbols.dup2(devNull, n);
    lib.symbols.close(devNull);
  } catch {
    // no /proc or no libc (not glibc): keep the stream
  }
}
