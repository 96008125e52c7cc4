/**
 * The Mach-O codec, placing marks as the original's native `codecMacho`
 * does: an `LC_NOTE` load command whose data owner is `chalk` points at the
 * mark, appended at the end of the `__LINKEDIT` segment (which grows to
 * cover it). The note takes 40 bytes of the slack between the load commands
 * and the first section.
 *
 * HASH is the original's: the binary canonicalised (signature stripped, any
 * chalk note removed, a note with 32 zero bytes added), so the pristine,
 * marked, re-marked and deleted binary hash alike.
 *
 * chalk marks thin 64-bit binaries without a code signature. A signed
 * binary (ad-hoc or Developer ID) is refused with the reason: a mark would
 * invalidate its signature, and re-signing needs Apple's tools. Universal
 * (fat) binaries are read (the mark of the first slice that has one) but
 * not rewritten: mark each architecture's binary before `lipo` joins them.
 *
 * @module
 */
import {
  type FatSlice,
  hasFatMagic,
  isThinMacho,
  LC_NOTE,
  type LoadCommand,
  NOTE_OWNER,
  NOTE_SIZE,
  parseFat,
  parseThin,
  subView,
  type ThinLayout,
} from "./_macho_layout.ts";
import { extensionOf } from "./_source_language.ts";
import type { ByteView } from "./byte_view.ts";
import { type ArtifactFacts, type Codec, CodecError } from "./codec.ts";
import { findMarkInBytes, type FoundMark } from "./find_mark.ts";
import { type ContentPlan, MARK_SLOT, type Piece, wholeArtifact } from "./plan.ts";

/** The artifact type, as the original names it. */
const TYPE = "Mach-O executable";
/** The canonical note's payload for HASH: 32 zero bytes, as the original. */
const CANONICAL_PAYLOAD = 32;
const SEGMENT_VMSIZE = 32;
const SEGMENT_FILEOFF = 40;
const SEGMENT_FILESIZE = 48;
const PAGE_16K = 0x4000;

function fail(reason: string): never {
  throw new CodecError("macho", reason);
}

function thinLayout(view: ByteView): ThinLayout {
  const layout = parseThin(view);
  return typeof layout === "string" ? fail(layout) : layout;
}

/**
 * A thin binary being rewritten: a copy of its header and load commands
 * (with room for one more note), and where the kept part of the file ends.
 */
class Rewrite {
  readonly head: Uint8Array;
  readonly #dv: DataView;
  eof: number;
  #commandsEnd: number;
  #linkedit: number | undefined;

  constructor(view: ByteView, readonly layout: ThinLayout) {
    const size = Math.min(view.size, layout.commandsEnd + NOTE_SIZE);
    this.head = view.bytes(0, size).slice();
    if (size < layout.commandsEnd + NOTE_SIZE) {
      const grown = new Uint8Array(layout.commandsEnd + NOTE_SIZE);
      grown.set(this.head);
      this.head = grown;
    }
    this.#dv = new DataView(this.head.buffer);
    this.eof = view.size;
    this.#commandsEnd = layout.commandsEnd;
    this.#linkedit = layout.linkedit?.command.offset;
  }

  #u64(at: number): number {
    return Number(this.#dv.getBigUint64(at, true));
  }

  #setU64(at: number, value: number): void {
    this.#dv.setBigUint64(at, BigInt(value), true);
  }

  /** Removes a load command: the later ones move up, the freed bytes become zero slack. */
  removeCommand(command: LoadCommand, offset: number): void {
    this.head.copyWithin(offset, offset + command.size, this.#commandsEnd);
    this.head.fill(0, this.#commandsEnd - command.size, this.#commandsEnd);
    this.#commandsEnd -= command.size;
    if (this.#linkedit !== undefined && this.#linkedit > offset) this.#linkedit -= command.size;
    this.#dv.setUint32(16, this.#dv.getUint32(16, true) - 1, true);
    this.#dv.setUint32(20, this.#dv.getUint32(20, true) - command.size, true);
  }

  /** Where a command of the parsed layout is now (earlier removals moved it up). */
  currentOffset(command: LoadCommand, removed: LoadCommand[]): number {
    return command.offset - removed.filter((r) => r.offset < command.offset)
      .reduce((n, r) => n + r.size, 0);
  }

  /** `__LINKEDIT`'s file range now. */
  linkedit(): { fileoff: number; filesize: number } | undefined {
    if (this.#linkedit === undefined) return undefined;
    return {
      fileoff: this.#u64(this.#linkedit + SEGMENT_FILEOFF),
      filesize: this.#u64(this.#linkedit + SEGMENT_FILESIZE),
    };
  }

  setLinkeditSize(filesize: number, vmsize?: number): void {
    this.#setU64(this.#linkedit! + SEGMENT_FILESIZE, filesize);
    if (vmsize !== undefined) this.#setU64(this.#linkedit! + SEGMENT_VMSIZE, vmsize);
  }

  /** Adds chalk's note for a payload of `length` bytes appended at the end of `__LINKEDIT`. */
  addNote(length: number): void {
    const le = this.linkedit();
    if (!le) fail("no __LINKEDIT segment to hold the mark");
    if (le.fileoff + le.filesize !== this.eof) {
      fail("data after the __LINKEDIT segment; chalk cannot place a mark after it");
    }
    if (this.#commandsEnd + NOTE_SIZE > this.layout.firstSection) {
      fail(
        `only ${this.layout.firstSection - this.#commandsEnd} bytes of load-command slack, ` +
          `${NOTE_SIZE} needed (link with -Wl,-headerpad,0x1000)`,
      );
    }
    const at = this.#commandsEnd;
    this.#dv.setUint32(at, LC_NOTE, true);
    this.#dv.setUint32(at + 4, NOTE_SIZE, true);
    for (let i = 0; i < 16; i++) {
      this.head[at + 8 + i] = i < NOTE_OWNER.length ? NOTE_OWNER.charCodeAt(i) : 0;
    }
    this.#setU64(at + 24, this.eof);
    this.#setU64(at + 32, length);
    const filesize = le.filesize + length;
    this.setLinkeditSize(filesize, Math.max(PAGE_16K, Math.ceil(filesize / PAGE_16K) * PAGE_16K));
    this.#commandsEnd += NOTE_SIZE;
    this.#dv.setUint32(16, this.#dv.getUint32(16, true) + 1, true);
    this.#dv.setUint32(20, this.#dv.getUint32(20, true) + NOTE_SIZE, true);
  }

  /** The new content: the rewritten head, the kept rest of the file, then `tail`. */
  pieces(tail: Piece[]): Piece[] {
    if (this.eof < this.head.length) fail("the file ends inside its load commands");
    const out: Piece[] = [this.head];
    if (this.eof > this.head.length) out.push({ from: this.head.length, to: this.eof });
    return [...out, ...tail];
  }
}

/** Strips the signature and chalk's note as the original does (`strip_signature`, `remove_note`). */
function unmarked(view: ByteView, layout: ThinLayout): Rewrite {
  const r = new Rewrite(view, layout);
  const removed: LoadCommand[] = [];
  const sig = layout.signature;
  if (sig) {
    if (sig.dataOffset > r.eof) fail("the code signature points past the end of the file");
    r.eof = sig.dataOffset;
    const le = r.linkedit();
    if (le && sig.dataOffset > le.fileoff) r.setLinkeditSize(sig.dataOffset - le.fileoff);
    r.removeCommand(sig.command, r.currentOffset(sig.command, removed));
    removed.push(sig.command);
  }
  const note = layout.note;
  if (note) {
    const le = r.linkedit();
    const leEnd = le ? le.fileoff + le.filesize : -1;
    if (le && note.offset >= le.fileoff && note.offset + note.size <= leEnd && leEnd === r.eof) {
      r.eof = note.offset;
      r.setLinkeditSize(le.filesize - (leEnd - note.offset));
    }
    r.removeCommand(note.command, r.currentOffset(note.command, removed));
    removed.push(note.command);
  }
  return r;
}

function signatureKind(view: ByteView, layout: ThinLayout): string {
  const sig = layout.signature;
  if (!sig || sig.dataOffset + 12 > view.size) return "a code signature";
  const blob = view.bytes(sig.dataOffset, 12);
  const count = (blob[8] << 24) | (blob[9] << 16) | (blob[10] << 8) | blob[11];
  if (count > 64 || sig.dataOffset + 12 + count * 8 > view.size) return "a code signature";
  const index = view.bytes(sig.dataOffset + 12, count * 8);
  for (let i = 0; i < count; i++) {
    const type = (index[i * 8] << 24) | (index[i * 8 + 1] << 16) | (index[i * 8 + 2] << 8) |
      index[i * 8 + 3];
    if (type === 0x10000) return "a Developer ID (certificate) signature";
  }
  return "an ad-hoc signature";
}

function thinMark(view: ByteView): FoundMark | undefined {
  const note = thinLayout(view).note;
  if (!note || note.size === 0) return undefined;
  const found = findMarkInBytes(view.bytes(note.offset, note.size));
  return found &&
    { mark: found.mark, start: note.offset + found.start, end: note.offset + found.end };
}

function thinHashPlan(view: ByteView): ContentPlan {
  try {
    const r = unmarked(view, thinLayout(view));
    r.addNote(CANONICAL_PAYLOAD);
    return r.pieces([new Uint8Array(CANONICAL_PAYLOAD)]);
  } catch (e) {
    // Without a canonical form (no room for a note, data after __LINKEDIT), HASH is the file's.
    if (e instanceof CodecError) return wholeArtifact(view.size);
    throw e;
  }
}

function slices(view: ByteView): FatSlice[] {
  const parsed = parseFat(view);
  return typeof parsed === "string" ? fail(parsed) : parsed;
}

/** The slice holding a mark (else the first), as a view, with its offset. */
function markedSlice(view: ByteView): { slice: ByteView; offset: number } {
  const all = slices(view);
  for (const s of all) {
    const slice = subView(view, s.offset, s.size);
    if (isThinMacho(slice) && thinMark(slice)) return { slice, offset: s.offset };
  }
  return { slice: subView(view, all[0].offset, all[0].size), offset: all[0].offset };
}

function shifted(plan: ContentPlan, by: number): ContentPlan {
  return plan.map((p) =>
    p instanceof Uint8Array || !("from" in p) ? p : { ...p, from: p.from + by, to: p.to + by }
  );
}

const UNIVERSAL_REFUSED = "a universal (fat) binary; chalk reads the marks of its slices but " +
  "does not rewrite it: mark each architecture's binary before lipo joins them";

/** Creates the Mach-O codec. */
export function createMachoCodec(): Codec {
  return {
    name: "macho",

    detect(view: ByteView, facts: ArtifactFacts): string | undefined {
      if (isThinMacho(view)) return TYPE;
      // Java class files share the universal magic number.
      if (hasFatMagic(view) && extensionOf(facts.path) !== "class") return TYPE;
      return undefined;
    },

    findMark(view: ByteView): FoundMark | undefined {
      if (isThinMacho(view)) return thinMark(view);
      const { slice, offset } = markedSlice(view);
      if (!isThinMacho(slice)) return undefined;
      const found = thinMark(slice);
      return found && { mark: found.mark, start: found.start + offset, end: found.end + offset };
    },

    hashPlan(view: ByteView): ContentPlan {
      if (isThinMacho(view)) return thinHashPlan(view);
      // A universal binary's mark belongs to its slice: HASH is that slice's.
      const { slice, offset } = markedSlice(view);
      return isThinMacho(slice) ? shifted(thinHashPlan(slice), offset) : wholeArtifact(view.size);
    },

    insertPlan(view: ByteView, markLength: number): ContentPlan {
      if (!isThinMacho(view)) {
        slices(view);
        fail(UNIVERSAL_REFUSED);
      }
      const layout = thinLayout(view);
      if (layout.signature) {
        fail(
          `code-signed (${signatureKind(view, layout)}): a mark would invalidate the signature; ` +
            "mark the binary before signing it",
        );
      }
      if (markLength === 0) fail("refusing to insert an empty mark");
      const r = unmarked(view, layout);
      r.addNote(markLength);
      return r.pieces([MARK_SLOT]);
    },

    removePlan(view: ByteView): ContentPlan | undefined {
      if (!isThinMacho(view)) {
        if (this.findMark(view)) fail(UNIVERSAL_REFUSED);
        return undefined;
      }
      const layout = thinLayout(view);
      if (!layout.note) return undefined;
      if (layout.signature) {
        fail(`code-signed (${signatureKind(view, layout)}): removing the mark would invalidate it`);
      }
      return unmarked(view, layout).pieces([]);
    },
  };
}

/** The Mach-O codec. */
export const machoCodec: Codec = createMachoCodec();
