/**
 * Strict UTF-8 helpers shared by the mark parser and the source codec's
 * text sniffing. Private to `codecs/`.
 *
 * Strictness note: chalk validates with Nim's `validateUtf8`, which (in some
 * Nim versions) lets CESU-style surrogate encodings and a few overlong forms
 * through. chalk-ts uses the WHATWG strict decoder instead; the two agree on
 * every well-formed text and differ only on such malformed byte sequences.
 */

const STRICT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Decodes `bytes` as UTF-8, or returns undefined when they are not valid UTF-8. */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  try {
    return STRICT.decode(bytes);
  } catch {
    return undefined;
  }
}

/** True when `bytes` is valid UTF-8 (a sequence cut at the end counts as invalid). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) return decodeUtf8Strict(bytes.subarray(i)) !== undefined;
  }
  return true;
}

/** Compares two strings by their UTF-8 bytes (what Nim's string `<` does). */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Code units order like code points except surrogates (U+D800..U+DFFF)
    // against U+E000..U+FFFF; UTF-8 byte order equals code point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}
