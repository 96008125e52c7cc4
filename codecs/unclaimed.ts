/**
 * Why no codec claimed a file, in a few words, for a file named on the command line: a user who
 * names `app.o` or a stripped program expects it marked, and a silent "1 skipped" explains
 * nothing. Read from the first bytes only, like `detect`.
 *
 * @module
 */
import { hasZipEnd } from "./_zip_layout.ts";
import { extensionOf, namesInterpreter } from "./_source_language.ts";
import type { ByteView } from "./byte_view.ts";
import { DEFAULT_PYC_EXTENSIONS, hasPycMagic } from "./pyc.ts";
import { DEFAULT_ZIP_EXTENSIONS } from "./zip.ts";

const ELF_HEADER_SIZE = 64;
const ET_REL = 1;
const ET_CORE = 4;

function isElf(view: ByteView): boolean {
  if (view.size < 4) return false;
  const m = view.bytes(0, 4);
  return m[0] === 0x7f && m[1] === 0x45 && m[2] === 0x4c && m[3] === 0x46;
}

/** Why chalk's ELF codec (64-bit little-endian, with sections and program headers) refused it. */
function elfReason(view: ByteView): string {
  if (view.size <= ELF_HEADER_SIZE) return "a truncated ELF file (no complete ELF header)";
  const head = view.bytes(0, ELF_HEADER_SIZE);
  if (head[4] !== 2) return "a 32-bit ELF file; chalk marks 64-bit ELF files only";
  if (head[5] !== 1) return "a big-endian ELF file; chalk marks little-endian ELF files only";
  const f = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const type = f.getUint16(0x10, true);
  if (type === ET_REL) {
    return "an ELF relocatable object (a .o file); chalk marks programs and shared libraries";
  }
  if (type === ET_CORE) return "an ELF core dump";
  if (f.getBigUint64(0x28, true) === 0n || f.getUint16(0x3c, true) === 0) {
    return "an ELF file without a section header table; chalk's mark is an ELF section";
  }
  if (f.getBigUint64(0x20, true) === 0n || f.getUint16(0x38, true) === 0) {
    return "an ELF file without program headers";
  }
  return "an ELF file whose headers point past its end or disagree (truncated or damaged)";
}

/**
 * Why a Mach-O file the Mach-O codec (thin 64-bit little-endian, or universal) did not take is
 * not marked, from its magic number (as stored on disk); undefined when it is no Mach-O.
 */
function machoReason(view: ByteView): string | undefined {
  if (view.size < 4) return undefined;
  const m = view.bytes(0, 4);
  const magic = ((m[0] << 24) | (m[1] << 16) | (m[2] << 8) | m[3]) >>> 0;
  switch (magic) {
    case 0xcefaedfe: // MH_MAGIC, little-endian (i386, armv7)
    case 0xfeedface: // MH_MAGIC, big-endian (ppc)
      return "a 32-bit Mach-O file; chalk marks 64-bit Mach-O files only";
    case 0xfeedfacf: // MH_MAGIC_64, big-endian (ppc64)
      return "a big-endian Mach-O file; chalk marks little-endian Mach-O files only";
  }
  return undefined;
}

function isScript(view: ByteView): boolean {
  if (view.size < 2) return false;
  const m = view.bytes(0, 2);
  return m[0] === 0x23 && m[1] === 0x21;
}

/**
 * A file named like a zip archive or Python bytecode whose bytes are not one (a failed download, an
 * HTML error page saved as `app.jar`): the reason says so, rather than listing the zip archives
 * and bytecode that chalk does know. Facts of the bytes only, so true whatever the configuration.
 */
function misnamedReason(view: ByteView, extension: string): string | undefined {
  if (DEFAULT_ZIP_EXTENSIONS.includes(extension)) {
    const pk = view.size >= 2 && view.byteAt(0) === 0x50 && view.byteAt(1) === 0x4b;
    if (!pk && !hasZipEnd(view)) {
      return `named like a zip archive (.${extension}), but it is none: no zip header and no ` +
        "end of central directory record (an incomplete download, or another format)";
    }
  }
  if (DEFAULT_PYC_EXTENSIONS.includes(extension) && !hasPycMagic(view)) {
    return `named like Python bytecode (.${extension}), but it has no bytecode header`;
  }
  return undefined;
}

/** The reason no codec claimed the file seen through `view`, at `path` (its extension counts). */
export function unclaimedReason(view: ByteView, path = ""): string {
  if (view.size === 0) return "an empty file";
  const misnamed = misnamedReason(view, extensionOf(path).toLowerCase());
  if (misnamed) return misnamed;
  if (isElf(view)) return elfReason(view);
  const macho = machoReason(view);
  if (macho) return macho;
  if (isScript(view)) {
    // `#!` with no interpreter after it: the source codec sees no shebang (so, by default, no
    // script to mark); the configuration has nothing to do with it.
    if (!namesInterpreter(view)) {
      return "its #! line names no interpreter (such as #!/bin/sh), so it is no script chalk marks";
    }
    // The source codec saw it and declined: only the configuration's source_marks settings do.
    return "a #! script that source_marks leaves alone (its extension is one of " +
      "text_only_extensions, or only_mark_when_execute_set is on and it is not executable)";
  }
  return "not a kind of artifact chalk knows (ELF or Mach-O program, script with a #! line, " +
    "zip archive, Python bytecode)";
}
