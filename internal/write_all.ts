/**
 * Writing a whole buffer: `write` may take fewer bytes than offered (pipes,
 * signals), so every writer loops until all of them are written.
 *
 * @module
 */

/** Anything with Deno's async `write` (files, stdout, stderr). */
export interface AsyncWriter {
  write(p: Uint8Array): Promise<number>;
}

/** Anything with Deno's sync `writeSync`. */
export interface SyncWriter {
  writeSync(p: Uint8Array): number;
}

/** Writes all of `bytes` to `w`. */
export async function writeAll(w: AsyncWriter, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await w.write(bytes.subarray(offset));
}

/** Writes all of `bytes` to `w`, synchronously. */
export function writeAllSync(w: SyncWriter, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += w.writeSync(bytes.subarray(offset));
}
