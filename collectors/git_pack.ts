/**
 * Reading objects out of a git pack through its `.idx` (versions 1 and 2,
 * fan-out table + sorted names + offsets), resolving OFS_DELTA and
 * REF_DELTA entries against their bases.
 */
import { applyDelta, DeltaError } from "./git_delta.ts";
import { GitReadError } from "./git_error.ts";
import { RandomAccessFile } from "./git_file_reader.ts";
import { fromHex, toHex } from "../internal/hex.ts";
import { inflateZlib } from "../internal/zlib_inflate.ts";

/** The four kinds of git objects. */
export type GitObjectType = "commit" | "tree" | "blob" | "tag";

/** An object's type and its uncompressed content (no `type size\0` header). */
export interface GitRawObject {
  /** commit, tree, blob or tag */
  type: GitObjectType;
  /** The content, without the `type size\0` header. */
  data: Uint8Array;
}

/** Looks up an object by hex id anywhere in the repository (for REF_DELTA bases outside the pack). */
export type ObjectLookup = (oid: string) => Promise<GitRawObject | undefined>;

const TYPES: Record<number, GitObjectType> = { 1: "commit", 2: "tree", 3: "blob", 4: "tag" };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/** Longest delta chain followed before the pack is declared corrupt. */
const MAX_CHAIN = 10_000;
/** Number of resolved objects kept per pack (delta bases are often shared). */
const CACHE_SIZE = 64;

const IDX_V2_MAGIC = [0xff, 0x74, 0x4f, 0x63];

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return 0;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) >>> 0) + (bytes[at + 1] << 16) + (bytes[at + 2] << 8) + bytes[at + 3];
}

interface IdxLayout {
  version: 1 | 2;
  fanout: number[];
  count: number;
}

interface PackEntry {
  /** 1-4 for whole objects, 6 or 7 for deltas. */
  typeCode: number;
  /** Inflated content: the object, or the delta. */
  data: Uint8Array;
  /** OFS_DELTA: absolute offset of the base entry. */
  baseOffset?: number;
  /** REF_DELTA: hex id of the base object. */
  baseOid?: string;
}

/** One `pack-*.pack` with its `.idx`. Opened lazily; call `close()` when done. */
export class PackFile {
  #idx: RandomAccessFile | undefined;
  #pack: RandomAccessFile | undefined;
  #layout: IdxLayout | undefined;
  #cache = new Map<number, GitRawObject>();

  /**
   * A pack, opened on first use.
   *
   * @param idxPath path of the `.idx` file
   * @param packPath path of the matching `.pack` file
   * @param hashLen object id length in bytes (20 for SHA-1, 32 for SHA-256)
   */
  constructor(
    /** Path of the `.idx` file. */
    readonly idxPath: string,
    /** Path of the `.pack` file. */
    readonly packPath: string,
    /** Object id length in bytes. */
    readonly hashLen: number,
  ) {}

  async #layoutOf(): Promise<IdxLayout> {
    if (this.#layout !== undefined) return this.#layout;
    this.#idx ??= await RandomAccessFile.open(this.idxPath);
    const head = await this.#idx.read(0, 8 + 1024);
    const v2 = IDX_V2_MAGIC.every((b, i) => head[i] === b);
    const base = v2 ? 8 : 0;
    if (v2 && u32(head, 4) !== 2) {
      throw new GitReadError(this.idxPath, `unsupported index version ${u32(head, 4)}`, 4);
    }
    if (head.length < base + 1024) throw new GitReadError(this.idxPath, "truncated fan-out table");
    const fanout: number[] = [];
    for (let i = 0; i < 256; i++) {
      fanout.push(u32(head, base + 4 * i));
      if (i > 0 && fanout[i] < fanout[i - 1]) {
        throw new GitReadError(this.idxPath, "fan-out table is not ascending", base + 4 * i);
      }
    }
    const count = fanout[255];
    const need = v2 ? 8 + 1024 + count * (this.hashLen + 8) : 1024 + count * (this.hashLen + 4);
    if (this.#idx.size < need) throw new GitReadError(this.idxPath, "truncated index");
    this.#layout = { version: v2 ? 2 : 1, fanout, count };
    return this.#layout;
  }

  /**
   * The offset of `oid` inside the pack, or undefined when this pack does not have it.
   * @throws {GitReadError} when the index is corrupt
   */
  async findOffset(oid: Uint8Array): Promise<number | undefined> {
    const { version, fanout, count } = await this.#layoutOf();
    const idx = this.#idx!;
    const lo = oid[0] === 0 ? 0 : fanout[oid[0] - 1];
    const hi = fanout[oid[0]];
    if (hi <= lo) return undefined;
    const stride = version === 2 ? this.hashLen : this.hashLen + 4;
    const nameStart = version === 2 ? 8 + 1024 : 1024;
    const skip = version === 2 ? 0 : 4;
    const block = await idx.read(nameStart + lo * stride, (hi - lo) * stride);
    let a = 0;
    let b = hi - lo;
    while (a < b) {
      const mid = (a + b) >>> 1;
      const at = mid * stride + skip;
      const cmp = compareBytes(block.subarray(at, at + this.hashLen), oid);
      if (cmp === 0) {
        const i = lo + mid;
        if (version === 1) return u32(block, mid * stride);
        const offTable = nameStart + count * (this.hashLen + 4);
        const off = u32(await idx.read(offTable + 4 * i, 4), 0);
        if ((off & 0x80000000) === 0) return off;
        const bigAt = offTable + 4 * count + 8 * (off & 0x7fffffff);
        const big = await idx.read(bigAt, 8);
        if (big.length < 8) throw new GitReadError(this.idxPath, "truncated 64-bit offset", bigAt);
        return u32(big, 0) * 2 ** 32 + u32(big, 4);
      }
      if (cmp < 0) a = mid + 1;
      else b = mid;
    }
    return undefined;
  }

  async #readEntry(offset: number): Promise<PackEntry> {
    if (this.#pack === undefined) {
      const pack = await RandomAccessFile.open(this.packPath);
      const sig = await pack.read(0, 8);
      const version = sig.length === 8 ? u32(sig, 4) : 0;
      if (
        new TextDecoder().decode(sig.subarray(0, 4)) !== "PACK" || (version !== 2 && version !== 3)
      ) {
        await pack.close();
        throw new GitReadError(this.packPath, "not a version 2/3 pack file", 0);
      }
      this.#pack = pack;
    }
    const pack = this.#pack;
    const end = pack.size - this.hashLen;
    if (offset < 12 || offset >= end) {
      throw new GitReadError(this.packPath, "object offset outside the pack", offset);
    }
    const head = await pack.read(offset, 32 + this.hashLen);
    let p = 0;
    let byte = head[p++];
    const typeCode = (byte >> 4) & 7;
    let size = byte & 0x0f;
    let shift = 4;
    while (byte & 0x80) {
      if (p >= head.length || shift > 53) {
        throw new GitReadError(this.packPath, "bad entry size header", offset);
      }
      byte = head[p++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    const entry: PackEntry = { typeCode, data: new Uint8Array(0) };
    if (typeCode === OFS_DELTA) {
      byte = head[p++];
      let back = byte & 0x7f;
      while (byte & 0x80) {
        if (p >= head.length) throw new GitReadError(this.packPath, "bad delta offset", offset);
        byte = head[p++];
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      if (back <= 0 || back > offset - 12) {
        throw new GitReadError(this.packPath, "delta base offset outside the pack", offset);
      }
      entry.baseOffset = offset - back;
    } else if (typeCode === REF_DELTA) {
      entry.baseOid = toHex(head.subarray(p, p + this.hashLen));
      p += this.hashLen;
    } else if (TYPES[typeCode] === undefined) {
      throw new GitReadError(this.packPath, `unknown entry type ${typeCode}`, offset);
    }
    // deflate never grows data by more than a few bytes per 16 KiB block
    const bound = size + Math.ceil(size / 1024) + 64;
    const compressed = await pack.read(offset + p, Math.min(bound, end - offset - p));
    try {
      entry.data = inflateZlib(compressed, size).data;
    } catch (err) {
      throw new GitReadError(
        this.packPath,
        `corrupt zlib data (${(err as Error).message})`,
        offset,
      );
    }
    if (entry.data.length !== size) {
      throw new GitReadError(
        this.packPath,
        `entry inflates to ${entry.data.length} bytes, header says ${size}`,
        offset,
      );
    }
    return entry;
  }

  /**
   * The object whose entry starts at `offset`, with deltas applied.
   * `lookup` finds REF_DELTA bases that are not in this pack.
   * @throws {GitReadError} when the pack is corrupt or a base is missing
   */
  async readAt(offset: number, lookup: ObjectLookup): Promise<GitRawObject> {
    const deltas: { offset: number; data: Uint8Array }[] = [];
    let cur = offset;
    let base: GitRawObject | undefined;
    while (base === undefined) {
      base = this.#cache.get(cur);
      if (base !== undefined) break;
      if (deltas.length > MAX_CHAIN) {
        throw new GitReadError(this.packPath, "delta chain too long (cycle?)", offset);
      }
      const entry = await this.#readEntry(cur);
      const type = TYPES[entry.typeCode];
      if (type !== undefined) {
        base = { type, data: entry.data };
        this.#remember(cur, base);
        break;
      }
      deltas.push({ offset: cur, data: entry.data });
      if (entry.baseOffset !== undefined) {
        cur = entry.baseOffset;
        continue;
      }
      const oid = entry.baseOid!;
      const inPack = await this.findOffset(fromHex(oid));
      if (inPack !== undefined) {
        cur = inPack;
        continue;
      }
      base = await lookup(oid);
      if (base === undefined) {
        throw new GitReadError(this.packPath, `delta base ${oid} not found`, cur);
      }
    }
    let obj = base;
    for (let i = deltas.length - 1; i >= 0; i--) {
      try {
        obj = { type: obj.type, data: applyDelta(obj.data, deltas[i].data) };
      } catch (err) {
        if (!(err instanceof DeltaError)) throw err;
        throw new GitReadError(this.packPath, err.message, deltas[i].offset);
      }
      this.#remember(deltas[i].offset, obj);
    }
    return obj;
  }

  #remember(offset: number, obj: GitRawObject): void {
    if (obj.type !== "commit" && obj.type !== "tag") return;
    if (this.#cache.size >= CACHE_SIZE) {
      this.#cache.delete(this.#cache.keys().next().value!);
    }
    this.#cache.set(offset, obj);
  }

  /** Close the index and pack files. */
  async close(): Promise<void> {
    await this.#idx?.close();
    await this.#pack?.close();
    this.#idx = undefined;
    this.#pack = undefined;
    this.#layout = undefined;
    this.#cache.clear();
  }
}
