/**
 * zlib streams (RFC 1950 around RFC 1951 deflate) inflated in TypeScript, for the git reader:
 * `node:zlib` would start Deno's node compatibility layer (~30 ms) in every run inside a git
 * repository, for a commit of a few hundred bytes. A pack entry is followed by other entries,
 * and the pack does not say where it ends, so the inflater stops at the end of the stream,
 * says how many bytes it used, and checks the Adler-32 that follows the deflate data (what
 * `inflateSync` checked before). Small objects only: it decodes ~100 MB/s, not zlib's speed.
 *
 * @module
 */

/** Data that is not a valid zlib stream, or inflates to more than allowed. */
export class ZlibError extends Error {
  /** Builds the error from its reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "ZlibError";
  }
}

/** What {@link inflateZlib} returns. */
export interface Inflated {
  /** The inflated bytes. */
  data: Uint8Array;
  /** Bytes of the input the stream took, its Adler-32 included. */
  consumed: number;
}

const LENGTH_BASE = [
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  13,
  15,
  17,
  19,
  23,
  27,
  31,
  35,
  43,
  51,
  59,
  67,
  83,
  99,
  115,
  131,
  163,
  195,
  227,
  258,
];
const LENGTH_EXTRA = [
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  1,
  1,
  1,
  1,
  2,
  2,
  2,
  2,
  3,
  3,
  3,
  3,
  4,
  4,
  4,
  4,
  5,
  5,
  5,
  5,
  0,
];
const DIST_BASE = [
  1,
  2,
  3,
  4,
  5,
  7,
  9,
  13,
  17,
  25,
  33,
  49,
  65,
  97,
  129,
  193,
  257,
  385,
  513,
  769,
  1025,
  1537,
  2049,
  3073,
  4097,
  6145,
  8193,
  12289,
  16385,
  24577,
];
const DIST_EXTRA = [
  0,
  0,
  0,
  0,
  1,
  1,
  2,
  2,
  3,
  3,
  4,
  4,
  5,
  5,
  6,
  6,
  7,
  7,
  8,
  8,
  9,
  9,
  10,
  10,
  11,
  11,
  12,
  12,
  13,
  13,
];
/** The order in which a dynamic block sends its code length code lengths. */
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/**
 * A canonical Huffman code as a lookup table indexed by the next `bits` input bits (deflate
 * sends codes most significant bit first, so each code is stored bit-reversed): an entry is
 * `symbol << 4 | length`, 0 where no code matches.
 */
interface HuffmanTable {
  bits: number;
  entries: Uint32Array;
}

function reverseBits(code: number, length: number): number {
  let out = 0;
  for (let i = 0; i < length; i++) {
    out = (out << 1) | (code & 1);
    code >>>= 1;
  }
  return out;
}

function huffmanTable(lengths: ArrayLike<number>, what: string): HuffmanTable {
  const count = new Uint16Array(16);
  for (let i = 0; i < lengths.length; i++) count[lengths[i]]++;
  count[0] = 0;
  let bits = 15;
  while (bits > 0 && count[bits] === 0) bits--;
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - count[len];
    if (left < 0) throw new ZlibError(`over-subscribed ${what} code`);
  }
  const next = new Uint16Array(16);
  for (let len = 1, code = 0; len <= 15; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  const size = 1 << bits;
  const entries = new Uint32Array(size);
  for (let symbol = 0; symbol < lengths.length; symbol++) {
    const len = lengths[symbol];
    if (len === 0) continue;
    const entry = (symbol << 4) | len;
    for (let at = reverseBits(next[len]++, len); at < size; at += 1 << len) entries[at] = entry;
  }
  return { bits, entries };
}

let fixed: { literals: HuffmanTable; distances: HuffmanTable } | undefined;

function fixedTables(): { literals: HuffmanTable; distances: HuffmanTable } {
  if (fixed) return fixed;
  const lengths = new Uint8Array(288);
  lengths.fill(8, 0, 144);
  lengths.fill(9, 144, 256);
  lengths.fill(7, 256, 280);
  lengths.fill(8, 280, 288);
  fixed = {
    literals: huffmanTable(lengths, "literal/length"),
    distances: huffmanTable(new Uint8Array(30).fill(5), "distance"),
  };
  return fixed;
}

/** Adler-32 (RFC 1950) of `bytes`. */
export function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length;) {
    // 5552 bytes is the most that cannot overflow before the modulo.
    const end = Math.min(i + 5552, bytes.length);
    for (; i < end; i++) {
      a += bytes[i];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return (b * 65536 + a) >>> 0;
}

/**
 * Inflates the zlib stream at the start of `input`; bytes after it are ignored.
 *
 * @param limit most bytes it may inflate to
 * @throws {ZlibError} when the stream is damaged, truncated, fails its Adler-32 or exceeds `limit`
 */
export function inflateZlib(input: Uint8Array, limit = 2 ** 31): Inflated {
  if (input.length < 2) throw new ZlibError("truncated header");
  const cmf = input[0];
  const flg = input[1];
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7) throw new ZlibError("not deflate data");
  if (((cmf << 8) | flg) % 31 !== 0) throw new ZlibError("header check failed");
  if (flg & 0x20) throw new ZlibError("needs a preset dictionary");

  let pos = 2;
  let bitBuf = 0;
  let bitCount = 0;
  let out = new Uint8Array(Math.min(limit, Math.max(1024, input.length * 4)));
  let size = 0;

  const need = (n: number): void => {
    while (bitCount < n) {
      if (pos >= input.length) throw new ZlibError("truncated stream");
      bitBuf |= input[pos++] << bitCount;
      bitCount += 8;
    }
  };
  const take = (n: number): number => {
    need(n);
    const v = bitBuf & ((1 << n) - 1);
    bitBuf >>>= n;
    bitCount -= n;
    return v;
  };
  const decode = (table: HuffmanTable): number => {
    // Near the end the input may hold fewer bits than the longest code: the code read may be shorter.
    while (bitCount < table.bits && pos < input.length) {
      bitBuf |= input[pos++] << bitCount;
      bitCount += 8;
    }
    const entry = table.entries[bitBuf & ((1 << table.bits) - 1)];
    const len = entry & 15;
    if (len === 0) throw new ZlibError("invalid Huffman code");
    if (len > bitCount) throw new ZlibError("truncated stream");
    bitBuf >>>= len;
    bitCount -= len;
    return entry >>> 4;
  };
  const room = (n: number): void => {
    if (size + n > limit) throw new ZlibError(`inflates to more than ${limit} bytes`);
    if (size + n <= out.length) return;
    const grown = new Uint8Array(Math.min(limit, Math.max(out.length * 2, size + n)));
    grown.set(out.subarray(0, size));
    out = grown;
  };

  const stored = (): void => {
    // Aligned to a byte: whole bytes still in the bit buffer go back to the input.
    bitBuf = 0;
    pos -= bitCount >> 3;
    bitCount = 0;
    if (pos + 4 > input.length) throw new ZlibError("truncated stream");
    const len = input[pos] | (input[pos + 1] << 8);
    const nlen = input[pos + 2] | (input[pos + 3] << 8);
    if ((len ^ 0xffff) !== nlen) throw new ZlibError("stored block length check failed");
    pos += 4;
    if (pos + len > input.length) throw new ZlibError("truncated stream");
    room(len);
    out.set(input.subarray(pos, pos + len), size);
    size += len;
    pos += len;
  };

  const dynamicTables = (): { literals: HuffmanTable; distances: HuffmanTable } => {
    const nlit = take(5) + 257;
    const ndist = take(5) + 1;
    const ncode = take(4) + 4;
    if (nlit > 286 || ndist > 30) throw new ZlibError("too many length or distance codes");
    const codeLengths = new Uint8Array(19);
    for (let i = 0; i < ncode; i++) codeLengths[CODE_LENGTH_ORDER[i]] = take(3);
    const lengthCode = huffmanTable(codeLengths, "code length");
    const lengths = new Uint8Array(nlit + ndist);
    for (let i = 0; i < lengths.length;) {
      const symbol = decode(lengthCode);
      if (symbol < 16) {
        lengths[i++] = symbol;
        continue;
      }
      let value = 0;
      let repeat: number;
      if (symbol === 16) {
        if (i === 0) throw new ZlibError("repeat with no previous length");
        value = lengths[i - 1];
        repeat = 3 + take(2);
      } else repeat = symbol === 17 ? 3 + take(3) : 11 + take(7);
      if (i + repeat > lengths.length) throw new ZlibError("too many code lengths");
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    if (lengths[256] === 0) throw new ZlibError("no end-of-block code");
    return {
      literals: huffmanTable(lengths.subarray(0, nlit), "literal/length"),
      distances: huffmanTable(lengths.subarray(nlit), "distance"),
    };
  };

  const compressed = (tables: { literals: HuffmanTable; distances: HuffmanTable }): void => {
    for (;;) {
      const symbol = decode(tables.literals);
      if (symbol < 256) {
        room(1);
        out[size++] = symbol;
        continue;
      }
      if (symbol === 256) return;
      const li = symbol - 257;
      if (li >= 29) throw new ZlibError("invalid length code");
      const length = LENGTH_BASE[li] + take(LENGTH_EXTRA[li]);
      const di = decode(tables.distances);
      if (di >= 30) throw new ZlibError("invalid distance code");
      const distance = DIST_BASE[di] + take(DIST_EXTRA[di]);
      if (distance > size) throw new ZlibError("distance too far back");
      room(length);
      for (let i = 0; i < length; i++, size++) out[size] = out[size - distance];
    }
  };

  for (let last = false; !last;) {
    last = take(1) === 1;
    const type = take(2);
    if (type === 0) stored();
    else if (type === 1) compressed(fixedTables());
    else if (type === 2) compressed(dynamicTables());
    else throw new ZlibError("invalid block type");
  }
  pos -= bitCount >> 3;
  if (pos + 4 > input.length) throw new ZlibError("truncated stream (no Adler-32)");
  const data = out.subarray(0, size);
  const expected = ((input[pos] << 24) | (input[pos + 1] << 16) | (input[pos + 2] << 8) |
    input[pos + 3]) >>> 0;
  if (adler32(data) !== expected) throw new ZlibError("Adler-32 does not match the data");
  return { data, consumed: pos + 4 };
}
