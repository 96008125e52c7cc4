/**
 * Exit codes and the errors that carry them. A command returns its status;
 * an error that escapes it names its own code, so `cli/main.ts` needs no
 * per-command cases (docs/decisions.md, "Exit codes").
 *
 * @module
 */

/** 0 success, 1 the operation failed, 2 usage or configuration error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** An error that ends the command with `exitCode` (one line per message line, no stack). */
export class ChalkError extends Error {
  constructor(message: string, readonly exitCode: number = EXIT.failed) {
    super(message);
    this.name = "ChalkError";
  }
}

/** A usage or configuration problem: exit code 2. */
export class UsageError extends ChalkError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = "UsageError";
  }
}

/** The exit code for anything thrown out of a command. */
export function exitCodeOf(e: unknown): number {
  return e instanceof ChalkError ? e.exitCode : EXIT.failed;
}

/** The message of anything thrown. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The reason of a failed system call without Deno's tail: "Is a directory (os error 21): rename
 * '/tmp/.x.chalk-1a.tmp' -> '/tmp/x'" becomes "is a directory". The caller names the file the
 * user gave once; the tail named it again, or a temporary file the user never asked about, at
 * any length (a 4 KiB path twice). Anything else: its message.
 */
export function osErrorReason(e: unknown): string {
  const message = errorMessage(e);
  const os = /^([^\n]*?) \(os error \d+\)/.exec(message);
  if (!os || os[1] === "") return message;
  return os[1].charAt(0).toLowerCase() + os[1].slice(1);
}
