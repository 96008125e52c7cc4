/**
 * The ELF codec (docs/decisions.md, "ELF marks"): the mark lives in a
 * PROGBITS section `.chalk.mark`; a deleted mark leaves `.chalk.free`
 * holding the raw HASH digest, so HASH is identical for the pristine,
 * marked, re-marked and deleted file.
 *
 * @module
 */

import { type BytePatch, patchedPieces, readPatched, uintLe } from "./_byte_patch.ts";
import {
  CHALK_FREE_NAME,
  CHALK_MARK_NAME,
  countIntersecting,
  ELF_HEADER_SIZE,
  type ElfLayout,
  parseElf,
} from "./_elf_layout.ts";
import type { ByteView } from "./byte_view.ts";
import { type ArtifactFacts, type Codec, CodecError } from "./codec.ts";
import { type FoundMark, markAtMagic } from "./find_mark.ts";
import { MAGIC } from "./mark_value.ts";
import { type ContentPlan, HASH_SLOT, MARK_SLOT, type Piece, wholeArtifact } from "./plan.ts";

/** Size of the `.chalk.free` placeholder: one SHA-256 digest. */
const PLACEHOLDER_SIZE = 32;
const SECTION_HEADER_SIZE = 64;
const SHT_PROGBITS = 1;

/** Zero bytes that pad the next offset to a multiple of 8 (`pad8`, left padding). */
function pad8(offset: number): number {
  return (8 - (offset % 8)) % 8;
}

function fail(reason: string): never {
  throw new CodecError("elf", reason);
}

/** New content around the chalk section data: `before ++ data ++ after`. */
interface Spliced {
  before: Piece[];
  after: Piece[];
}

/**
 * The file with a chalk section named `name` holding `dataLen` bytes,
 * minus those bytes: `insertChalkSection` when the file has no chalk
 * section, else `setChalkSection`.
 */
function splice(view: ByteView, layout: ElfLayout, name: Uint8Array, dataLen: number): Spliced {
  // Bytes after everything the headers describe (data appended to the program, read back
  // relative to the end of the file, e.g. by self-extracting programs) are kept verbatim at
  // the end: the reference would truncate them. The splice works on the described part only.
  const coveredEnd = layout.ranges.reduce((end, [, e]) => Math.max(end, e), 0);
  const eof = Math.min(coveredEnd, view.size);
  const out = layout.chalk === undefined
    ? spliceInsert(view, eof, layout, name, dataLen)
    : spliceReplace(view, eof, layout, name, dataLen);
  if (eof < view.size) out.after.push({ from: eof, to: view.size });
  return out;
}

/** `insertChalkSection` (`elf.nim` 705–856) over the first `eof` bytes. */
function spliceInsert(
  view: ByteView,
  eof: number,
  layout: ElfLayout,
  name: Uint8Array,
  dataLen: number,
): Spliced {
  const st = layout.strtab;
  if (st.addr !== 0n) fail("the section name table is mapped at an address");
  if (layout.shnum >= 0xff00 - 1) fail("section count reaches SHN_LORESERVE");
  const tableHits = countIntersecting(layout, layout.shoff, eof - layout.shoff);
  const strHits = countIntersecting(layout, st.offset, eof - st.offset);
  let trunc = eof;
  if (tableHits === 1) trunc = strHits === 2 ? st.offset : layout.shoff;
  else if (strHits === 1) trunc = st.offset;
  if (trunc < ELF_HEADER_SIZE) fail("the section name table overlaps the ELF header");

  const chalkPad = pad8(trunc);
  const chalkOff = trunc + chalkPad;
  const strPad = pad8(chalkOff + dataLen);
  const strOff = chalkOff + dataLen + strPad;
  const nameIndex = st.size;
  const strSize = st.size + name.length + 1;
  const tablePad = pad8(strOff + strSize);
  const shoff = strOff + strSize + tablePad;

  // New shstrtab: pad, old names, the new name and its NUL.
  const strBlock = new Uint8Array(strPad + strSize);
  strBlock.set(view.bytes(st.offset, st.size), strPad);
  strBlock.set(name, strPad + st.size);

  // The reference writes the new shstrtab offset and size into the header
  // in place, copies the table, then restores only the offset: the size
  // change stays in the original bytes [quirk].
  const strSizePatch: BytePatch = { at: st.headerOffset + 0x20, bytes: uintLe(strSize, 8) };
  const table = readPatched(view, layout.shoff, layout.shoff + layout.shTableSize, [
    { at: st.headerOffset + 0x18, bytes: uintLe(strOff, 8) },
    strSizePatch,
  ]);
  const header = new Uint8Array(SECTION_HEADER_SIZE);
  const hv = new DataView(header.buffer);
  hv.setUint32(0x00, nameIndex, true);
  hv.setUint32(0x04, SHT_PROGBITS, true);
  hv.setBigUint64(0x18, BigInt(chalkOff), true);
  hv.setBigUint64(0x20, BigInt(dataLen), true);
  const tableBlock = new Uint8Array(tablePad + table.length + SECTION_HEADER_SIZE);
  const headerPatches: BytePatch[] = [
    { at: 0x28, bytes: uintLe(shoff, 8) },
    { at: 0x3c, bytes: uintLe((layout.shnum + 1) & 0xffff, 2) },
  ];
  if (layout.shstrndx + 1 === layout.shnum) {
    // shstrtab's header was last: the new header goes just before it.
    headerPatches.push({ at: 0x3e, bytes: uintLe(layout.shstrndx + 1, 2) });
    const split = tablePad + table.length - SECTION_HEADER_SIZE;
    tableBlock.set(table.subarray(0, table.length - SECTION_HEADER_SIZE), tablePad);
    tableBlock.set(header, split);
    tableBlock.set(table.subarray(table.length - SECTION_HEADER_SIZE), split + SECTION_HEADER_SIZE);
  } else {
    tableBlock.set(table, tablePad);
    tableBlock.set(header, tablePad + table.length);
  }
  const before = patchedPieces(0, trunc, [...headerPatches, strSizePatch]);
  if (chalkPad > 0) before.push(new Uint8Array(chalkPad));
  return { before, after: [strBlock, tableBlock] };
}

/** `setChalkSection` (`elf.nim` 617–703): rewrite the tail after the chalk section. */
function spliceReplace(
  view: ByteView,
  eof: number,
  layout: ElfLayout,
  name: Uint8Array,
  dataLen: number,
): Spliced {
  const chalk = layout.chalk;
  if (chalk === undefined) return fail("no chalk section present");
  const st = layout.strtab;
  const tableHits = countIntersecting(layout, layout.shoff, eof - layout.shoff);
  const strHits = countIntersecting(layout, st.offset, eof - st.offset);
  const chalkHits = countIntersecting(layout, chalk.offset, eof - chalk.offset);
  if (tableHits !== 1 || strHits !== 2 || chalkHits !== 3) {
    fail("unexpected ELF structure after the chalk section (was the file modified after marking?)");
  }
  if (chalk.offset < ELF_HEADER_SIZE) fail("the chalk section overlaps the ELF header");

  const sizePatch: BytePatch = { at: chalk.headerOffset + 0x20, bytes: uintLe(dataLen, 8) };
  const strPad = pad8(chalk.offset + dataLen);
  const strOff = chalk.offset + dataLen + strPad;
  const strBlock = new Uint8Array(strPad + st.size);
  strBlock.set(readPatched(view, st.offset, st.offset + st.size, [sizePatch]), strPad);
  strBlock.set(name, strPad + chalk.nameIndex); // same length as the old name
  const strOffPatch: BytePatch = { at: st.headerOffset + 0x18, bytes: uintLe(strOff, 8) };
  const tablePad = pad8(strOff + st.size);
  const shoff = strOff + st.size + tablePad;
  const tail = patchedPieces(layout.shoff, eof, [sizePatch, strOffPatch]);
  const before = patchedPieces(0, chalk.offset, [
    { at: 0x28, bytes: uintLe(shoff, 8) },
    sizePatch,
    strOffPatch,
  ]);
  const after: Piece[] = [strBlock];
  if (tablePad > 0) after.push(new Uint8Array(tablePad));
  after.push(...tail);
  return { before, after };
}

/** The unchalked layout (`.chalk.free` with 32 placeholder bytes), or undefined if it cannot be built. */
function unchalkedSplice(view: ByteView, layout: ElfLayout): Spliced | undefined {
  try {
    return splice(view, layout, CHALK_FREE_NAME, PLACEHOLDER_SIZE);
  } catch (e) {
    if (e instanceof CodecError) return undefined;
    throw e;
  }
}

/** `verifyChalkStart` (`codecElf.nim` 26–67): offset of MAGIC inside the section data, or -1. */
function verifyChalkStart(data: Uint8Array): number {
  const maxIndex = data.length - 1;
  let index = 0;
  const skipTo = (marker: number): boolean => {
    for (;;) {
      if (index >= maxIndex) return false;
      const c = data[index];
      if (c !== 0x20 && c !== 0x0a && c !== 0x09) return c === marker;
      index++;
    }
  };
  if (!skipTo(0x7b)) return -1;
  index++;
  if (!skipTo(0x22)) return -1;
  index++;
  const key = 'MAGIC"';
  if (maxIndex - index <= key.length + MAGIC.length) return -1;
  for (let k = 0; k < key.length; k++) if (data[index + k] !== key.charCodeAt(k)) return -1;
  index += key.length;
  if (!skipTo(0x3a)) return -1;
  index++;
  if (!skipTo(0x22)) return -1;
  index++;
  if (maxIndex - index + 1 < MAGIC.length) return -1;
  for (let k = 0; k < MAGIC.length; k++) if (data[index + k] !== MAGIC.charCodeAt(k)) return -1;
  return index;
}

/**
 * The H ELF codec: 64-bit little-endian ELF executables and shared objects
 * (plus relocatables with program headers) that parse cleanly. It reads the
 * ELF header, the program and section tables, the section names and the
 * chalk section; everything else stays ranges of the file.
 *
 * `removePlan` leaves the unchalked layout: a `.chalk.free` section holding
 * the raw HASH digest (the plan's HASH slot).
 */
export const elfCodec: Codec = {
  name: "elf",

  detect(view: ByteView, _facts: ArtifactFacts): string | undefined {
    return parseElf(view) ? "ELF" : undefined;
  },

  findMark(view: ByteView): FoundMark | undefined {
    const layout = parseElf(view);
    if (!layout || !layout.chalk || layout.unchalked) return undefined;
    const { offset, size } = layout.chalk;
    const magicAt = verifyChalkStart(view.bytes(offset, size));
    return magicAt < 0 ? undefined : markAtMagic(view, offset + magicAt);
  },

  hashPlan(view: ByteView): ContentPlan {
    const layout = parseElf(view);
    const spliced = layout && unchalkedSplice(view, layout);
    // When the canonical layout cannot be built, HASH is the plain file SHA-256.
    return spliced ? [...spliced.before, ...spliced.after] : wholeArtifact(view.size);
  },

  insertPlan(view: ByteView, markLength: number): ContentPlan {
    const layout = parseElf(view);
    if (!layout) fail("not a supported 64-bit little-endian ELF file");
    if (markLength === 0) fail("refusing to insert an empty mark");
    const { before, after } = splice(view, layout, CHALK_MARK_NAME, markLength);
    return [...before, MARK_SLOT, ...after];
  },

  removePlan(view: ByteView): ContentPlan | undefined {
    const layout = parseElf(view);
    if (!layout) fail("not a supported 64-bit little-endian ELF file");
    if (!layout.chalk || layout.unchalked) return undefined;
    const { before, after } = splice(view, layout, CHALK_FREE_NAME, PLACEHOLDER_SIZE);
    return [...before, HASH_SLOT, ...after];
  },
};
