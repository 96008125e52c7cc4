/**
 * Keeping SIGUSR1 from opening Deno's inspector. Since Deno 2.9.2, `deno run` (not a `deno
 * compile` binary) starts listening for SIGUSR1 half a second after it starts, and on the
 * signal opens the V8 inspector on 127.0.0.1:9229 (denoland/deno#35738): any local process
 * could then connect and run code inside chalk, often root and PID 1 of a container. No flag
 * or variable turns it off, and a JavaScript listener does not replace it. Two defences:
 *
 * - Every chalk process: once it has lived {@link DISARM_AFTER_MS}, SIGUSR1 gets its default
 *   action back (the process ends, as any program without a handler would). The runtime's
 *   own handler is installed first, through a listener added and removed at once, so that
 *   Deno installs it now, and never again (its signal registry installs a handler once per
 *   signal); the listener the inspector adds later then never runs.
 * - `chalk exec --chalk-as-parent`, which must pass SIGUSR1 on to its workload: chalk
 *   restarts itself (same PID, argv and environment, bytes as given) with SIGUSR1 blocked,
 *   so that every thread of the runtime inherits the block, and waits for the signal on a
 *   thread of its own (`sigwaitinfo`), which no handler of the runtime sees.
 *
 * @module
 */
import { defaultDisposition, execveBytes } from "./execve.ts";
import { libc } from "./libc.ts";
import { procWords } from "./proc_words.ts";

const SIGUSR1 = 10;
const SIG_BLOCK = 0;
const SIG_UNBLOCK = 1;
/** sizeof(sigset_t) in glibc. */
const SIGSET_BYTES = 128;

/**
 * Short commands end before this and pay nothing (the C library's first use costs a few
 * ms); Deno's listener starts 500 ms after the runtime, so this comes first.
 */
export const DISARM_AFTER_MS = 100;

/** The folder chalk started in (`deno task chalk` moves to the caller's): a restart returns to it. */
const START_CWD = Deno.cwd();

function usr1Set(): Uint8Array<ArrayBuffer> {
  const set = new Uint8Array(SIGSET_BYTES);
  const bit = SIGUSR1 - 1;
  set[bit >> 3] = 1 << (bit & 7);
  return set;
}

/** True when this thread (the main one: so every thread, if inherited at start) blocks SIGUSR1. */
export function usr1Blocked(): boolean {
  try {
    const status = Deno.readTextFileSync("/proc/thread-self/status");
    const hex = /^SigBlk:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    return hex !== undefined && (BigInt(`0x${hex}`) & (1n << BigInt(SIGUSR1 - 1))) !== 0n;
  } catch {
    return false;
  }
}

/** Gives SIGUSR1 its default action for good, unless it is blocked (see the module's text). */
export function disarmInspectorSignal(): void {
  if (Deno.build.os !== "linux" || usr1Blocked()) return;
  const noop = () => {};
  try {
    Deno.addSignalListener("SIGUSR1", noop);
    Deno.removeSignalListener("SIGUSR1", noop);
    defaultDisposition(SIGUSR1);
  } catch {
    // no FFI or no signals here: nothing this process can do
  }
}

/** Runs {@link disarmInspectorSignal} once the process has lived {@link DISARM_AFTER_MS}. */
export function scheduleInspectorSignalDisarm(): void {
  Deno.unrefTimer(setTimeout(disarmInspectorSignal, DISARM_AFTER_MS));
}

/**
 * Restarts this process with SIGUSR1 blocked (execve of /proc/self/exe with the same argv and
 * environment). Returns only when that is not possible (after unblocking again); a process
 * that already blocks it returns at once.
 */
export function restartWithUsr1Blocked(): void {
  if (Deno.build.os !== "linux" || usr1Blocked()) return;
  const argv = procWords("/proc/self/cmdline");
  const envp = procWords("/proc/self/environ");
  if (argv === undefined || envp === undefined) return;
  const lib = libc();
  lib.symbols.sigprocmask(SIG_BLOCK, usr1Set(), null);
  try {
    Deno.chdir(START_CWD);
    execveBytes("/proc/self/exe", argv, envp, { keepSignals: true });
  } catch {
    lib.symbols.sigprocmask(SIG_UNBLOCK, usr1Set(), null);
  }
}

/**
 * Calls `onSignal` for each SIGUSR1 the process receives while it blocks it, until the
 * process ends (the waiting thread ends with it).
 */
export async function waitForBlockedUsr1(onSignal: () => void): Promise<void> {
  const set = usr1Set();
  while (true) {
    const sig = await libc().symbols.sigwaitinfo(set, null);
    if (sig === SIGUSR1) onSignal();
  }
}
