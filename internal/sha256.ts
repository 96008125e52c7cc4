/**
 * SHA-256 for the rest of chalk: small inputs through the TypeScript
 * {@link Sha256} (internal/sha256_js.ts), large ones through the system's
 * libcrypto (internal/sha256_native.ts) or, where there is none,
 * `node:crypto`. The bundle loads `node:crypto` at the first use of
 * `createHash`, not at the import (scripts/build.ts, BUILTIN_SHIM), so
 * commands that never need it never pay its ~13 ms load.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { Sha256 } from "./sha256_js.ts";
import { nativeSha256 } from "./sha256_native.ts";
import { toHex } from "./hex.ts";

/**
 * Inputs from this size on go to libcrypto or `node:crypto`: at ~1.5 to 2 GB/s
 * they overtake the TypeScript hash (~0.2 to 0.4 GB/s) plus their load time
 * somewhere past a few megabytes; a megabyte keeps the TypeScript hash under ~5 ms.
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
  /**
   * Adds `bytes` on another thread (libcrypto's hash only): several hashes of one
   * read pass then run side by side. `bytes` and the hash stay untouched until it settles.
   */
  updateOnThread?(bytes: Uint8Array): Promise<void>;
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
  if (expectedBytes < JS_SHA256_LIMIT) return new Sha256();
  return nativeSha256() ?? new NodeSha256(createHash("sha256"));
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
