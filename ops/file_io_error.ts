/**
 * The error of a file that could not be read or written: one line naming the
 * file and the reason (docs/decisions.md, "One-line errors").
 *
 * @module
 */
import { osErrorReason } from "../internal/errors.ts";

/** A read or write problem, with the file and reason in one line. */
export class FileIoError extends Error {
  /** Builds the error; the message is `<path>: <reason>`. */
  constructor(readonly path: string, readonly reason: string) {
    super(`${path}: ${reason}`);
    this.name = "FileIoError";
  }
}

/** A short reason for a failed file system call ("permission denied", ...). */
export function ioReason(e: unknown): string {
  if (e instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (e instanceof Deno.errors.NotFound) return "no such file or directory";
  return osErrorReason(e);
}
