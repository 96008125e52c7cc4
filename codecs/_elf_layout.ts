/**
 * Parsing of a 64-bit little-endian ELF file into the facts the ELF codec
 * needs (as the original's `src/plugins/elf.nim` `parse`): header fields,
 * section headers, the recorded byte ranges, the chalk section. Private to
 * `codecs/`. Never throws on bad input: any inconsistency (including reads
 * past the end) makes {@link parseElf} return undefined.
 */

import type { ByteView } from "./byte_view.ts";

/** One section header, with its absolute location in the file. */
export interface ElfSection {
  /** Offset of the 64-byte section header itself. */
  headerOffset: number;
  nameIndex: number;
  type: number;
  /** `sh_addr` (only compared with 0). */
  addr: bigint;
  /** `sh_offset`; exact for non-NOBITS sections (checked to lie in the file). */
  offset: number;
  /** `sh_size`; exact for non-NOBITS sections. */
  size: number;
}

/** A half-open byte range [start, end) recorded while parsing. */
export type ByteRange = readonly [number, number];

/** The parsed facts of an ELF file. */
export interface ElfLayout {
  /** `e_shoff`. */
  shoff: number;
  /** `e_shnum`. */
  shnum: number;
  /** `e_shstrndx`. */
  shstrndx: number;
  /** Section table size, computed in 16-bit arithmetic like the reference [quirk]. */
  shTableSize: number;
  sections: ElfSection[];
  /** ELF header, program table, segments, section table, sections (size > 0). */
  ranges: ByteRange[];
  /** The section name string table header. */
  strtab: ElfSection;
  /** First PROGBITS section named `.chalk.mark` or `.chalk.free`. */
  chalk: ElfSection | undefined;
  /** True when {@link chalk} is `.chalk.free` (a deleted mark). */
  unchalked: boolean;
}

export const ELF_HEADER_SIZE = 64;
const PROGRAM_HEADER_SIZE = 0x38;
const SECTION_HEADER_SIZE = 0x40;
const SHT_PROGBITS = 1;
const SHT_NOBITS = 8;

/** `.chalk.mark` as bytes. */
export const CHALK_MARK_NAME = new TextEncoder().encode(".chalk.mark");
/** `.chalk.free` as bytes. */
export const CHALK_FREE_NAME = new TextEncoder().encode(".chalk.free");

class OutOfBounds extends Error {}

/** Little-endian fields of one block of the file (the header, or one table). */
class Fields {
  readonly #view: DataView;
  readonly #base: number;
  readonly #sizeBig: bigint;

  /** The block `bytes` starts at file offset `base`; `fileSize` bounds offsets read from it. */
  constructor(bytes: Uint8Array, base: number, fileSize: number) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#base = base;
    this.#sizeBig = BigInt(fileSize);
  }

  u16(at: number): number {
    return this.#view.getUint16(at - this.#base, true);
  }

  u32(at: number): number {
    return this.#view.getUint32(at - this.#base, true);
  }

  u64(at: number): bigint {
    return this.#view.getBigUint64(at - this.#base, true);
  }

  /** A u64 as a number when it is ≤ the file size, else Infinity (never used as an offset). */
  u64InFile(at: number): number {
    const v = this.u64(at);
    return v <= this.#sizeBig ? Number(v) : Infinity;
  }
}

/**
 * The table of `count`-many `entry`-byte entries at `offset` that a loop
 * `for (at = offset; at < offset + tableSize; at += entry)` visits, or
 * OutOfBounds when one of those entries passes the end of the file (the
 * reference reads each entry and fails there).
 */
function table(view: ByteView, offset: number, tableSize: number, entry: number): Uint8Array {
  const length = Math.ceil(tableSize / entry) * entry;
  if (offset + length > view.size) throw new OutOfBounds();
  return view.bytes(offset, length);
}

/** True when the NUL-terminated name at `nameIndex` of the string table equals `name`. */
function nameIs(
  view: ByteView,
  strtab: ElfSection,
  nameIndex: number,
  name: Uint8Array,
): boolean {
  const base = strtab.offset + nameIndex;
  const limit = strtab.offset + strtab.size;
  const have = view.bytes(base, Math.max(0, Math.min(name.length + 1, limit - base)));
  for (let k = 0; k <= name.length; k++) {
    if (k === name.length) return k >= have.length || have[k] === 0;
    if (k >= have.length || have[k] !== name[k]) return false;
  }
  return false;
}

/**
 * Parses the artifact in `view` as a 64-bit little-endian ELF the way
 * chalk's ELF codec does, or returns undefined when chalk would decline it.
 * Reads the header, the two tables and the section names: never the
 * sections' contents.
 */
export function parseElf(view: ByteView): ElfLayout | undefined {
  try {
    return parseOrThrow(view);
  } catch (e) {
    if (e instanceof OutOfBounds) return undefined;
    throw e;
  }
}

function parseOrThrow(view: ByteView): ElfLayout | undefined {
  const size = view.size;
  if (size <= ELF_HEADER_SIZE) return undefined;
  const head = view.bytes(0, ELF_HEADER_SIZE);
  if (head[0] !== 0x7f || head[1] !== 0x45 || head[2] !== 0x4c || head[3] !== 0x46) {
    return undefined;
  }
  if (head[4] !== 2 || head[5] !== 1) return undefined;
  if (head[0x14] !== 1 || head[0x15] !== 0 || head[0x16] !== 0 || head[0x17] !== 0) {
    return undefined;
  }
  const f = new Fields(head, 0, size);
  const type = f.u16(0x10);
  if (type < 1 || type > 3) return undefined;
  const ranges: ByteRange[] = [[0, ELF_HEADER_SIZE]];
  const shnum = f.u16(0x3c);
  const shstrndx = f.u16(0x3e);
  if (shstrndx === 0 || shstrndx >= 0xff00 || shstrndx >= shnum) return undefined;

  // Program header table.
  const phoff = f.u64InFile(0x20);
  if (phoff < ELF_HEADER_SIZE || phoff > size) return undefined;
  if (f.u16(0x36) !== PROGRAM_HEADER_SIZE) return undefined;
  const phnum = f.u16(0x38);
  if (phnum === 0xffff) return undefined;
  // [quirk] 16-bit product, like the reference.
  const phTableSize = (PROGRAM_HEADER_SIZE * phnum) & 0xffff;
  if (phTableSize < PROGRAM_HEADER_SIZE || phTableSize > size) return undefined;
  ranges.push([phoff, phoff + phTableSize]);
  const ph = new Fields(table(view, phoff, phTableSize, PROGRAM_HEADER_SIZE), phoff, size);
  for (let at = phoff; at < phoff + phTableSize; at += PROGRAM_HEADER_SIZE) {
    const off = ph.u64InFile(at + 0x08);
    const filesz = ph.u64InFile(at + 0x20);
    if (off > size || filesz > size || off + filesz > size) return undefined;
    if (filesz > 0) ranges.push([off, off + filesz]);
  }

  // Section header table.
  const shoff = f.u64InFile(0x28);
  if (shoff > size || shoff < ELF_HEADER_SIZE) return undefined;
  if (f.u16(0x3a) !== SECTION_HEADER_SIZE) return undefined;
  const shTableSize = (SECTION_HEADER_SIZE * shnum) & 0xffff; // [quirk] 16-bit
  if (shTableSize < SECTION_HEADER_SIZE || shTableSize > size) return undefined;
  ranges.push([shoff, shoff + shTableSize]);
  const sh = new Fields(table(view, shoff, shTableSize, SECTION_HEADER_SIZE), shoff, size);
  const sections: ElfSection[] = [];
  for (let at = shoff; at < shoff + shTableSize; at += SECTION_HEADER_SIZE) {
    const section: ElfSection = {
      headerOffset: at,
      nameIndex: sh.u32(at),
      type: sh.u32(at + 0x04),
      addr: sh.u64(at + 0x10),
      offset: sh.u64InFile(at + 0x18),
      size: sh.u64InFile(at + 0x20),
    };
    if (section.type !== SHT_NOBITS) {
      if (section.offset > size || section.size > size || section.offset + section.size > size) {
        return undefined;
      }
      if (section.size > 0) ranges.push([section.offset, section.offset + section.size]);
    }
    sections.push(section);
  }
  const strtab = sections[shstrndx];
  if (strtab === undefined || strtab.type === SHT_NOBITS) return undefined;
  for (const s of sections) {
    // The reference compares against uint32(size - 1); an empty table only admits index 0.
    if (strtab.size === 0 ? s.nameIndex !== 0 : s.nameIndex > strtab.size - 1) return undefined;
  }

  let chalk: ElfSection | undefined;
  let unchalked = false;
  for (const s of sections) {
    if (s.type !== SHT_PROGBITS) continue;
    if (nameIs(view, strtab, s.nameIndex, CHALK_MARK_NAME)) {
      chalk = s;
      break;
    }
    if (nameIs(view, strtab, s.nameIndex, CHALK_FREE_NAME)) {
      chalk = s;
      unchalked = true;
      break;
    }
  }
  return { shoff, shnum, shstrndx, shTableSize, sections, ranges, strtab, chalk, unchalked };
}

/**
 * How many recorded ranges the reference's `intersect(start, len)` returns:
 * ranges starting before `start + len` that did not end at or before
 * `start` (for `len == 0`: ranges with start < `start` ≤ end).
 */
export function countIntersecting(layout: ElfLayout, start: number, len: number): number {
  const end = start + len;
  let n = 0;
  for (const [s, e] of layout.ranges) {
    if (len > 0 ? s < end && e > start : s < start && e >= start) n++;
  }
  return n;
}
