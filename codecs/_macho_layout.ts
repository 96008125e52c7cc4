/**
 * Reading Mach-O headers (private to `codecs/`): a thin 64-bit
 * little-endian binary's load commands, and the slices of a universal (fat)
 * binary. Only headers and load commands are read; every offset is checked
 * against the file before use.
 *
 * @module
 */
import type { ByteView } from "./byte_view.ts";

/** `MH_MAGIC_64` as it reads little-endian. */
const MH_MAGIC_64 = 0xfeedfacf;
const FAT_MAGIC = 0xcafebabe;
const FAT_MAGIC_64 = 0xcafebabf;
export const LC_SEGMENT_64 = 0x19;
export const LC_CODE_SIGNATURE = 0x1d;
export const LC_NOTE = 0x31;
export const HEADER_SIZE = 32;
export const NOTE_SIZE = 40;
/** The data owner chalk's note carries (NUL-padded to 16 bytes), as the original writes it. */
export const NOTE_OWNER = "chalk";
/**
 * More slices than this is not a universal binary (Java class files share
 * the magic number, and their version numbers read as 45 and up).
 */
export const MAX_FAT_ARCHS = 30;

/** One load command. */
export interface LoadCommand {
  cmd: number;
  /** Offset of the command, relative to the slice. */
  offset: number;
  size: number;
}

/** What the codec needs of a thin binary (offsets relative to the slice). */
export interface ThinLayout {
  ncmds: number;
  sizeofcmds: number;
  commands: LoadCommand[];
  /** End of the load commands. */
  commandsEnd: number;
  /** Smallest file offset of a section's data (the load commands may grow up to it). */
  firstSection: number;
  /** The `__LINKEDIT` segment command, and the end of its file range. */
  linkedit?: { command: LoadCommand; fileEnd: number };
  signature?: { command: LoadCommand; dataOffset: number };
  /** Chalk's note: the command and its payload's place. */
  note?: { command: LoadCommand; offset: number; size: number };
}

/** A slice of a universal binary. */
export interface FatSlice {
  offset: number;
  size: number;
}

function u32le(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

function u32be(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function u64le(b: Uint8Array, at: number): number {
  return u32le(b, at) + u32le(b, at + 4) * 0x1_0000_0000;
}

/** True when the view starts with a thin 64-bit little-endian Mach-O header. */
export function isThinMacho(view: ByteView): boolean {
  return view.size >= HEADER_SIZE && u32le(view.bytes(0, 4), 0) === MH_MAGIC_64;
}

/** True when the view starts with a universal binary's magic (big-endian, as on disk). */
export function hasFatMagic(view: ByteView): boolean {
  if (view.size < 8) return false;
  const m = u32be(view.bytes(0, 4), 0);
  return m === FAT_MAGIC || m === FAT_MAGIC_64;
}

function ownerIsChalk(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 16; i++) {
    const want = i < NOTE_OWNER.length ? NOTE_OWNER.charCodeAt(i) : 0;
    if (b[at + i] !== want) return false;
  }
  return true;
}

/**
 * The layout of a thin binary, or a reason why it does not hold together
 * (load commands past their area or the file, a segment or note pointing
 * outside the file).
 */
export function parseThin(view: ByteView): ThinLayout | string {
  if (!isThinMacho(view)) return "not a 64-bit little-endian Mach-O binary";
  const header = view.bytes(0, HEADER_SIZE);
  const ncmds = u32le(header, 16);
  const sizeofcmds = u32le(header, 20);
  const commandsEnd = HEADER_SIZE + sizeofcmds;
  if (commandsEnd > view.size || ncmds * 8 > sizeofcmds) {
    return "its load commands run past the end of the file";
  }
  const area = view.bytes(0, commandsEnd);
  const layout: ThinLayout = {
    ncmds,
    sizeofcmds,
    commands: [],
    commandsEnd,
    firstSection: view.size,
  };
  let at = HEADER_SIZE;
  for (let i = 0; i < ncmds; i++) {
    if (at + 8 > commandsEnd) return `load command ${i + 1} runs past the load commands`;
    const cmd = u32le(area, at);
    const size = u32le(area, at + 4);
    if (size < 8 || size % 8 !== 0 || at + size > commandsEnd) {
      return `load command ${i + 1} has a bad size (${size})`;
    }
    const command = { cmd, offset: at, size };
    layout.commands.push(command);
    if (cmd === LC_SEGMENT_64 && size >= 72) {
      const fileoff = u64le(area, at + 40);
      const filesize = u64le(area, at + 48);
      const nsects = u32le(area, at + 64);
      if (72 + nsects * 80 > size) {
        return `segment ${i + 1} holds more sections than it has room for`;
      }
      if (fileoff + filesize > view.size) {
        return `segment ${i + 1} extends past the end of the file`;
      }
      for (let s = 0; s < nsects; s++) {
        const offset = u32le(area, at + 72 + s * 80 + 48);
        if (offset > 0 && offset < layout.firstSection) layout.firstSection = offset;
      }
      const name = new TextDecoder().decode(area.subarray(at + 8, at + 24)).replace(/\0+$/, "");
      if (name === "__LINKEDIT") layout.linkedit = { command, fileEnd: fileoff + filesize };
    } else if (cmd === LC_CODE_SIGNATURE && size >= 16) {
      layout.signature = { command, dataOffset: u32le(area, at + 8) };
    } else if (cmd === LC_NOTE && size >= NOTE_SIZE && ownerIsChalk(area, at + 8)) {
      const offset = u64le(area, at + 24);
      const noteSize = u64le(area, at + 32);
      if (offset + noteSize > view.size) return "chalk's note points past the end of the file";
      layout.note = { command, offset, size: noteSize };
    }
    at += size;
  }
  return layout;
}

/**
 * The slices of a universal binary, or a reason why it is not one (an
 * absurd slice count, slices outside the file).
 */
export function parseFat(view: ByteView): FatSlice[] | string {
  const head = view.bytes(0, 8);
  const wide = u32be(head, 0) === FAT_MAGIC_64;
  const count = u32be(head, 4);
  if (count === 0 || count > MAX_FAT_ARCHS) {
    return `a universal binary header claiming ${count} architectures`;
  }
  const entry = wide ? 32 : 20;
  if (8 + count * entry > view.size) return "its architecture table runs past the end of the file";
  const table = view.bytes(8, count * entry);
  const slices: FatSlice[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * entry;
    const offset = wide
      ? u32be(table, at + 8) * 0x1_0000_0000 + u32be(table, at + 12)
      : u32be(table, at + 8);
    const size = wide
      ? u32be(table, at + 16) * 0x1_0000_0000 + u32be(table, at + 20)
      : u32be(table, at + 12);
    if (offset < 8 + count * entry || offset + size > view.size) {
      return `architecture ${i + 1} lies outside the file`;
    }
    slices.push({ offset, size });
  }
  return slices;
}

/** The bytes [offset, offset + size) of `view` as a view of their own. */
export function subView(view: ByteView, offset: number, size: number): ByteView {
  return {
    size,
    bytes: (at, length) => {
      if (at < 0 || length < 0 || at + length > size) {
        throw new RangeError(`bytes ${at}+${length} outside a slice of ${size} bytes`);
      }
      return view.bytes(offset + at, length);
    },
    byteAt: (at) => {
      if (at < 0 || at >= size) throw new RangeError(`byte ${at} outside a slice of ${size} bytes`);
      return view.byteAt(offset + at);
    },
    indexOf: (needle, from) => {
      const i = view.indexOf(needle, offset + from);
      return i < 0 || i + needle.length > offset + size ? -1 : i - offset;
    },
  };
}
