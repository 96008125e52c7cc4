/**
 * The bytes of a configuration become its text only when they can be con4m
 * source: at most a size cap, no NUL byte (the parser would stop there and
 * accept whatever came before), and valid UTF-8 (a replacement character
 * would silently change a value such as a file name). See
 * docs/configuration.md, "What a configuration file may contain".
 *
 * @module
 */

/** Largest configuration accepted by default: 1 MiB, over four times chalk's largest real one. */
export const DEFAULT_MAX_CONFIG_BYTES = 1024 * 1024;

/** The bytes are not acceptable configuration text; `reason` says why in a few words. */
export class ConfigTextError extends Error {
  constructor(readonly source: string, readonly reason: string) {
    super(`${source}: ${reason}`);
    this.name = "ConfigTextError";
  }
}

/** `1 MiB`, `512 KiB` or `100 bytes`: how sizes read in messages. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** The message for a configuration larger than `maxBytes`. */
export function tooLargeReason(maxBytes: number, size?: number): string {
  const got = size === undefined ? "" : ` (${size} bytes)`;
  return `larger than the ${formatSize(maxBytes)} a configuration may have${got}`;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : 3;
    if (b >= 0x80 && (b < 0xc2 || b > 0xf4)) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlong 3/4-byte forms, UTF-16 surrogates and code points past U+10FFFF.
    const c1 = bytes[i + 1];
    if (
      (b === 0xe0 && c1 < 0xa0) || (b === 0xed && c1 > 0x9f) ||
      (b === 0xf0 && c1 < 0x90) || (b === 0xf4 && c1 > 0x8f)
    ) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * The text of configuration bytes from `source`; throws {@linkcode ConfigTextError} naming the
 * byte offset of a NUL or of invalid UTF-8, or the size cap.
 *
 * @example
 * ```ts
 * decodeConfigText(new TextEncoder().encode('log_level: "info"\n'), "chalk.c4m");
 * ```
 */
export function decodeConfigText(
  bytes: Uint8Array,
  source: string,
  maxBytes: number = DEFAULT_MAX_CONFIG_BYTES,
): string {
  if (bytes.length > maxBytes) {
    throw new ConfigTextError(source, tooLargeReason(maxBytes, bytes.length));
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new ConfigTextError(source, `binary data (a NUL byte at offset ${nul}), not con4m text`);
  }
  try {
    return utf8.decode(bytes);
  } catch {
    const at = invalidUtf8Offset(bytes);
    throw new ConfigTextError(source, `not UTF-8 text (invalid byte at offset ${at})`);
  }
}

/**
 * Reads at most `maxBytes` (+1, to know it is more) of the file at `path`: a device or a
 * growing file cannot make chalk read forever. Errors other than the size come from `Deno`.
 */
export async function readConfigBytes(
  path: string,
  maxBytes: number = DEFAULT_MAX_CONFIG_BYTES,
): Promise<Uint8Array> {
  using file = await Deno.open(path, { read: true });
  const info = await file.stat();
  if (info.isDirectory) throw new Deno.errors.IsADirectory("is a directory");
  if (info.isFile && info.size > maxBytes) {
    throw new ConfigTextError(path, tooLargeReason(maxBytes, info.size));
  }
  const buf = new Uint8Array(maxBytes + 1);
  let filled = 0;
  while (filled < buf.length) {
    const n = await file.read(buf.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  if (filled > maxBytes) throw new ConfigTextError(path, tooLargeReason(maxBytes));
  return buf.subarray(0, filled);
}
