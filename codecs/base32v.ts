/**
 * chalk's "base32v" text encoding and the dashed ID format built on it.
 *
 * @module
 */

/** Crockford-style alphabet without I, L, O, U (nimutils `goodB32Map`). */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * Encodes bytes as base32v: RFC 4648 bit packing (big-endian 5-bit groups,
 * no padding; a final partial group is zero-filled on the right) over the
 * Crockford-style alphabet.
 *
 * @example
 * ```ts
 * base32v(new Uint8Array([0xff])); // "ZW"
 * ```
 */
export function base32v(bytes: Uint8Array): string {
  let out = "";
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = ((acc << 8) | b) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/**
 * The chalk ID layout: the first 20 base32v characters (100 bits) of
 * `bytes`, dashed as `XXXXXX-XXXX-XXXX-XXXXXX`. Only the first 13 bytes matter.
 *
 * @example
 * ```ts
 * idFormat(new TextEncoder().encode("16c3c45462fc89d7fcc84c37")); // "64V66C-V36G-TK8D-HJCSHK"
 * ```
 */
export function idFormat(bytes: Uint8Array): string {
  const s = base32v(bytes.subarray(0, 13)).slice(0, 20);
  return `${s.slice(0, 6)}-${s.slice(6, 10)}-${s.slice(10, 14)}-${s.slice(14, 20)}`;
}
