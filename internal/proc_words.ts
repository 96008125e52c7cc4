/**
 * The NUL-separated words of a /proc file (`cmdline`, `environ`), as the kernel holds them:
 * bytes, not text, since argv and the environment need not be UTF-8.
 *
 * @module
 */

/** Splits NUL-terminated words; a last word without its NUL counts too. */
export function splitNulWords(bytes: Uint8Array): Uint8Array[] {
  const words: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0) continue;
    words.push(bytes.subarray(start, i));
    start = i + 1;
  }
  if (start < bytes.length) words.push(bytes.subarray(start));
  return words;
}

/** The words of `path` (e.g. /proc/self/cmdline); undefined when it cannot be read. */
export function procWords(path: string): Uint8Array[] | undefined {
  try {
    return splitNulWords(Deno.readFileSync(path));
  } catch {
    return undefined;
  }
}
