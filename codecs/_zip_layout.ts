/**
 * Reading a zip archive's structure from its end (private to `codecs/`):
 * the end of central directory record (and its Zip64 form), the central
 * directory, and, on demand, each member's local header. Only the records
 * are read, never the members' data. Every offset is checked against the
 * file before it is used; a damaged archive is a `CodecError` naming what is
 * wrong.
 *
 * @module
 */
import type { ByteView } from "./byte_view.ts";
import { CodecError } from "./codec.ts";

const EOCD_SIG = 0x06054b50;
const EOCD64_SIG = 0x06064b50;
const LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
/** Fixed sizes of the records. */
export const EOCD_SIZE = 22;
export const LOCATOR_SIZE = 20;
export const EOCD64_SIZE = 56;
export const CENTRAL_SIZE = 46;
export const LOCAL_SIZE = 30;
const MAX_COMMENT = 0xffff;
/** A central directory larger than this is refused (some 2 million members). */
const MAX_CENTRAL_DIRECTORY = 256 * 1024 * 1024;

/** One member, as the central directory describes it. */
export interface ZipEntry {
  /** The name's bytes, as stored. */
  name: Uint8Array;
  /** The name for messages (UTF-8, lossy). */
  label: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Absolute offset of the local header. */
  localOffset: number;
  /** The bytes of this member's central directory record. */
  record: { from: number; to: number };
  /** Offset, inside the record, of the 4-byte local header offset field, or of its Zip64 value. */
  offsetField: { at: number; width: 4 | 8 };
}

/** Where the end records are, and the fields a new member changes. */
export interface ZipEnd {
  /** The end of central directory record (through its comment, to the end of the file). */
  eocd: number;
  /** Zip64 end record and locator, when present. */
  zip64?: { record: number; locator: number };
}

/** An archive's structure. */
export interface ZipLayout {
  /** Bytes before the archive proper (a self-extractor, a zipapp's shebang line). */
  prefix: number;
  /** Absolute offset of the central directory; its records end where the end records start. */
  centralStart: number;
  centralEnd: number;
  end: ZipEnd;
  entries: ZipEntry[];
}

function fail(reason: string): never {
  throw new CodecError("zip", reason);
}

function u16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}

function u32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u64(b: Uint8Array, at: number): number {
  const value = u32(b, at) + u32(b, at + 4) * 0x1_0000_0000;
  if (!Number.isSafeInteger(value)) fail("a Zip64 size or offset is larger than 2^53");
  return value;
}

/**
 * The offset of the end of central directory record whose comment runs exactly to the end; with
 * `trailing`, when there is none, the last one followed by bytes after its comment (padding or
 * data appended to a finished archive, which unzip, Python and Java read past; the central
 * directory must then hold together as always). -1 when there is no such record.
 */
function findEocd(view: ByteView, trailing = false): number {
  if (view.size < EOCD_SIZE) return -1;
  const start = Math.max(0, view.size - EOCD_SIZE - MAX_COMMENT);
  const tail = view.bytes(start, view.size - start);
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (u32(tail, i) === EOCD_SIG && i + EOCD_SIZE + u16(tail, i + 20) === tail.length) {
      return start + i;
    }
  }
  if (!trailing) return -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (u32(tail, i) === EOCD_SIG && i + EOCD_SIZE + u16(tail, i + 20) < tail.length) {
      return start + i;
    }
  }
  return -1;
}

/** True when the view ends with an end of central directory record (a zip, possibly prefixed). */
export function hasZipEnd(view: ByteView): boolean {
  return findEocd(view) >= 0;
}

const decoder = new TextDecoder();

/** The central directory's counts and place, from the end records. */
function readEnd(view: ByteView): {
  end: ZipEnd;
  count: number;
  size: number;
  offset: number;
  recordsEnd: number;
} {
  const eocd = findEocd(view, true);
  if (eocd < 0) {
    fail("no end of central directory record (a truncated archive, or not a zip)");
  }
  const rec = view.bytes(eocd, EOCD_SIZE);
  if (u16(rec, 4) !== 0 || u16(rec, 6) !== 0) {
    fail("a multi-disk (spanned) archive; chalk marks single-file archives only");
  }
  let count = u16(rec, 10);
  let size = u32(rec, 12);
  let offset = u32(rec, 16);
  const locator = eocd - LOCATOR_SIZE;
  if (locator >= 0 && u32(view.bytes(locator, 4), 0) === LOCATOR_SIG) {
    const record = locator - EOCD64_SIZE;
    if (record < 0) fail("a Zip64 locator without its end record (truncated)");
    const r64 = view.bytes(record, EOCD64_SIZE);
    if (u32(r64, 0) !== EOCD64_SIG) {
      fail(
        "the Zip64 end record is not right before its locator; chalk cannot rewrite this archive",
      );
    }
    if (u32(r64, 16) !== 0 || u32(r64, 20) !== 0) fail("a multi-disk (spanned) Zip64 archive");
    count = u64(r64, 32);
    size = u64(r64, 40);
    offset = u64(r64, 48);
    return { end: { eocd, zip64: { record, locator } }, count, size, offset, recordsEnd: record };
  }
  return { end: { eocd }, count, size, offset, recordsEnd: eocd };
}

/** The Zip64 values of a central record's extra field (those whose 32-bit field is all ones). */
function zip64Extra(
  extra: Uint8Array,
  wanted: { size: boolean; compressed: boolean; offset: boolean },
): { size?: number; compressed?: number; offset?: number; offsetAt?: number } {
  for (let i = 0; i + 4 <= extra.length;) {
    const id = u16(extra, i);
    const length = u16(extra, i + 2);
    if (i + 4 + length > extra.length) break;
    if (id === 0x0001) {
      const out: { size?: number; compressed?: number; offset?: number; offsetAt?: number } = {};
      let at = i + 4;
      const next = (): number => {
        if (at + 8 > i + 4 + length) fail("a Zip64 extra field is too short");
        const v = u64(extra, at);
        at += 8;
        return v;
      };
      if (wanted.size) out.size = next();
      if (wanted.compressed) out.compressed = next();
      if (wanted.offset) {
        out.offsetAt = at;
        out.offset = next();
      }
      return out;
    }
    i += 4 + length;
  }
  fail("a member's sizes are marked as Zip64 but it has no Zip64 extra field");
}

/**
 * Parses the archive's end records and central directory. Throws a
 * `CodecError` for anything that does not hold together: a truncated file,
 * a central directory that points outside the file, a damaged record.
 */
export function parseZip(view: ByteView): ZipLayout {
  const { end, count, size, offset, recordsEnd } = readEnd(view);
  const centralStart = recordsEnd - size;
  const prefix = centralStart - offset;
  if (centralStart < 0 || prefix < 0) {
    fail("the central directory points outside the file (a truncated or damaged archive)");
  }
  if (size > MAX_CENTRAL_DIRECTORY) fail(`a central directory of ${size} bytes is too large`);
  if (count * CENTRAL_SIZE > size) {
    fail(`the end record claims ${count} members, more than its central directory can hold`);
  }
  const dir = view.bytes(centralStart, size);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL_SIZE > dir.length || u32(dir, at) !== CENTRAL_SIG) {
      fail(`central directory record ${i + 1} of ${count} is damaged`);
    }
    const nameLength = u16(dir, at + 28);
    const extraLength = u16(dir, at + 30);
    const commentLength = u16(dir, at + 32);
    const recordEnd = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (recordEnd > dir.length) fail(`central directory record ${i + 1} of ${count} is truncated`);
    const name = dir.slice(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
    let compressedSize = u32(dir, at + 20);
    let entrySize = u32(dir, at + 24);
    let localOffset = u32(dir, at + 42);
    let offsetField: ZipEntry["offsetField"] = { at: 42, width: 4 };
    const wanted = {
      size: entrySize === 0xffffffff,
      compressed: compressedSize === 0xffffffff,
      offset: localOffset === 0xffffffff,
    };
    if (wanted.size || wanted.compressed || wanted.offset) {
      const extraStart = at + CENTRAL_SIZE + nameLength;
      const z = zip64Extra(dir.subarray(extraStart, extraStart + extraLength), wanted);
      entrySize = z.size ?? entrySize;
      compressedSize = z.compressed ?? compressedSize;
      if (z.offset !== undefined) {
        localOffset = z.offset;
        offsetField = { at: CENTRAL_SIZE + nameLength + z.offsetAt!, width: 8 };
      }
    }
    const label = decoder.decode(name);
    const local = localOffset + prefix;
    if (local + LOCAL_SIZE > centralStart) {
      fail(`member ${label}: its local header is outside the archive's data`);
    }
    entries.push({
      name,
      label,
      flags: u16(dir, at + 8),
      method: u16(dir, at + 10),
      crc32: u32(dir, at + 16),
      compressedSize,
      size: entrySize,
      localOffset: local,
      record: { from: centralStart + at, to: centralStart + recordEnd },
      offsetField,
    });
    at = recordEnd;
  }
  if (at !== dir.length) {
    fail("the central directory holds more than its end record counts");
  }
  return { prefix, centralStart, centralEnd: recordsEnd, end, entries };
}

/** Absolute offset of a member's data (after its local header), checked against the archive. */
export function dataStart(view: ByteView, layout: ZipLayout, entry: ZipEntry): number {
  const head = view.bytes(entry.localOffset, LOCAL_SIZE);
  if (u32(head, 0) !== LOCAL_SIG) fail(`member ${entry.label}: no local header where it should be`);
  const start = entry.localOffset + LOCAL_SIZE + u16(head, 26) + u16(head, 28);
  if (start + entry.compressedSize > layout.centralStart) {
    fail(`member ${entry.label}: its data runs past the end of the archive's data`);
  }
  return start;
}

/** Where each member's local record (header, data, descriptor) ends: the next one, or the directory. */
export function localRecordEnd(layout: ZipLayout, entry: ZipEntry): number {
  let end = layout.centralStart;
  for (const e of layout.entries) {
    if (e.localOffset > entry.localOffset && e.localOffset < end) end = e.localOffset;
  }
  return end;
}
