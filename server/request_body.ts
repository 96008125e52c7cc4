/**
 * Reading a request body with a size cap, so that an oversized upload is refused
 * with 413 before it is buffered.
 *
 * @module
 */

import { concatBytes } from "../internal/concat_bytes.ts";
import { HttpError } from "./http_error.ts";

/** The default body limit: 10 MB. */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Returns the body's bytes.
 *
 * @throws {HttpError} 413 when `Content-Length` or the bytes read exceed `maxBytes`,
 * 400 when `Content-Length` is not a number.
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null) {
    if (!/^\s*[0-9]+\s*$/.test(declared)) {
      throw new HttpError(400, `Content-Length is not a number: ${JSON.stringify(declared)}`);
    }
    if (Number(declared) > maxBytes) throw tooLarge(maxBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(413, `request body is larger than the limit of ${maxBytes} bytes`);
}
