/**
 * Writes a content plan into a temporary file. When the plan keeps a large
 * part of the artifact at the same offsets (an ELF keeps everything before
 * its section table, a script everything before its mark), the kernel copies
 * the file (`Deno.copyFileSync`: copy_file_range, or a reflink) and only the
 * changed parts are written over it. Otherwise the plan is streamed through
 * one reused buffer. A sparse artifact is always streamed, and stays sparse:
 * zero blocks become holes again.
 *
 * @module
 */
import {
  type ContentPlan,
  isInflated,
  isRange,
  isSlot,
  planLength,
  renderPlan,
  slotBytes,
  type SlotValues,
  type SourceRange,
} from "../codecs/plan.ts";
import { writeAllSync } from "../internal/write_all.ts";
import type { FileView } from "./file_view.ts";
import type { TempFile } from "./temp_file.ts";

/** Holes are made of whole blocks of this size (the usual file system block). */
const HOLE_BLOCK = 4096;
/** Content up to this size is assembled in memory and written with one call. */
const ONE_WRITE = 256 * 1024;
/** Below this many unchanged bytes, a kernel copy is not worth its extra system calls. */
const KERNEL_COPY_MIN = 1024 * 1024;
/** A file with at least this many bytes less on disk than its size has holes. */
const SPARSE_SLACK = 64 * 1024;

/** The artifact a plan's ranges refer to. */
export interface PlanSource {
  view: FileView;
  path: string;
  /** `fstat` of the open artifact. */
  info: Deno.FileInfo;
}

/** True when the file occupies clearly less disk space than its size (it has holes). */
export function isSparse(info: Deno.FileInfo): boolean {
  return info.blocks !== null && info.blocks * 512 + SPARSE_SLACK < info.size;
}

/** True when `path` still names the artifact described by `info`, unchanged. */
function unchanged(path: string, info: Deno.FileInfo): boolean {
  try {
    const now = Deno.statSync(path);
    return now.dev === info.dev && now.ino === info.ino && now.size === info.size &&
      now.mtime?.getTime() === info.mtime?.getTime();
  } catch {
    return false;
  }
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  if ((bytes.byteOffset + from) % 4 === 0 && (to - from) % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + from, (to - from) / 4);
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) return false;
    return true;
  }
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** Writes smaller than this are gathered into one buffer of {@link GATHER} bytes. */
const SMALL_WRITE = 64 * 1024;
const GATHER = 256 * 1024;

/**
 * Sequential writes from a position; with `holes`, whole zero blocks are skipped. Small writes
 * are gathered and written together ({@link flush}): a zip's new central directory is one piece
 * per member, and one write call each cost 70,000 calls for a jar of 70,000 members.
 */
class Output {
  #pos: number;
  #filePos: number;
  #gathered: Uint8Array | undefined;
  /** Where the gathered bytes go, and how many there are. */
  #gatherPos = 0;
  #gatherLength = 0;

  /** Writes from `start`, where the file's position already is. */
  constructor(readonly file: Deno.FsFile, start: number, readonly holes: boolean) {
    this.#pos = start;
    this.#filePos = start;
  }

  #writeAt(pos: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.#filePos !== pos) this.file.seekSync(pos, Deno.SeekMode.Start);
    writeAllSync(this.file, bytes);
    this.#filePos = pos + bytes.length;
  }

  /** Leaves `n` bytes as they are. */
  skip(n: number): void {
    this.flush();
    this.#pos += n;
  }

  write(bytes: Uint8Array): void {
    if (bytes.length < SMALL_WRITE) {
      if (this.#gatherLength + bytes.length > GATHER) this.flush();
      if (this.#gatherLength === 0) this.#gatherPos = this.#pos;
      this.#gathered ??= new Uint8Array(GATHER);
      this.#gathered.set(bytes, this.#gatherLength);
      this.#gatherLength += bytes.length;
      this.#pos += bytes.length;
      return;
    }
    this.flush();
    this.#put(this.#pos, bytes);
    this.#pos += bytes.length;
  }

  /** Writes the gathered bytes; call before the file is used (truncated, closed). */
  flush(): void {
    if (this.#gatherLength === 0) return;
    const length = this.#gatherLength;
    this.#gatherLength = 0;
    this.#put(this.#gatherPos, this.#gathered!.subarray(0, length));
  }

  /** Writes `bytes` at `start`, leaving holes for whole zero blocks when asked to. */
  #put(start: number, bytes: Uint8Array): void {
    if (!this.holes) return this.#writeAt(start, bytes);
    let run = 0; // start of the bytes not yet written
    let i = 0;
    while (i < bytes.length) {
      const blockEnd = Math.min(bytes.length, i + HOLE_BLOCK - ((start + i) % HOLE_BLOCK));
      if (blockEnd - i === HOLE_BLOCK && isZero(bytes, i, blockEnd)) {
        this.#writeAt(start + run, bytes.subarray(run, i));
        run = blockEnd;
      }
      i = blockEnd;
    }
    this.#writeAt(start + run, bytes.subarray(run));
  }
}

/** The first pieces that a copy of the whole file already holds at the right offsets. */
function keptPrefix(plan: ContentPlan): { pieces: number; keptBytes: number } {
  let pos = 0;
  let keptBytes = 0;
  let pieces = 0;
  for (const p of plan) {
    if (isSlot(p)) break;
    if (isRange(p)) {
      if (p.from !== pos) break;
      keptBytes += p.to - p.from;
      pos = p.to;
    } else {
      pos += p.length;
    }
    pieces++;
  }
  return { pieces, keptBytes };
}

function copyRange(out: Output, view: FileView, range: SourceRange): void {
  // A small range (a central directory record) comes from the view's block cache: its
  // neighbours are in the same block, so many of them cost one read.
  if (range.to - range.from < SMALL_WRITE) {
    return out.write(view.bytes(range.from, range.to - range.from));
  }
  for (let pos = range.from; pos < range.to;) {
    const chunk = view.chunk(pos, range.to - pos);
    out.write(chunk);
    pos += chunk.length;
  }
}

/**
 * True when the new content of `source` is best started with a kernel copy of
 * it: a large file without holes, still the one that was opened.
 */
export function kernelCopyPays(source: PlanSource): boolean {
  return !isSparse(source.info) && source.info.size >= KERNEL_COPY_MIN &&
    unchanged(source.path, source.info);
}

/** True when the new content of `source` may be small enough for {@link smallContent}. */
export function mayBeSmall(source: PlanSource): boolean {
  return source.info.size <= ONE_WRITE && !isSparse(source.info);
}

/**
 * The whole new content when it is small enough to be assembled in memory and written with one
 * call (a script), else undefined (it is then streamed, or copied by the kernel).
 */
export function smallContent(
  plan: ContentPlan,
  values: SlotValues,
  source: PlanSource,
): Uint8Array | undefined {
  if (isSparse(source.info) || plan.some(isInflated)) return undefined;
  const total = planLength(plan, values);
  if (total > ONE_WRITE) return undefined;
  const content = new Uint8Array(total);
  let at = 0;
  for (const chunk of renderPlan(plan, source.view, values)) {
    content.set(chunk, at);
    at += chunk.length;
  }
  return content;
}

/**
 * Writes `plan` (slots filled from `values`) into `temp`, which must be empty,
 * or (`copied`) hold a copy of the source made by the caller.
 */
export function writePlan(
  temp: TempFile,
  plan: ContentPlan,
  values: SlotValues,
  source: PlanSource,
  copied = false,
): void {
  // Inflated ranges describe what a hash covers (zip members), never bytes to write.
  if (plan.some(isInflated)) throw new Error("writePlan: a content plan holds an inflated range");
  const total = planLength(plan, values);
  const sparse = isSparse(source.info);
  if (!copied) {
    // Small content (a script): one write call, as a plain rewrite would do.
    const content = smallContent(plan, values, source);
    if (content) return writeAllSync(temp.file, content);
  }
  let first = 0;
  const out = new Output(temp.file, 0, sparse);
  const prefix = keptPrefix(plan);
  if (!copied && prefix.keptBytes >= KERNEL_COPY_MIN && kernelCopyPays(source)) {
    Deno.copyFileSync(source.path, temp.path);
    copied = true;
  }
  if (copied) {
    // The copy holds every kept range in place: only the new bytes between them are written.
    for (const p of plan.slice(0, prefix.pieces)) {
      if (isRange(p)) out.skip(p.to - p.from);
      else out.write(p as Uint8Array);
    }
    first = prefix.pieces;
  }
  for (const p of plan.slice(first)) {
    if (p instanceof Uint8Array) out.write(p);
    else if (isRange(p)) copyRange(out, source.view, p);
    else out.write(slotBytes(p, values));
  }
  out.flush();
  // Drops what a kernel copy left beyond the new end; makes a trailing hole real.
  if (copied || sparse) temp.file.truncateSync(total);
}
