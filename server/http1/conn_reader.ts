/**
 * Buffered reading from a connection: the request head up to its blank line, then exact byte
 * counts and lines for bodies. Bytes read past one request stay for the next (keep-alive).
 *
 * @module
 */

const CRLF = 0x0d0a;

/** The source a {@linkcode ConnReader} reads: a `Deno.Conn` or anything with its `read`. */
export interface ByteSource {
  /** Reads into `p`; resolves with the count, or `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
}

/** The head grew past the limit before its blank line. */
export class HeadTooLargeError extends Error {
  /** Builds the error naming the limit. */
  constructor(limit: number) {
    super(`request headers are larger than ${limit} bytes`);
    this.name = "HeadTooLargeError";
  }
}

/** A buffered reader over one connection. */
export class ConnReader {
  #buf = new Uint8Array(16384);
  #start = 0;
  #end = 0;

  /** Reads from `source`; `onBytes` runs whenever bytes arrive. */
  constructor(readonly source: ByteSource, readonly onBytes: () => void = () => {}) {}

  /** Bytes buffered and not yet consumed. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /** Reads more into the buffer; `false` at end of stream. */
  async #fill(): Promise<boolean> {
    if (this.#start > 0 && this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#end === this.#buf.length) {
      const live = this.#end - this.#start;
      const next = live * 2 > this.#buf.length ? new Uint8Array(this.#buf.length * 2) : this.#buf;
      next.set(this.#buf.subarray(this.#start, this.#end), 0);
      this.#buf = next;
      this.#start = 0;
      this.#end = live;
    }
    const n = await this.source.read(this.#buf.subarray(this.#end));
    if (n === null) return false;
    this.#end += n;
    this.onBytes();
    return true;
  }

  /**
   * The bytes up to and including the first blank line (`\r\n\r\n`), or `null` when the stream
   * ends before any byte of a new head.
   *
   * @throws {HeadTooLargeError} past `limit` bytes; `Deno.errors.UnexpectedEof` mid-head.
   */
  async readHead(limit: number): Promise<Uint8Array | null> {
    // Bytes after #start already searched; relative, because #fill may move the data.
    let checked = 0;
    for (;;) {
      for (let i = this.#start + Math.max(0, checked - 3); i + 3 < this.#end; i++) {
        if (
          this.#buf[i] === 0x0d && this.#buf[i + 1] === 0x0a && this.#buf[i + 2] === 0x0d &&
          this.#buf[i + 3] === 0x0a
        ) {
          if (i + 4 - this.#start > limit) throw new HeadTooLargeError(limit);
          const head = this.#buf.slice(this.#start, i + 4);
          this.#start = i + 4;
          return head;
        }
      }
      checked = this.#end - this.#start;
      if (checked > limit) throw new HeadTooLargeError(limit);
      if (!await this.#fill()) {
        if (this.buffered === 0) return null;
        throw new Deno.errors.UnexpectedEof("connection closed in the middle of the headers");
      }
    }
  }

  /** Up to `max` bytes (at least one), or `null` at end of stream. */
  async readSome(max: number): Promise<Uint8Array | null> {
    if (this.buffered === 0 && !await this.#fill()) return null;
    const n = Math.min(max, this.buffered);
    const out = this.#buf.slice(this.#start, this.#start + n);
    this.#start += n;
    return out;
  }

  /** One line without its CRLF (chunked encoding), at most `limit` bytes, or `null` at EOF. */
  async readLine(limit: number): Promise<string | null> {
    for (;;) {
      for (let i = this.#start; i + 1 < this.#end; i++) {
        if (((this.#buf[i] << 8) | this.#buf[i + 1]) === CRLF) {
          const line = new TextDecoder("latin1").decode(this.#buf.subarray(this.#start, i));
          this.#start = i + 2;
          return line;
        }
      }
      if (this.buffered > limit + 2) throw new HeadTooLargeError(limit);
      if (!await this.#fill()) return null;
    }
  }
}
