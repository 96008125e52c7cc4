/**
 * How the reporter tells chalk that the exec report was delivered, before the workload starts
 * (docs/exec.md, "Short-lived workloads in containers"). As PID 1 of a PID namespace (a
 * container), the workload takes every other process of the namespace with it when it ends,
 * the reporter included; so there chalk first waits, at most `exec.report_wait`, for this word.
 *
 * A pipe: chalk keeps the read end (close-on-exec, so the workload never holds it), the
 * reporter inherits the write end (at a descriptor above the shell's 0-9, named in its job),
 * writes `ok` or `failed <reason>`, and closes it. A reporter that dies first closes it too,
 * so chalk never waits for a word that cannot come.
 *
 * @module
 */
import { cString, lastError, libc } from "../internal/libc.ts";

const O_CLOEXEC = 0o2000000;
const F_DUPFD = 0;
/** The lowest descriptor the reporter's end may take: `sh -c` uses 3 for its own redirection. */
const MIN_CHILD_FD = 10;
const POLLIN = 1;
const EINTR = 4;

/** chalk's side of the channel. */
export interface DeliveryChannel {
  readFd: number;
  /** The descriptor the reporter inherits (chalk closes its own copy once the reporter runs). */
  writeFd: number;
}

/** What chalk learnt within the wait. */
export type DeliveryOutcome = { delivered: true } | { delivered: false; reason: string };

/** Opens the channel; undefined when the system refuses (chalk then does not wait). */
export function openDeliveryChannel(): DeliveryChannel | undefined {
  try {
    const lib = libc();
    const fds = new Int32Array(2);
    if (lib.symbols.pipe2(new Uint8Array(fds.buffer), O_CLOEXEC) !== 0) return undefined;
    // F_DUPFD gives a copy without close-on-exec: the one the reporter inherits.
    const writeFd = lib.symbols.fcntl(fds[1], F_DUPFD, MIN_CHILD_FD);
    lib.symbols.close(fds[1]);
    if (writeFd < 0) {
      lib.symbols.close(fds[0]);
      return undefined;
    }
    return { readFd: fds[0], writeFd };
  } catch {
    return undefined; // no libc (not glibc)
  }
}

/** Closes chalk's copy of the reporter's end (after the reporter started, or on failure). */
export function closeWriteEnd(channel: DeliveryChannel): void {
  libc().symbols.close(channel.writeFd);
}

/** Waits up to `ms` for the reporter's word; closes chalk's end. */
export function awaitDelivery(channel: DeliveryChannel, ms: number): DeliveryOutcome {
  const lib = libc();
  try {
    const pollfd = new DataView(new ArrayBuffer(8));
    pollfd.setInt32(0, channel.readFd, true);
    pollfd.setInt16(4, POLLIN, true);
    const end = performance.now() + ms;
    for (;;) {
      const left = Math.max(0, Math.ceil(end - performance.now()));
      const ready = lib.symbols.poll(new Uint8Array(pollfd.buffer), 1n, left);
      if (ready > 0) break;
      if (ready === 0) return { delivered: false, reason: `not delivered within ${ms} ms` };
      if (lastError(lib).errno !== EINTR) return { delivered: false, reason: "poll failed" };
    }
    const buf = new Uint8Array(512);
    const n = Number(lib.symbols.read(channel.readFd, buf, BigInt(buf.length)));
    const word = new TextDecoder().decode(buf.subarray(0, Math.max(0, n))).trim();
    if (word === "ok") return { delivered: true };
    if (word.startsWith("failed ")) return { delivered: false, reason: word.slice(7) };
    return { delivered: false, reason: "the reporter ended before sending it" };
  } finally {
    lib.symbols.close(channel.readFd);
  }
}

/** The reporter's side: says how delivery went on descriptor `fd`, then closes it. */
export function tellDelivery(fd: number, outcome: DeliveryOutcome): void {
  try {
    const lib = libc();
    const word = outcome.delivered ? "ok\n" : `failed ${outcome.reason.replaceAll("\n", " ")}\n`;
    const bytes = cString(word);
    // chalk may have stopped listening (the wait ended): EPIPE then, and nothing to do.
    lib.symbols.write(fd, bytes, BigInt(bytes.length - 1));
    lib.symbols.close(fd);
  } catch {
    // no libc: chalk's wait ends with the reporter
  }
}
