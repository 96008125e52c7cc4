/**
 * Git's binary delta format (pack entries of type OFS_DELTA and
 * REF_DELTA): a source size, a target size, then copy and insert
 * instructions. Pure: bytes in, bytes out.
 */

/** A delta that cannot be applied; the reason names the byte position in the delta. */
export class DeltaError extends Error {
  /**
   * A delta problem at `position`.
   *
   * @param reason what is wrong
   * @param position byte offset inside the delta data
   */
  constructor(reason: string, /** Byte offset inside the delta. */ readonly position: number) {
    super(`delta byte ${position}: ${reason}`);
    this.name = "DeltaError";
  }
}

/** Read a little-endian base-128 size; returns [value, next position]. */
function readSize(delta: Uint8Array, pos: number): [number, number] {
  let value = 0;
  let shift = 0;
  while (true) {
    if (pos >= delta.length) throw new DeltaError("truncated size header", pos);
    const b = delta[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return [value, pos];
    if (shift > 49) throw new DeltaError("size header too long", pos);
  }
}

/**
 * Rebuild an object from its base and a git delta.
 *
 * @throws {DeltaError} when the delta is malformed or does not fit `base`
 */
export function applyDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  let [sourceSize, pos] = readSize(delta, 0);
  if (sourceSize !== base.length) {
    throw new DeltaError(`base is ${base.length} bytes, delta expects ${sourceSize}`, 0);
  }
  let targetSize: number;
  [targetSize, pos] = readSize(delta, pos);
  const out = new Uint8Array(targetSize);
  let written = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) {
        if (op & (1 << i)) {
          if (pos >= delta.length) throw new DeltaError("truncated copy offset", pos);
          offset += delta[pos++] * 2 ** (8 * i);
        }
      }
      for (let i = 0; i < 3; i++) {
        if (op & (0x10 << i)) {
          if (pos >= delta.length) throw new DeltaError("truncated copy size", pos);
          size += delta[pos++] << (8 * i);
        }
      }
      if (size === 0) size = 0x10000;
      if (offset + size > base.length) throw new DeltaError("copy beyond end of base", pos);
      if (written + size > targetSize) throw new DeltaError("copy beyond target size", pos);
      out.set(base.subarray(offset, offset + size), written);
      written += size;
    } else if (op !== 0) {
      if (pos + op > delta.length) throw new DeltaError("truncated insert data", pos);
      if (written + op > targetSize) throw new DeltaError("insert beyond target size", pos);
      out.set(delta.subarray(pos, pos + op), written);
      written += op;
      pos += op;
    } else {
      throw new DeltaError("reserved instruction 0", pos - 1);
    }
  }
  if (written !== targetSize) {
    throw new DeltaError(`produced ${written} bytes, expected ${targetSize}`, pos);
  }
  return out;
}
