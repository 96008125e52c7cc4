/**
 * Replacing chalk with another program through `execve(2)` (docs/decisions.md, "exec keeps the
 * workload's PID"): the program keeps chalk's PID, stdio, terminal and exit status. `chalk
 * exec` becomes its workload this way, and docker pass-through becomes docker.
 *
 * Before the call every signal disposition is reset to SIG_DFL and the signal mask is
 * cleared. Deno (Rust) ignores SIGPIPE, and an ignored disposition survives execve: without
 * the reset, a program writing to a closed pipe would get EPIPE instead of dying of SIGPIPE as
 * it does when started by a shell. Handlers (Deno's signal listeners) are reset by the kernel
 * anyway; the mask is inherited too, so it is emptied.
 *
 * @module
 */
import { cString, lastError, libc } from "./libc.ts";

/** execve failed: the program did not start (chalk is still running). */
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

/** `bytes` followed by a NUL, for a `const char *` parameter. */
function nulTerminated(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** A NULL-terminated `char *[]`; `keep` holds the strings alive during the call. */
export function cStringArray(
  items: readonly Uint8Array[],
): { array: BigUint64Array<ArrayBuffer>; keep: Uint8Array[] } {
  const keep = items.map(nulTerminated);
  const array = new BigUint64Array(keep.length + 1);
  keep.forEach((b, i) => {
    array[i] = BigInt(Deno.UnsafePointer.value(Deno.UnsafePointer.of(b)));
  });
  return { array, keep };
}

/** Sets `sig`'s disposition to SIG_DFL, whoever installed a handler for it. */
export function defaultDisposition(sig: number): void {
  const rtSigaction = SYS_RT_SIGACTION[Deno.build.arch];
  // The raw call reaches every signal; the sigset size the kernel expects is 8 bytes.
  if (rtSigaction !== undefined) {
    libc().symbols.syscall(rtSigaction, BigInt(sig), DEFAULT_ACTION, null, 8n);
  } else libc().symbols.signal(sig, null);
}

/** Resets every signal disposition to SIG_DFL and empties the signal mask. */
export function resetSignals(): void {
  for (let sig = 1; sig <= SIGNAL_MAX; sig++) {
    if (!UNTOUCHABLE.has(sig)) defaultDisposition(sig);
  }
  libc().symbols.sigprocmask(SIG_SETMASK, new Uint8Array(SIGSET_BYTES), null);
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
  const encoder = new TextEncoder();
  const bytes = (words: readonly string[]) => words.map((w) => encoder.encode(w));
  execveBytes(path, bytes(argv), bytes(envStrings(env)));
}

/** How {@link execveBytes} leaves the signals. */
export interface ExecveOptions {
  /**
   * Keep the signal mask and dispositions: chalk restarting itself with a signal blocked
   * (internal/inspector_signal.ts). Default: reset, as for any program chalk becomes.
   */
  keepSignals?: boolean;
}

/**
 * {@link execve} with argv and the environment (`KEY=value`) as bytes, passed on exactly:
 * what chalk was given need not be UTF-8 (docs/exec.md, "Default mode").
 */
export function execveBytes(
  path: string,
  argv: readonly Uint8Array[],
  envp: readonly Uint8Array[],
  options: ExecveOptions = {},
): never {
  const lib = libc();
  const file = cString(path);
  const args = cStringArray(argv);
  const env = cStringArray(envp);
  if (!options.keepSignals) resetSignals();
  lib.symbols.execve(file, args.array, env.array);
  const { errno, text } = lastError(lib);
  // Keep the arrays' strings reachable until after the call.
  void args.keep.length;
  void env.keep.length;
  throw new ExecError(path, errno, text);
}
