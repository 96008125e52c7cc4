/**
 * One HTTP/1.0 GET over a unix socket, read to the end. `fetch` over a unix-socket HTTP client
 * gets the same answer, but its first use in a process costs ~15-25 ms (Deno's HTTP client and
 * streams start up; measured against this, ~5 ms, for the image inspect that follows every
 * `chalk docker build`). HTTP/1.0 keeps the exchange simple: the engine (Go's net/http) answers
 * without chunked encoding and closes the connection when it is done.
 *
 * @module
 */

import { alarm } from "../internal/alarm.ts";
import { concatBytes } from "../internal/concat_bytes.ts";

/** A response: status code and the whole body. */
export interface UnixHttpResponse {
  status: number;
  body: Uint8Array;
}

/** Bodies larger than this are not read (the caller asks another way). */
const MAX_RESPONSE = 64 * 1024 * 1024;

function indexOfHeaderEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}

/** Status and body of a complete HTTP response, or undefined when it is not one chalk can trust. */
export function parseResponse(bytes: Uint8Array): UnixHttpResponse | undefined {
  const end = indexOfHeaderEnd(bytes);
  if (end < 0) return undefined;
  const head = new TextDecoder().decode(bytes.subarray(0, end)).split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(head[0]);
  if (!status) return undefined;
  const body = bytes.subarray(end + 4);
  for (const line of head.slice(1)) {
    const colon = line.indexOf(":");
    if (colon < 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    // Not expected in an answer to HTTP/1.0; a body chalk would have to decode is left to the CLI.
    if (name === "transfer-encoding" && value.toLowerCase() !== "identity") return undefined;
    if (name === "content-length" && Number(value) !== body.length) return undefined;
  }
  return { status: Number(status[1]), body };
}

/**
 * `GET path` on the HTTP server at unix socket `socket`; undefined when there is no answer
 * within `timeoutMs`, the socket refuses, or the answer is malformed or truncated.
 */
export async function unixHttpGet(
  socket: string,
  path: string,
  timeoutMs = 10_000,
): Promise<UnixHttpResponse | undefined> {
  let conn: Deno.UnixConn;
  try {
    conn = await Deno.connect({ transport: "unix", path: socket });
  } catch {
    return undefined;
  }
  let timedOut = false;
  const timer = alarm(timeoutMs, () => {
    timedOut = true;
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  });
  try {
    await conn.write(new TextEncoder().encode(`GET ${path} HTTP/1.0\r\nHost: docker\r\n\r\n`));
    const chunks: Uint8Array[] = [];
    let length = 0;
    const buf = new Uint8Array(64 * 1024);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      length += n;
      if (length > MAX_RESPONSE) return undefined;
      chunks.push(buf.slice(0, n));
    }
    return timedOut ? undefined : parseResponse(concatBytes(chunks));
  } catch {
    return undefined; // reset, or closed by the timer
  } finally {
    timer.cancel();
    try {
      conn.close();
    } catch {
      // Closed by the timer.
    }
  }
}
