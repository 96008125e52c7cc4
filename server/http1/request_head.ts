/**
 * Parses an HTTP/1.x request head (request line and header fields) strictly: a malformed
 * head is answered with 400 and the connection closed, never guessed at.
 *
 * @module
 */

/** A parsed request head. */
export interface RequestHead {
  /** `GET`, `POST`, ... */
  method: string;
  /** The request target as sent (`/path?query`). */
  target: string;
  /** `1.0` or `1.1`. */
  version: "1.0" | "1.1";
  /** Header fields in order. */
  headers: [string, string][];
}

/** A head that cannot be accepted; `status` is the answer (400, 501, 505). */
export class HeadError extends Error {
  /** Builds the error. */
  constructor(readonly status: number, reason: string) {
    super(reason);
    this.name = "HeadError";
  }
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses `bytes` (the head including its blank line). */
export function parseRequestHead(bytes: Uint8Array): RequestHead {
  const text = new TextDecoder("latin1").decode(bytes.subarray(0, bytes.length - 4));
  const lines = text.split("\r\n");
  // A client may send empty lines before the request line.
  while (lines.length > 0 && lines[0] === "") lines.shift();
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/(\d)\.(\d)$/.exec(lines[0] ?? "");
  if (m === null) throw new HeadError(400, "malformed request line");
  if (m[3] !== "1") throw new HeadError(505, `HTTP/${m[3]}.${m[4]} is not supported`);
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = colon < 0 ? "" : line.slice(0, colon);
    if (!TOKEN.test(name)) throw new HeadError(400, "malformed header line");
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  return { method: m[1], target: m[2], version: m[4] === "0" ? "1.0" : "1.1", headers };
}

/** How the body of a request is framed. */
export type BodyFraming = { kind: "none" } | { kind: "length"; length: number } | {
  kind: "chunked";
};

/** Reads the framing from `Content-Length` / `Transfer-Encoding`. */
export function bodyFraming(headers: Headers): BodyFraming {
  const te = headers.get("transfer-encoding");
  const cl = headers.get("content-length");
  if (te !== null) {
    if (cl !== null) throw new HeadError(400, "both Content-Length and Transfer-Encoding");
    if (te.trim().toLowerCase() !== "chunked") {
      throw new HeadError(501, `Transfer-Encoding ${te} is not supported`);
    }
    return { kind: "chunked" };
  }
  if (cl === null) return { kind: "none" };
  if (!/^\s*[0-9]{1,15}\s*$/.test(cl)) {
    throw new HeadError(400, `Content-Length is not a number: ${JSON.stringify(cl)}`);
  }
  const length = Number(cl);
  return length === 0 ? { kind: "none" } : { kind: "length", length };
}
