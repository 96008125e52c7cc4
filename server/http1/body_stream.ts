/**
 * A request body as a `ReadableStream`, read from the connection on demand (Content-Length or
 * chunked framing). The stream fails with {@linkcode ClientAbortError} when the connection ends
 * or is closed (body timeout) before the body is complete.
 *
 * @module
 */

import { ClientAbortError } from "../client_abort.ts";
import type { ConnReader } from "./conn_reader.ts";
import type { BodyFraming } from "./request_head.ts";

const CHUNK = 65536;

/** The body stream, and a promise that says whether it was read to its end. */
export interface BodyReader {
  /** The body (`null` when there is none). */
  stream: ReadableStream<Uint8Array> | null;
  /** True once every byte of the body was consumed (so the connection can be reused). */
  complete(): boolean;
}

function aborted(e: unknown): ClientAbortError {
  if (e instanceof ClientAbortError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new ClientAbortError(`connection closed before the end of the body (${reason})`);
}

/** Reads a body of `framing` from `reader`; `onDone` runs once the last byte was read. */
export function bodyReader(
  reader: ConnReader,
  framing: BodyFraming,
  onDone: () => void = () => {},
): BodyReader {
  if (framing.kind === "none") {
    onDone();
    return { stream: null, complete: () => true };
  }
  let done = false;
  let left = framing.kind === "length" ? framing.length : 0;
  let chunkLeft = 0;
  let trailers = false;
  const eof = () => new ClientAbortError("client closed the connection before the end of the body");
  const pullLength = async (c: ReadableStreamDefaultController<Uint8Array>) => {
    const bytes = await reader.readSome(Math.min(left, CHUNK));
    if (bytes === null) throw eof();
    left -= bytes.length;
    c.enqueue(bytes);
    if (left === 0) {
      done = true;
      onDone();
      c.close();
    }
  };
  const pullChunked = async (c: ReadableStreamDefaultController<Uint8Array>) => {
    while (chunkLeft === 0) {
      if (trailers) {
        const line = await reader.readLine(8192);
        if (line === null) throw eof();
        if (line === "") {
          done = true;
          onDone();
          c.close();
          return;
        }
        continue;
      }
      const line = await reader.readLine(8192);
      if (line === null) throw eof();
      const m = /^([0-9A-Fa-f]{1,12})(;.*)?$/.exec(line.trim());
      if (m === null) throw new ClientAbortError("malformed chunk size in a chunked body");
      const size = parseInt(m[1], 16);
      if (size === 0) trailers = true;
      else chunkLeft = size;
    }
    const bytes = await reader.readSome(Math.min(chunkLeft, CHUNK));
    if (bytes === null) throw eof();
    chunkLeft -= bytes.length;
    c.enqueue(bytes);
    if (chunkLeft === 0) {
      const crlf = await reader.readLine(2);
      if (crlf !== "") throw new ClientAbortError("malformed chunk end in a chunked body");
    }
  };
  const stream = new ReadableStream<Uint8Array>({
    async pull(c) {
      try {
        await (framing.kind === "length" ? pullLength(c) : pullChunked(c));
      } catch (e) {
        c.error(aborted(e));
      }
    },
  }, { highWaterMark: 0 });
  return { stream, complete: () => done };
}
