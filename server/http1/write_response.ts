/**
 * Writes a `Response` to a connection as HTTP/1.1: status line, headers, `Content-Length`
 * (bodies are buffered: every answer of this server is small and made in memory), and whether
 * the connection stays open.
 *
 * @module
 */

import { STATUS_CODES } from "node:http";

/** Something bytes can be written to (a `Deno.Conn`). */
export interface ByteSink {
  /** Writes some of `p`; resolves with the count written. */
  write(p: Uint8Array): Promise<number>;
}

/** Writes all of `bytes`. */
export async function writeAll(sink: ByteSink, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await sink.write(bytes.subarray(at));
}

const HOP_BY_HOP = new Set(["connection", "content-length", "transfer-encoding", "keep-alive"]);

/** Options of {@linkcode writeResponse}. */
export interface WriteOptions {
  /** Chooses the `Connection` header. */
  keepAlive: boolean;
  /**
   * The answer to a HEAD request: the head GET would send, `Content-Length` included
   * (RFC 9110 §9.3.2), and no body.
   */
  headOnly?: boolean;
}

/** Writes `response` as the answer to one request. */
export async function writeResponse(
  sink: ByteSink,
  response: Response,
  options: WriteOptions,
): Promise<void> {
  const body = response.body === null
    ? new Uint8Array(0)
    : new Uint8Array(await response.arrayBuffer());
  let head = `HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}\r\n`;
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) head += `${name}: ${value}\r\n`;
  });
  head += `content-length: ${body.length}\r\nconnection: ${
    options.keepAlive ? "keep-alive" : "close"
  }\r\n\r\n`;
  const headBytes = new TextEncoder().encode(head);
  const sent = options.headOnly ? body.subarray(0, 0) : body;
  const out = new Uint8Array(headBytes.length + sent.length);
  out.set(headBytes, 0);
  out.set(sent, headBytes.length);
  await writeAll(sink, out);
}
