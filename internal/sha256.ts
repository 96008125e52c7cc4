/**
 * SHA-256 over a list of byte views (the shape every codec's
 * `unchalkedHashInput` returns), without concatenating them.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** Raw 32-byte SHA-256 digest of the concatenation of `chunks`. */
export function sha256Bytes(chunks: readonly Uint8Array[]): Uint8Array {
  const h = createHash("sha256");
  for (const c of chunks) h.update(c);
  return new Uint8Array(h.digest());
}

/** Lower-case hex SHA-256 of the concatenation of `chunks`. */
export function sha256Hex(chunks: readonly Uint8Array[]): string {
  const h = createHash("sha256");
  for (const c of chunks) h.update(c);
  return h.digest("hex");
}
