/**
 * Artifact and mark identity (docs/decisions.md, "IDs and hashing"):
 * CHALK_ID, METADATA_HASH / METADATA_ID and the binary normalization they
 * hash, CHALK_RAND.
 *
 * @module
 */

import { compareUtf8 } from "./_utf8.ts";
import { idFormat } from "./base32v.ts";
import { isMarkDict, type MarkDict, type MarkValue } from "./mark_value.ts";
import { sha256Bytes } from "../internal/sha256.ts";
import { toHex } from "../internal/hex.ts";

const encoder = new TextEncoder();

/** A mark value that the selected normalization rules cannot encode. */
export class NormalizationError extends Error {
  /** Builds the error with a one-line reason naming the key. */
  constructor(reason: string) {
    super(reason);
    this.name = "NormalizationError";
  }
}

/** Top-level keys never hashed (`ignore_when_normalizing`, HEAD and v0.1.2). */
export const IGNORE_WHEN_NORMALIZING: readonly string[] = [
  "MAGIC",
  "METADATA_HASH",
  "METADATA_ID",
  "SIGNING",
  "SIGNATURE",
  "EMBEDDED_CHALK",
];

/**
 * CHALK_ID from a HASH: `idFormat` of the ASCII bytes of the lower-case hex
 * text (not of the raw digest).
 *
 * @example
 * ```ts
 * chalkIdFromHash("16c3c45462fc89d7fcc84c3749cb0900bdd1052f760ebd7cea1ab3956ad7326f");
 * // "64V66C-V36G-TK8D-HJCSHK"
 * ```
 */
export function chalkIdFromHash(hashHex: string): string {
  return idFormat(encoder.encode(hashHex));
}

/** CHALK_ID for artifacts without a HASH: `idFormat` of 32 secure random bytes. */
export function randomChalkId(): string {
  // Web Crypto's generator, not node:crypto's randomBytes: every insert and docker build draws
  // random bytes, and loading node:crypto costs ~13 ms (internal/sha256.ts).
  return idFormat(crypto.getRandomValues(new Uint8Array(32)));
}

/** CHALK_RAND: 16 lower-case hex digits of 64 secure random bits. */
export function chalkRand(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(8)));
}

/** METADATA_ID from a METADATA_HASH hex: `idFormat` of the raw digest bytes. */
export function metadataIdFromHash(hashHex: string): string {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hashHex)) {
    throw new NormalizationError(`METADATA_HASH is not hex: ${JSON.stringify(hashHex)}`);
  }
  const raw = new Uint8Array(hashHex.length / 2);
  for (let i = 0; i < raw.length; i++) raw[i] = parseInt(hashHex.slice(2 * i, 2 * i + 2), 16);
  return idFormat(raw);
}

/** METADATA_HASH (hex) and METADATA_ID of a mark under the HEAD normalization. */
export function metadataHashOf(mark: MarkDict): { hash: string; id: string } {
  const digest = sha256Bytes([normalizeMark(mark, "head")]);
  return { hash: toHex(digest), id: idFormat(digest) };
}

class ByteSink {
  buf = new Uint8Array(256);
  view = new DataView(this.buf.buffer);
  len = 0;

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  u32(n: number): void {
    this.reserve(4);
    this.view.setUint32(this.len, n >>> 0, true);
    this.len += 4;
  }

  u64(n: bigint): void {
    this.reserve(8);
    this.view.setBigUint64(this.len, BigInt.asUintN(64, n), true);
    this.len += 8;
  }
}

function sortedKeys(d: MarkDict): string[] {
  return [...d.keys()].sort(compareUtf8);
}

function encodeString(out: ByteSink, s: string): void {
  out.reserve(5 + 3 * s.length);
  const at = out.len;
  const { written } = encoder.encodeInto(s, out.buf.subarray(at + 5));
  out.buf[at] = 0x01;
  out.view.setUint32(at + 1, written, true);
  out.len = at + 5 + written;
}

function encodeValue(out: ByteSink, v: MarkValue, rules: "head" | "v0.1", key: string): void {
  switch (typeof v) {
    case "string":
      return encodeString(out, v);
    case "bigint":
      out.byte(0x02);
      return out.u64(v);
    case "boolean":
      out.byte(0x03);
      return out.byte(v ? 1 : 0);
    case "number":
      // [quirk] HEAD writes the float tag without its payload.
      if (rules === "v0.1") {
        throw new NormalizationError(`key ${key}: v0.1 cannot normalize a float`);
      }
      return out.byte(0x06);
  }
  if (v === null) {
    if (rules === "v0.1") throw new NormalizationError(`key ${key}: v0.1 cannot normalize null`);
    return out.byte(0x07);
  }
  if (Array.isArray(v)) {
    out.byte(0x04);
    out.u32(v.length);
    for (const item of v) encodeValue(out, item, rules, key);
    return;
  }
  if (isMarkDict(v)) {
    out.byte(0x05);
    out.u32(v.size);
    // HEAD sorts nested dicts byte-wise; v0.1 kept insertion order.
    const keys = rules === "head" ? sortedKeys(v) : [...v.keys()];
    for (const k of keys) {
      encodeString(out, k);
      encodeValue(out, v.get(k) as MarkValue, rules, key);
    }
    return;
  }
  throw new NormalizationError(`key ${key}: value cannot be normalized`);
}

/**
 * The binary normalization of a mark that METADATA_HASH hashes.
 * `"head"` (chalk ≥ 0.4, the rules chalk-ts uses): a `05` dict of the
 * non-ignored top-level keys, all dicts sorted byte-wise, floats as the lone tag `06`, null `07`.
 * `"v0.1"`: a bare u32 count + sorted top-level pairs, nested dicts in
 * insertion order; floats and nulls raise {@link NormalizationError}.
 * The ignore list applies only at the top level.
 */
export function normalizeMark(mark: MarkDict, rules: "head" | "v0.1" = "head"): Uint8Array {
  const out = new ByteSink();
  const keys = sortedKeys(mark).filter((k) => !IGNORE_WHEN_NORMALIZING.includes(k));
  if (rules === "head") out.byte(0x05);
  out.u32(keys.length);
  for (const k of keys) {
    encodeString(out, k);
    encodeValue(out, mark.get(k) as MarkValue, rules, k);
  }
  return out.buf.slice(0, out.len);
}
