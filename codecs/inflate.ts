/**
 * Inflated ranges: a piece of a hash plan that stands for what some raw
 * deflate bytes of the artifact inflate to (a zip member's contents: the
 * zip HASH covers contents, not their compressed form). The codec declares
 * the size and CRC-32 the bytes must inflate to; whoever inflates them
 * checks both, so a damaged or lying archive fails instead of hashing
 * something else.
 *
 * Small members are inflated in one call of the runtime's zlib (fast, and
 * bounded by the declared size); large ones are streamed through fflate's
 * inflater, so memory stays flat however large a member is. fflate builds
 * its Huffman tables when its module initialises (~4.5 ms measured in the
 * bundle, at every start), so it is loaded only when an archive is about to
 * be hashed ({@link loadStreamingInflater}); until then a large member is
 * inflated in one call too, correct but held in memory.
 *
 * @module
 */
// Type only: the module itself is imported on demand (the browser build: the node one loads
// worker_threads through node:module at start).
import type { Inflate } from "fflate/browser";
import { crc32, inflateRawSync } from "node:zlib";
import { CodecError } from "./codec.ts";

/** What an {@link InflatedRange}'s bytes must inflate to. */
export interface InflateTarget {
  /** Size in bytes of the inflated data. */
  readonly size: number;
  /** CRC-32 of the inflated data. */
  readonly crc32: number;
  /** What the data is (a member's name), for error messages. */
  readonly member: string;
  /** The codec that planned it, for error messages. */
  readonly codec: string;
}

/** Bytes [from, to) of the artifact are raw deflate data; the piece is their inflated bytes. */
export interface InflatedRange {
  readonly from: number;
  readonly to: number;
  readonly inflate: InflateTarget;
}

/** Up to `max` bytes at `offset` (at least one while `offset` is inside the artifact). */
export type RangeReader = (offset: number, max: number) => Uint8Array;

/** Members up to this compressed size are inflated in one call. */
const ONE_CALL_INPUT = 4 * 1024 * 1024;
/** ... and up to this inflated size. */
const ONE_CALL_OUTPUT = 16 * 1024 * 1024;
/**
 * Compressed bytes fed to the streaming inflater at a time. fflate hands over
 * all it inflates from one push, and deflate expands at most ~1032 times, so
 * 16 KiB bound each piece of output to ~16.5 MiB, whatever the archive says.
 */
const STREAM_INPUT = 16 * 1024;

let StreamingInflater: typeof Inflate | undefined;

/**
 * Loads fflate's streaming inflater, for the large members of an archive
 * chalk is about to hash (ops/artifact_loop.ts and ops/verify.ts call it
 * for every zip).
 */
export async function loadStreamingInflater(): Promise<void> {
  StreamingInflater ??= (await import("fflate/browser")).Inflate;
}

function fail(target: InflateTarget, reason: string): never {
  throw new CodecError(target.codec, `member ${target.member}: ${reason}`);
}

function readAll(range: InflatedRange, read: RangeReader): Uint8Array {
  const out = new Uint8Array(range.to - range.from);
  for (let pos = range.from; pos < range.to;) {
    const chunk = read(pos, range.to - pos);
    out.set(chunk, pos - range.from);
    pos += chunk.length;
  }
  return out;
}

/**
 * Inflates `range`, handing the inflated bytes to `sink` in order (a chunk
 * is valid only during the call). Throws a {@link CodecError} when the data
 * is not valid deflate, or does not inflate to the declared size and CRC-32.
 */
export function inflateRange(
  range: InflatedRange,
  read: RangeReader,
  sink: (bytes: Uint8Array) => void,
): void {
  const target = range.inflate;
  let produced = 0;
  let crc = 0;
  const take = (bytes: Uint8Array): void => {
    produced += bytes.length;
    if (produced > target.size) {
      fail(target, `inflates to more than its declared ${target.size} bytes`);
    }
    crc = crc32(bytes, crc);
    sink(bytes);
  };
  const compressed = range.to - range.from;
  const small = compressed <= ONE_CALL_INPUT && target.size <= ONE_CALL_OUTPUT;
  if (small || !StreamingInflater) {
    let out: Uint8Array;
    try {
      out = inflateRawSync(readAll(range, read), { maxOutputLength: Math.max(1, target.size) });
    } catch (e) {
      if (e instanceof CodecError) throw e;
      fail(target, `not valid deflate data or larger than declared (${errorText(e)})`);
    }
    take(out);
  } else {
    const inflater = new StreamingInflater((chunk) => take(chunk));
    try {
      for (let pos = range.from; pos < range.to;) {
        const chunk = read(pos, Math.min(STREAM_INPUT, range.to - pos));
        pos += chunk.length;
        inflater.push(chunk, pos >= range.to);
      }
    } catch (e) {
      if (e instanceof CodecError) throw e;
      fail(target, `not valid deflate data (${errorText(e)})`);
    }
  }
  if (produced !== target.size) {
    fail(target, `inflates to ${produced} bytes, not its declared ${target.size}`);
  }
  if ((crc >>> 0) !== (target.crc32 >>> 0)) fail(target, "CRC-32 does not match its contents");
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
