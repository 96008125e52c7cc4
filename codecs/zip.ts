/**
 * The zip codec (zip, jar, war, ear, wheels, zipapps, ...): the mark is a
 * member `chalk.json` at the archive's root, as the original Chalk's
 * `codecZip` has it (docs/codecs.md, "Zip archives").
 *
 * The archive is never rebuilt. A new mark is a stored (uncompressed)
 * member appended after the last member's data, where the central directory
 * began; the central directory follows as ranges of the old one, then the
 * new member's record and the end records with their counts patched. So
 * every member's bytes keep their offsets (the kernel copies them), and
 * deleting the mark gives back the archive byte for byte.
 *
 * HASH follows the original's rule: SHA-256 over the number of files, then
 * per file in name order its name (`/` + the member's name), its size and
 * its contents, without the root `chalk.json` (and the root `chalk` that the
 * original's `zip.inject_binary` adds). It does not depend on member order,
 * timestamps or compression. Contents of deflated members are inflated by
 * the executor while it hashes (inflated ranges, `codecs/inflate.ts`).
 *
 * @module
 */
import { type BytePatch, patchedPieces, uintLe } from "./_byte_patch.ts";
import { extensionOf } from "./_source_language.ts";
import {
  CENTRAL_SIZE,
  dataStart,
  hasZipEnd,
  LOCAL_SIZE,
  localRecordEnd,
  parseZip,
  type ZipEntry,
  type ZipLayout,
} from "./_zip_layout.ts";
import type { ByteView } from "./byte_view.ts";
import { type ArtifactFacts, type Codec, CodecError, CodecRefusal } from "./codec.ts";
import { findMarkInBytes, type FoundMark } from "./find_mark.ts";
import { type InflatedRange, inflateRange } from "./inflate.ts";
import { type ContentPlan, MARK_CRC32_SLOT, MARK_SLOT, type Piece } from "./plan.ts";

/** Options of the zip codec (configuration: `zip_extensions`, `zip.max_inflated_size`). */
export interface ZipCodecOptions {
  /** Extensions (without the dot, lower case) of files taken for zip archives. */
  extensions?: readonly string[];
  /** Refuse archives whose deflated members inflate to more than this many bytes in all. */
  maxInflatedBytes?: number;
}

/**
 * The default `zip_extensions`: the original's, plus Python zipapps. Not wheels: pip
 * installs a wheel's top-level `chalk.json` into site-packages, where every marked
 * wheel writes the same file and uninstalling one removes another's (docs/decisions.md 20).
 */
export const DEFAULT_ZIP_EXTENSIONS: readonly string[] = [
  "zip",
  "jar",
  "war",
  "ear",
  "pt",
  "pth",
  "keras",
  "pyz",
];

/** The default `zip.max_inflated_size`: 4 GiB. */
export const DEFAULT_MAX_INFLATED_BYTES = 4 * 1024 * 1024 * 1024;

const encoder = new TextEncoder();
const MARK_NAME = encoder.encode("chalk.json");
/** The original's `zip.inject_binary` puts chalk itself here; HASH leaves it out, as there. */
const INJECTED_BINARY_NAME = encoder.encode("chalk");
/** The largest mark member read (a mark is at most 64 MiB: docs/decisions.md, smaller choice 17). */
const MAX_MARK_BYTES = 64 * 1024 * 1024;
/** Deflate cannot expand data by more than this factor (1032:1), plus its block overhead. */
const MAX_DEFLATE_RATIO = 1032;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const STORED = 0;
const DEFLATED = 8;
/** 1980-01-01 00:00:00, the earliest MS-DOS date: the mark member's time, so layouts stay pure. */
const DOS_DATE = 0x0021;
/** Unix, zip 2.0: `-rw-r--r--` for the mark member when extracted. */
const MADE_BY_UNIX = 0x0314;
const FILE_MODE_644 = 0o100644 * 0x10000;

function fail(reason: string): never {
  throw new CodecError("zip", reason);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function isDirectory(entry: ZipEntry): boolean {
  return entry.name.length > 0 && entry.name[entry.name.length - 1] === 0x2f;
}

/** ARTIFACT_TYPE by extension, as the original's `codecZip` names them. */
function artifactType(extension: string): string {
  switch (extension) {
    case "jar":
      return "JAR";
    case "war":
      return "WAR";
    case "ear":
      return "EAR";
    case "pt":
    case "pth":
      return "PyTorch checkpoint";
    case "keras":
      return "Keras model";
    default:
      return "ZIP";
  }
}

/** Layouts already parsed, per view (a codec is asked several times about one artifact). */
const parsed = new WeakMap<ByteView, ZipLayout>();

function layoutOf(view: ByteView): ZipLayout {
  let layout = parsed.get(view);
  if (!layout) parsed.set(view, layout = parseZip(view));
  return layout;
}

/** The root `chalk.json` member, if any; two of them make the mark ambiguous. */
function markEntry(layout: ZipLayout): ZipEntry | undefined {
  const marks = layout.entries.filter((e) => sameBytes(e.name, MARK_NAME));
  if (marks.length > 1) {
    fail(`${marks.length} chalk.json members; chalk cannot tell which one is the mark`);
  }
  return marks[0];
}

/** The mark member's contents, or undefined when it cannot be a mark (encrypted, too large). */
function markContents(
  view: ByteView,
  layout: ZipLayout,
  entry: ZipEntry,
): { bytes: Uint8Array; stored: boolean; start: number } | undefined {
  if (entry.flags & FLAG_ENCRYPTED || entry.size > MAX_MARK_BYTES) return undefined;
  const start = dataStart(view, layout, entry);
  if (entry.method === STORED && entry.compressedSize === entry.size) {
    return { bytes: view.bytes(start, entry.size), stored: true, start };
  }
  if (entry.method !== DEFLATED || entry.compressedSize > MAX_MARK_BYTES) return undefined;
  const range: InflatedRange = {
    from: start,
    to: start + entry.compressedSize,
    inflate: { size: entry.size, crc32: entry.crc32, member: entry.label, codec: "zip" },
  };
  const out = new Uint8Array(entry.size);
  let at = 0;
  try {
    inflateRange(range, (offset, max) => view.bytes(offset, max), (b) => {
      out.set(b, at);
      at += b.length;
    });
  } catch (e) {
    if (e instanceof CodecError) return undefined;
    throw e;
  }
  return { bytes: out, stored: false, start };
}

/** True when the archive has a root `chalk.json` that holds no chalk mark. */
function foreignMarkEntry(view: ByteView, layout: ZipLayout): boolean {
  const entry = markEntry(layout);
  if (!entry) return false;
  const contents = markContents(view, layout, entry);
  return !contents || !findMarkInBytes(contents.bytes);
}

/** The pieces that stand for one member's contents in the hash plan. */
function contentPiece(
  view: ByteView,
  layout: ZipLayout,
  entry: ZipEntry,
): Piece | undefined {
  if (entry.flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) {
    fail(`member ${entry.label} is encrypted; chalk cannot hash its contents`);
  }
  if (entry.size === 0) return undefined;
  const start = dataStart(view, layout, entry);
  if (entry.method === STORED) {
    if (entry.compressedSize !== entry.size) {
      fail(`member ${entry.label} is stored, but its two sizes differ`);
    }
    return { from: start, to: start + entry.size };
  }
  if (entry.method !== DEFLATED) {
    fail(`member ${entry.label} uses compression method ${entry.method}; chalk reads deflate only`);
  }
  if (entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
    fail(
      `member ${entry.label} claims ${entry.size} bytes from ${entry.compressedSize} ` +
        "compressed bytes, more than deflate can produce (a zip bomb?)",
    );
  }
  return {
    from: start,
    to: start + entry.compressedSize,
    inflate: { size: entry.size, crc32: entry.crc32, member: entry.label, codec: "zip" },
  };
}

/** HASH's input: file count, then per file in name order `len(name) name len(data) data`. */
function hashPieces(view: ByteView, layout: ZipLayout, maxInflated: number): Piece[] {
  const files = layout.entries.filter((e) =>
    !isDirectory(e) && !sameBytes(e.name, MARK_NAME) && !sameBytes(e.name, INJECTED_BINARY_NAME)
  );
  let inflated = 0;
  for (const e of files) if (e.method !== STORED) inflated += e.size;
  if (inflated > maxInflated) {
    fail(
      `its members inflate to ${inflated} bytes, more than the ${maxInflated} that ` +
        "zip.max_inflated_size allows (a zip bomb?)",
    );
  }
  files.sort((a, b) => compareBytes(a.name, b.name));
  const pieces: Piece[] = [encoder.encode(String(files.length))];
  for (const e of files) {
    const name = new Uint8Array(e.name.length + 1);
    name[0] = 0x2f;
    name.set(e.name, 1);
    pieces.push(encoder.encode(String(name.length)), name, encoder.encode(String(e.size)));
    const content = contentPiece(view, layout, e);
    if (content) pieces.push(content);
  }
  return pieces;
}

/** A count or offset field of an end record: the new value, or all ones when Zip64 carries it. */
function endField(
  at: number,
  width: 2 | 4,
  old: number,
  value: number,
  zip64: boolean,
): BytePatch | undefined {
  const allOnes = width === 2 ? 0xffff : 0xffffffff;
  if (zip64 && old === allOnes) return undefined;
  if (value >= allOnes) {
    if (!zip64) {
      fail("the new central directory would need Zip64 end records, which this archive lacks");
    }
    return { at, bytes: uintLe(allOnes, width === 2 ? 2 : 4) };
  }
  return { at, bytes: uintLe(value, width === 2 ? 2 : 4) };
}

/** The end records (Zip64 record, locator, end record and comment) with new counts and places. */
function endPieces(
  view: ByteView,
  layout: ZipLayout,
  count: number,
  central: { start: number; size: number },
): Piece[] {
  const { end, prefix } = layout;
  const zip64 = end.zip64 !== undefined;
  const old = view.bytes(end.eocd, 22);
  const dv = new DataView(old.buffer, old.byteOffset, old.byteLength);
  const offset = central.start - prefix;
  const patches: BytePatch[] = [];
  for (
    const p of [
      endField(end.eocd + 8, 2, dv.getUint16(8, true), count, zip64),
      endField(end.eocd + 10, 2, dv.getUint16(10, true), count, zip64),
      endField(end.eocd + 12, 4, dv.getUint32(12, true), central.size, zip64),
      endField(end.eocd + 16, 4, dv.getUint32(16, true), offset, zip64),
    ]
  ) if (p) patches.push(p);
  if (end.zip64) {
    const r = end.zip64.record;
    patches.push(
      { at: r + 24, bytes: uintLe(count, 8) },
      { at: r + 32, bytes: uintLe(count, 8) },
      { at: r + 40, bytes: uintLe(central.size, 8) },
      { at: r + 48, bytes: uintLe(offset, 8) },
      { at: end.zip64.locator + 8, bytes: uintLe(central.start + central.size - prefix, 8) },
    );
    if (end.zip64.record !== layout.centralEnd) {
      fail("unexpected bytes before the Zip64 end record");
    }
  }
  return patchedPieces(layout.centralEnd, view.size, patches);
}

/** The mark member's local header around its CRC-32 slot: name `chalk.json`, stored. */
function localHeader(markLength: number): Piece[] {
  const head = new Uint8Array(14);
  const h = new DataView(head.buffer);
  h.setUint32(0, 0x04034b50, true);
  h.setUint16(4, 10, true); // version needed: 1.0 (stored)
  h.setUint16(8, STORED, true);
  h.setUint16(12, DOS_DATE, true);
  const tail = new Uint8Array(12 + MARK_NAME.length);
  const t = new DataView(tail.buffer);
  t.setUint32(0, markLength, true);
  t.setUint32(4, markLength, true);
  t.setUint16(8, MARK_NAME.length, true);
  tail.set(MARK_NAME, 12);
  return [head, MARK_CRC32_SLOT, tail.subarray(0, 12), tail.subarray(12)];
}

/** The mark member's central directory record (with a Zip64 offset when it needs one). */
function centralRecord(markLength: number, relativeOffset: number): Piece[] {
  const wide = relativeOffset >= 0xffffffff;
  const head = new Uint8Array(16);
  const h = new DataView(head.buffer);
  h.setUint32(0, 0x02014b50, true);
  h.setUint16(4, MADE_BY_UNIX, true);
  h.setUint16(6, wide ? 45 : 10, true);
  h.setUint16(10, STORED, true);
  h.setUint16(14, DOS_DATE, true);
  const extra = wide ? 12 : 0;
  const tail = new Uint8Array(26 + MARK_NAME.length + extra);
  const t = new DataView(tail.buffer);
  t.setUint32(0, markLength, true);
  t.setUint32(4, markLength, true);
  t.setUint16(8, MARK_NAME.length, true);
  t.setUint16(10, extra, true);
  t.setUint32(18, FILE_MODE_644, true);
  t.setUint32(22, wide ? 0xffffffff : relativeOffset, true);
  tail.set(MARK_NAME, 26);
  if (wide) {
    t.setUint16(26 + MARK_NAME.length, 0x0001, true);
    t.setUint16(28 + MARK_NAME.length, 8, true);
    t.setBigUint64(30 + MARK_NAME.length, BigInt(relativeOffset), true);
  }
  return [head, MARK_CRC32_SLOT, tail];
}

/**
 * The archive without its mark member, plus (when `markLength` is given) a new
 * one after the last member: the members' bytes, the new member, the central
 * directory, the end records.
 */
function rewrite(view: ByteView, layout: ZipLayout, markLength?: number): Piece[] {
  const old = markEntry(layout);
  const pieces: Piece[] = [];
  let dataEnd = layout.centralStart;
  let cut = { from: dataEnd, to: dataEnd };
  if (old) {
    cut = { from: old.localOffset, to: localRecordEnd(layout, old) };
    dataEnd -= cut.to - cut.from;
  }
  if (cut.from > 0) pieces.push({ from: 0, to: cut.from });
  if (cut.to < layout.centralStart) pieces.push({ from: cut.to, to: layout.centralStart });
  let centralStart = dataEnd;
  if (markLength !== undefined) {
    pieces.push(...localHeader(markLength), MARK_SLOT);
    centralStart += LOCAL_SIZE + MARK_NAME.length + markLength;
  }
  const shift = cut.to - cut.from;
  let centralSize = 0;
  let count = 0;
  for (const e of layout.entries) {
    if (e === old) continue;
    count++;
    centralSize += e.record.to - e.record.from;
    if (shift === 0 || e.localOffset < cut.to) {
      pieces.push({ ...e.record });
      continue;
    }
    const moved = e.localOffset - shift - layout.prefix;
    if (e.offsetField.width === 4 && moved >= 0xffffffff) fail("a member offset would overflow");
    pieces.push(...patchedPieces(e.record.from, e.record.to, [{
      at: e.record.from + e.offsetField.at,
      bytes: uintLe(moved, e.offsetField.width),
    }]));
  }
  if (markLength !== undefined) {
    const record = centralRecord(markLength, dataEnd - layout.prefix);
    pieces.push(...record);
    count++;
    centralSize += CENTRAL_SIZE + MARK_NAME.length +
      (dataEnd - layout.prefix >= 0xffffffff ? 12 : 0);
  }
  pieces.push(...endPieces(view, layout, count, { start: centralStart, size: centralSize }));
  return pieces;
}

/**
 * Creates a zip codec. A file is taken for an archive when its extension is
 * one of `extensions` and it starts with `PK` or ends with an end of central
 * directory record (an archive behind a prefix: a zipapp's shebang line, a
 * self-extractor). A claimed file that does not parse as a zip archive is a
 * `CodecError` naming what is wrong, never a silent skip.
 */
export function createZipCodec(options: ZipCodecOptions = {}): Codec {
  const extensions = new Set(
    (options.extensions ?? DEFAULT_ZIP_EXTENSIONS).map((e) => e.toLowerCase()),
  );
  const maxInflated = options.maxInflatedBytes ?? DEFAULT_MAX_INFLATED_BYTES;
  return {
    name: "zip",

    detect(view: ByteView, facts: ArtifactFacts): string | undefined {
      const extension = extensionOf(facts.path).toLowerCase();
      if (!extensions.has(extension)) return undefined;
      const pk = view.size >= 4 && view.byteAt(0) === 0x50 && view.byteAt(1) === 0x4b;
      return pk || hasZipEnd(view) ? artifactType(extension) : undefined;
    },

    findMark(view: ByteView): FoundMark | undefined {
      const layout = layoutOf(view);
      const entry = markEntry(layout);
      if (!entry) return undefined;
      const contents = markContents(view, layout, entry);
      const found = contents && findMarkInBytes(contents.bytes);
      if (!contents || !found) return undefined;
      if (!contents.stored) {
        return {
          mark: found.mark,
          start: contents.start,
          end: contents.start + entry.compressedSize,
        };
      }
      return {
        mark: found.mark,
        start: contents.start + found.start,
        end: contents.start + found.end,
      };
    },

    hashPlan(view: ByteView): ContentPlan {
      return hashPieces(view, layoutOf(view), maxInflated);
    },

    insertPlan(view: ByteView, markLength: number): ContentPlan {
      if (markLength === 0) fail("refusing to insert an empty mark");
      const layout = layoutOf(view);
      // Marking replaces the root chalk.json: only a mark may go (delete could not bring back
      // a file of the project's own, and the original lost it the same way).
      if (foreignMarkEntry(view, layout)) {
        throw new CodecRefusal(
          "zip",
          "its root chalk.json is not a chalk mark; marking would replace that file",
        );
      }
      return rewrite(view, layout, markLength);
    },

    removePlan(view: ByteView): ContentPlan | undefined {
      const layout = layoutOf(view);
      const entry = markEntry(layout);
      return entry && !foreignMarkEntry(view, layout) ? rewrite(view, layout) : undefined;
    },
  };
}

/** The zip codec with chalk's defaults. */
export const zipCodec: Codec = createZipCodec();
