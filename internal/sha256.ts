/**
 * SHA-256 for the rest of chalk: small inputs through the TypeScript
 * {@link Sha256} (internal/sha256_js.ts), large ones through `node:crypto`.
 * The bundle loads `node:crypto` at the first use of `createHash`, not at
 * the import (scripts/build.ts, BUILTIN_SHIM), so commands that hash only
 * small inputs never pay its ~13 ms load.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { Sha256 } from "./sha256_js.ts";
import { toHex } from "./hex.ts";

/**
 * Inputs from this size on go to `node:crypto`: at ~2 GB/s it overtakes the
 * TypeScript hash (~0.2 to 0.4 GB/s) plus its own load time somewhere past a
 * few megabytes; a megabyte keeps the TypeScript hash under ~5 ms.
 */
export const JS_SHA256_LIMIT = 1024 * 1024;

/** A running SHA-256 (either implementation). */
export interface Sha256Hash {
  /** Adds `bytes` to the hashed input. */
  update(bytes: Uint8Array): Sha256Hash;
  /** An independent hash that goes on from this one's input so far. */
  copy(): Sha256Hash;
  /** The 32-byte digest; the hash cannot be used afterwards. */
  digest(): Uint8Array;
}

class NodeSha256 implements Sha256Hash {
  readonly #hash: Hash;

  constructor(hash: Hash) {
    this.#hash = hash;
  }

  update(bytes: Uint8Array): this {
    this.#hash.update(bytes);
    return this;
  }

  copy(): NodeSha256 {
    return new NodeSha256(this.#hash.copy());
  }

  digest(): Uint8Array {
    // A plain Uint8Array, not a Buffer: callers compare digests with deep equality.
    return new Uint8Array(this.#hash.digest());
  }
}

/** A running SHA-256 for about `expectedBytes` of input: the faster one to start for that size. */
export function newSha256(expectedBytes: number): Sha256Hash {
  return expectedBytes < JS_SHA256_LIMIT ? new Sha256() : new NodeSha256(createHash("sha256"));
}

function totalLength(chunks: readonly Uint8Array[]): number {
  let n = 0;
  for (const c of chunks) n += c.length;
  return n;
}

/** Raw 32-byte SHA-256 digest of the concatenation of `chunks`. */
export function sha256Bytes(chunks: readonly Uint8Array[]): Uint8Array {
  const h = newSha256(totalLength(chunks));
  for (const c of chunks) h.update(c);
  return h.digest();
}

/** Lower-case hex SHA-256 of the concatenation of `chunks`. */
export function sha256Hex(chunks: readonly Uint8Array[]): string {
  return toHex(sha256Bytes(chunks));
}
