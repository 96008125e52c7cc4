/**
 * Finding the real docker (docs/docker.md, "Becoming docker"): the first
 * `docker` on PATH that is neither this chalk program nor another chalk
 * program, and a small client that runs it with captured or inherited stdio.
 */
import { basename, isAbsolute, join } from "../internal/posix_path.ts";
import { isExecutableFile } from "../internal/executable.ts";

/** docker is not on PATH (or only chalk programs are). */
export class DockerMissingError extends Error {
  /** Builds the error with the original chalk's message. */
  constructor() {
    super(
      "docker command is missing. chalk requires docker binary installed to wrap docker commands.",
    );
    this.name = "DockerMissingError";
  }
}

/** Texts that only a chalk program contains (the mark key of a configured chalk, chalk-ts's banner). */
export const CHALK_SIGNS: readonly string[] = [
  "$CHALK_IMPLEMENTATION_NAME",
  "chalk-ts: marks software artifacts",
];
const SCRIPT_LIMIT = 32 * 1024 * 1024;

function realPath(path: string): string | undefined {
  try {
    return Deno.realPathSync(path);
  } catch {
    return undefined;
  }
}

function containsSign(bytes: Uint8Array): boolean {
  const text = new TextDecoder("latin1").decode(bytes);
  return CHALK_SIGNS.some((s) => text.includes(s));
}

function readAt(file: Deno.FsFile, offset: number, length: number): Uint8Array {
  const buf = new Uint8Array(length);
  file.seekSync(offset, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const n = file.readSync(buf.subarray(got));
    if (n === null) break;
    got += n;
  }
  return buf.subarray(0, got);
}

/** The `.chalk.mark` section of a 64-bit little-endian ELF file, read without loading the file. */
function elfChalkSection(file: Deno.FsFile): Uint8Array | undefined {
  const head = readAt(file, 0, 64);
  if (head.length < 64 || head[4] !== 2 || head[5] !== 1) return undefined;
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const shoff = Number(v.getBigUint64(0x28, true));
  const shentsize = v.getUint16(0x3a, true);
  const shnum = v.getUint16(0x3c, true);
  const shstrndx = v.getUint16(0x3e, true);
  if (shentsize < 64 || shnum === 0 || shnum > 4096 || shstrndx >= shnum) return undefined;
  const table = readAt(file, shoff, shentsize * shnum);
  if (table.length < shentsize * shnum) return undefined;
  const t = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const section = (i: number) => ({
    name: t.getUint32(i * shentsize, true),
    offset: Number(t.getBigUint64(i * shentsize + 0x18, true)),
    size: Number(t.getBigUint64(i * shentsize + 0x20, true)),
  });
  const strtab = section(shstrndx);
  if (strtab.size > 1 << 20) return undefined;
  const names = new TextDecoder("latin1").decode(readAt(file, strtab.offset, strtab.size));
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const end = names.indexOf("\0", s.name);
    if (names.slice(s.name, end < 0 ? undefined : end) !== ".chalk.mark") continue;
    if (s.size > 1 << 24) return undefined;
    return readAt(file, s.offset, s.size);
  }
  return undefined;
}

/** True when `path` is a chalk program: a script with chalk's signs, or an ELF whose mark says so. */
export function isChalkProgram(path: string): boolean {
  let file: Deno.FsFile | undefined;
  try {
    file = Deno.openSync(path, { read: true });
    const head = readAt(file, 0, 4);
    if (head[0] === 0x23 && head[1] === 0x21) {
      const size = file.statSync().size;
      return size <= SCRIPT_LIMIT && containsSign(readAt(file, 0, size));
    }
    if (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) {
      const mark = elfChalkSection(file);
      return mark !== undefined && containsSign(mark);
    }
    return false;
  } catch {
    return false;
  } finally {
    file?.close();
  }
}

/** Where to look and what to skip. */
export interface FindDockerOptions {
  /** The running chalk program (never returned). */
  selfPath: string;
  /** `$PATH`. */
  path?: string;
  /** `docker_exe` from the configuration: a directory or a program path, tried first. */
  dockerExe?: string;
  /** The name to look for (default `docker`). */
  name?: string;
}

/**
 * The real docker: the first executable named `docker` in `dockerExe`, then
 * each PATH directory, skipping this program and any chalk program.
 * Undefined when there is none.
 */
export function findDocker(options: FindDockerOptions): string | undefined {
  const name = options.name ?? "docker";
  const self = realPath(options.selfPath);
  const candidates: string[] = [];
  if (options.dockerExe) {
    const exe = options.dockerExe;
    candidates.push(basename(exe) === name ? exe : join(exe, name));
  }
  for (const dir of (options.path ?? Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    candidates.push(join(dir, name));
  }
  const seen = new Set<string>();
  for (const candidate of candidates) {
    if (!isAbsolute(candidate) || !isExecutableFile(candidate)) continue;
    const real = realPath(candidate);
    if (real === undefined || seen.has(real)) continue;
    seen.add(real);
    if (real === self) continue;
    if (isChalkProgram(real)) continue;
    return candidate;
  }
  return undefined;
}
