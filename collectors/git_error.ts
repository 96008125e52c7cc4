/**
 * The one error type of the in-process git reader. Every failure to read
 * a repository (corrupt object, truncated pack, unreadable ref) becomes a
 * `GitReadError` naming the file and, where known, the byte offset; the
 * top-level reader turns it into a warning string, never a crash.
 */
export class GitReadError extends Error {
  /** The file that could not be read or parsed. */
  readonly file: string;
  /** Byte offset inside `file`, when the problem has one. */
  readonly offset: number | undefined;
  /** The bare reason, without file or offset. */
  readonly reason: string;

  /**
   * A read failure of `file`.
   *
   * @param file the file that is at fault
   * @param reason one line a person can act on
   * @param offset byte offset inside `file`, if any
   */
  constructor(file: string, reason: string, offset?: number) {
    super(offset === undefined ? `${file}: ${reason}` : `${file} at offset ${offset}: ${reason}`);
    this.name = "GitReadError";
    this.file = file;
    this.reason = reason;
    this.offset = offset;
  }
}
