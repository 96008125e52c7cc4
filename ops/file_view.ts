/**
 * The executor's side of a codec's {@link ByteView}: an open artifact read on
 * demand through a small block cache, so that a codec's questions (an ELF
 * header, a section table, a script's first line, a mark) cost a few reads
 * however large the file is, and streaming passes reuse one buffer.
 *
 * @module
 */
import { type ByteView, indexOfBytes } from "../codecs/byte_view.ts";
import { FileIoError, ioReason } from "./file_io_error.ts";

/** Cache granularity: one read fetches an aligned block this large. */
const BLOCK = 64 * 1024;
/** At most this many blocks stay cached (the rest are read again if asked for). */
const MAX_BLOCKS = 256;
/** Streaming passes (hashing, copying, searching) read this much at a time into one buffer. */
export const STREAM_CHUNK = 1024 * 1024;
/** A search reads {@link BLOCK} at a time over its first this many bytes. */
const SMALL_SEARCH = 4 * STREAM_CHUNK;
/** Requests larger than this are read directly, not through the cache. */
const DIRECT_READ = 4 * BLOCK;

/** A read-only view of an open file. Bytes it returns stay valid (never reused) except {@link chunk}'s. */
export class FileView implements ByteView {
  readonly size: number;
  readonly #file: Deno.FsFile;
  readonly #path: string;
  readonly #blocks = new Map<number, Uint8Array>();
  /** Per needle: where the first occurrence at or after each start searched from is (-1: none). */
  readonly #searches = new Map<Uint8Array, Map<number, number>>();
  #scratch: Uint8Array | undefined;
  /** Where the bytes {@link chunk} last read into the scratch buffer came from, and how many. */
  #scratchFrom = -1;
  #scratchLength = 0;
  /** The file position after the last read (a fresh file is at 0): no seek before a read there. */
  #position = 0;

  /** A view of `file` (opened for reading, `size` bytes long); `path` names it in errors. */
  constructor(file: Deno.FsFile, size: number, path: string) {
    this.#file = file;
    this.size = size;
    this.#path = path;
  }

  /** Fills `dest` with the bytes at `offset` (which all exist). */
  #read(offset: number, dest: Uint8Array): void {
    try {
      if (offset !== this.#position) this.#file.seekSync(offset, Deno.SeekMode.Start);
      this.#position = -1;
      let done = 0;
      while (done < dest.length) {
        const n = this.#file.readSync(dest.subarray(done));
        if (n === null || n === 0) throw new FileIoError(this.#path, "file shrank while reading");
        done += n;
      }
      this.#position = offset + done;
    } catch (e) {
      if (e instanceof FileIoError) throw e;
      throw new FileIoError(this.#path, `cannot read: ${ioReason(e)}`);
    }
  }

  #block(index: number): Uint8Array {
    let block = this.#blocks.get(index);
    if (block) {
      // Most recently used last: Map order is the eviction order.
      this.#blocks.delete(index);
    } else {
      const start = index * BLOCK;
      block = new Uint8Array(Math.min(BLOCK, this.size - start));
      this.#read(start, block);
      if (this.#blocks.size >= MAX_BLOCKS) this.#blocks.delete(this.#blocks.keys().next().value!);
    }
    this.#blocks.set(index, block);
    return block;
  }

  #check(offset: number, length: number): void {
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new RangeError(`bytes ${offset}+${length} outside ${this.#path} (${this.size} bytes)`);
    }
  }

  bytes(offset: number, length: number): Uint8Array {
    this.#check(offset, length);
    if (length === 0) return new Uint8Array(0);
    const first = Math.floor(offset / BLOCK);
    const last = Math.floor((offset + length - 1) / BLOCK);
    if (first === last) {
      const at = offset - first * BLOCK;
      return this.#block(first).subarray(at, at + length);
    }
    const out = new Uint8Array(length);
    if (length > DIRECT_READ) {
      this.#read(offset, out);
      return out;
    }
    for (let i = first; i <= last; i++) {
      const block = this.#block(i);
      const start = Math.max(offset, i * BLOCK);
      const end = Math.min(offset + length, i * BLOCK + block.length);
      out.set(block.subarray(start - i * BLOCK, end - i * BLOCK), start - offset);
    }
    return out;
  }

  byteAt(offset: number): number {
    this.#check(offset, 1);
    const index = Math.floor(offset / BLOCK);
    return this.#block(index)[offset - index * BLOCK];
  }

  /**
   * Up to `max` bytes at `offset` (at least `min` of them, unless the file
   * ends first): a cached block when one holds them, else read into a buffer
   * that the next call reuses. For streaming passes: use the bytes before
   * asking again.
   */
  chunk(offset: number, max = STREAM_CHUNK, min = 1): Uint8Array {
    const want = Math.min(max, this.size - offset);
    if (want <= 0) return new Uint8Array(0);
    const index = Math.floor(offset / BLOCK);
    const cached = this.#blocks.get(index);
    if (cached) {
      const at = offset - index * BLOCK;
      const end = Math.min(cached.length, at + want);
      if (end - at >= Math.min(min, want)) return cached.subarray(at, end);
    }
    // A pass over many small ranges (a zip's members, one hash step each) asks again and again
    // inside the chunk it read last: serve those from it, not from a new 1 MiB read each (a jar
    // of 70,000 members took 136,000 reads and 5 s to mark).
    const skip = offset - this.#scratchFrom;
    if (this.#scratch && skip >= 0 && skip < this.#scratchLength) {
      const end = Math.min(this.#scratchLength, skip + want);
      if (end - skip >= Math.min(min, want)) return this.#scratch.subarray(skip, end);
    }
    this.#scratch ??= new Uint8Array(STREAM_CHUNK);
    const n = Math.min(want, this.#scratch.length);
    const dest = this.#scratch.subarray(0, n);
    this.#scratchFrom = -1; // a failed read leaves nothing to serve
    this.#read(offset, dest);
    this.#scratchFrom = offset;
    this.#scratchLength = n;
    return dest;
  }

  indexOf(needle: Uint8Array, from: number): number {
    // Codecs search for constants (MAGIC), and ask again from the same starts (findMark runs
    // for the scan, the hash plan and the insert plan): the needle object itself is the key.
    let known = this.#searches.get(needle);
    if (!known) this.#searches.set(needle, known = new Map());
    let at = known.get(from);
    if (at === undefined) known.set(from, at = this.#search(needle, Math.max(0, from)));
    return at;
  }

  #search(needle: Uint8Array, from: number): number {
    let pos = from;
    while (pos < this.size) {
      // Small reads for the first few MiB: a page of the fresh streaming buffer costs a fault
      // at its first use (~16 µs here), and most searches end within a small file (chalk's
      // own bundle at every start: 0.86 MB read in 1 MiB, 3-4 ms; in 64 KiB, ~0.4 ms).
      const span = pos - from < SMALL_SEARCH ? BLOCK : STREAM_CHUNK;
      // Whole needles only: a block's cached tail may be shorter than the needle.
      const chunk = this.chunk(pos, span, needle.length);
      const i = indexOfBytes(chunk, needle, 0);
      if (i >= 0) return pos + i;
      if (pos + chunk.length >= this.size) break;
      // The next chunk starts early enough to catch a needle cut at this chunk's end.
      pos += Math.max(1, chunk.length - (needle.length - 1));
    }
    return -1;
  }
}
