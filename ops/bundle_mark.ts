/**
 * The bundle's own mark, read from its last lines (internal/bundle_layout.ts): the build ends
 * the bundle with `PROGRAM_END`, and `chalk load` writes the mark on the one line after it. Every
 * start that needs its configuration asks, and searching the whole one-megabyte bundle for a
 * mark took ~15 ms (read, then a search through JavaScript that holds none: the program builds
 * its MAGIC at run time, codecs/mark_value.ts); its last 64 KiB say the same.
 *
 * A bundle that does not end that way (edited by hand, say) gets no answer here: the caller
 * searches the whole file as for any script.
 *
 * @module
 */
import { findMarkInBytes } from "../codecs/find_mark.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { MARK_LINE_START, PROGRAM_END } from "../internal/bundle_layout.ts";

/** What a bundle's end says: its mark (undefined: none), or nothing certain (undefined). */
export type BundleMark = { mark: MarkDict | undefined } | undefined;

const LF = 0x0a;
const encoder = new TextEncoder();
const END_LINE = encoder.encode(PROGRAM_END);
const MARK_START = encoder.encode(MARK_LINE_START);
const FIRST_TAIL = 64 * 1024;
/** A mark line longer than this is not looked for from the end (the whole-file search decides). */
const MAX_TAIL = 64 * 1024 * 1024;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The line of `bytes` that ends at `end` (exclusive), or "more" when it may begin before them. */
function lineEndingAt(bytes: Uint8Array, end: number, whole: boolean): Uint8Array | "more" {
  const lf = end > 0 ? bytes.lastIndexOf(LF, end - 1) : -1;
  if (lf < 0 && !whole) return "more";
  return bytes.subarray(lf + 1, end);
}

/**
 * Reads the mark from a bundle's last bytes `tail` (`whole`: the entire file), or "more" when
 * the lines it needs begin before them.
 *
 * @example
 * ```ts
 * markFromTail(new TextEncoder().encode("x()\n// chalk-ts: end of program\n"), true);
 * // { mark: undefined }
 * ```
 */
export function markFromTail(tail: Uint8Array, whole: boolean): BundleMark | "more" {
  const end = tail.length > 0 && tail[tail.length - 1] === LF ? tail.length - 1 : tail.length;
  const last = lineEndingAt(tail, end, whole);
  if (last === "more") return "more";
  if (sameBytes(last, END_LINE)) return { mark: undefined };
  if (!sameBytes(last.subarray(0, MARK_START.length), MARK_START)) return undefined;
  // The mark line follows the program's end line, or the file is not as the build left it.
  const lastStart = last.byteOffset - tail.byteOffset;
  if (lastStart === 0) return whole ? undefined : "more";
  const before = lineEndingAt(tail, lastStart - 1, whole);
  if (before === "more") return "more";
  if (!sameBytes(before, END_LINE)) return undefined;
  const found = findMarkInBytes(last);
  return found && found.end === last.length ? { mark: found.mark } : undefined;
}

/** {@link markFromTail} over the end of an open file, reading more of it while needed. */
function markAtEndOf(file: Deno.FsFile): BundleMark {
  const size = file.statSync().size;
  for (let want = FIRST_TAIL;; want *= 4) {
    const n = Math.min(size, want);
    const tail = new Uint8Array(n);
    file.seekSync(size - n, Deno.SeekMode.Start);
    for (let done = 0; done < n;) {
      const got = file.readSync(tail.subarray(done));
      if (got === null || got === 0) return undefined; // shrank while read
      done += got;
    }
    const read = markFromTail(tail, n === size);
    if (read !== "more") return read;
    if (n === size || want >= MAX_TAIL) return undefined;
  }
}

/** {@link markAtEndOf} of a file just opened (undefined: it could not be), which it closes. */
function markOfOpened(file: Deno.FsFile | undefined): BundleMark {
  if (!file) return undefined;
  try {
    return markAtEndOf(file);
  } catch {
    return undefined;
  } finally {
    file.close();
  }
}

/** The mark at the end of the bundle at `path`, or undefined when its end is not the build's. */
export function readBundleMarkSync(path: string): BundleMark {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path, { read: true });
  } catch { /* no answer */ }
  return markOfOpened(file);
}

/**
 * {@link readBundleMarkSync}, opening the file asynchronously: a start that ends within its
 * first microtasks (a fast path) never gives Deno the turn of the event loop in which it
 * stores the bundle's V8 code cache, and would compile the whole bundle at every start.
 */
export async function readBundleMark(path: string): Promise<BundleMark> {
  return markOfOpened(await Deno.open(path, { read: true }).catch(() => undefined));
}
