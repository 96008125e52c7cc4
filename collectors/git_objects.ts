/**
 * The object database of a repository: loose objects
 * (`objects/xx/yyyy…`, zlib), pack files, and alternates
 * (`objects/info/alternates`).
 */
import { isAbsolute, join, resolve } from "../internal/posix_path.ts";
import { GitReadError } from "./git_error.ts";
import { type GitObjectType, type GitRawObject, PackFile } from "./git_pack.ts";
import { fromHex } from "../internal/hex.ts";
import { inflateZlib } from "../internal/zlib_inflate.ts";
import { errorMessage } from "../internal/errors.ts";

const OBJECT_TYPES = new Set(["commit", "tree", "blob", "tag"]);
/** How deep `alternates` files may chain. */
const MAX_ALTERNATE_DEPTH = 5;
const ASCII = new TextDecoder();

/** Split an inflated loose object into its `type size\0` header and content. */
export function parseLooseObject(raw: Uint8Array, file: string): GitRawObject {
  const nul = raw.indexOf(0);
  if (nul < 0 || nul > 32) throw new GitReadError(file, "missing object header");
  const header = ASCII.decode(raw.subarray(0, nul));
  const m = /^([a-z]+) (\d+)$/.exec(header);
  if (m === null || !OBJECT_TYPES.has(m[1])) {
    throw new GitReadError(file, `bad object header '${header}'`);
  }
  const data = raw.subarray(nul + 1);
  if (data.length !== Number(m[2])) {
    throw new GitReadError(file, `object is ${data.length} bytes, header says ${m[2]}`);
  }
  return { type: m[1] as GitObjectType, data };
}

/** Reads objects by id from one `objects` directory and its alternates. */
export class GitObjectStore {
  #packs: PackFile[] | undefined;
  #looseDirs: Set<string> | undefined;
  #alternates: GitObjectStore[] | undefined;
  /** Problems met while reading that did not stop the read (a corrupt pack that was skipped). */
  readonly warnings: string[] = [];

  /**
   * A store over `objectsDir`; nothing is read until the first lookup.
   *
   * @param objectsDir the repository's `objects` directory
   * @param hashLen object id length in bytes (20 for SHA-1, 32 for SHA-256)
   * @param depth how many alternates links led here
   */
  constructor(
    /** The `objects` directory read by this store. */
    readonly objectsDir: string,
    /** Object id length in bytes. */
    readonly hashLen = 20,
    /** Alternates links followed to reach this store. */
    readonly depth = 0,
  ) {}

  /**
   * The object `oid` (hex), or undefined when no store has it.
   * @throws {GitReadError} when the object exists but cannot be read
   */
  async read(oid: string): Promise<GitRawObject | undefined> {
    if (!/^[0-9a-f]+$/.test(oid) || oid.length !== this.hashLen * 2) {
      throw new GitReadError(this.objectsDir, `'${oid}' is not an object id`);
    }
    const loose = await this.#readLoose(oid);
    if (loose !== undefined) return loose;
    const bytes = fromHex(oid);
    for (const pack of await this.#packList()) {
      let offset: number | undefined;
      try {
        offset = await pack.findOffset(bytes);
      } catch (err) {
        this.#warnOnce(`skipping pack index: ${errorMessage(err)}`);
        continue;
      }
      if (offset !== undefined) return await pack.readAt(offset, (base) => this.read(base));
    }
    for (const alt of await this.#alternateList()) {
      const found = await alt.read(oid);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #warnOnce(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text);
  }

  async #readLoose(oid: string): Promise<GitRawObject | undefined> {
    // one listing of objects/ spares a failed open per lookup in packed repositories
    if (this.#looseDirs === undefined) {
      this.#looseDirs = new Set();
      try {
        for await (const e of Deno.readDir(this.objectsDir)) this.#looseDirs.add(e.name);
      } catch {
        // no objects directory: every lookup misses
      }
    }
    if (!this.#looseDirs.has(oid.slice(0, 2))) return undefined;
    const file = join(this.objectsDir, oid.slice(0, 2), oid.slice(2));
    let compressed: Uint8Array;
    try {
      compressed = await Deno.readFile(file);
    } catch {
      return undefined;
    }
    let raw: Uint8Array;
    try {
      raw = inflateZlib(compressed).data;
    } catch (err) {
      throw new GitReadError(file, `corrupt zlib data (${(err as Error).message})`);
    }
    return parseLooseObject(raw, file);
  }

  async #packList(): Promise<PackFile[]> {
    if (this.#packs !== undefined) return this.#packs;
    const dir = join(this.objectsDir, "pack");
    let names: string[] = [];
    try {
      names = await Array.fromAsync(Deno.readDir(dir), (e) => e.name);
    } catch {
      // no pack directory: a young repository
    }
    this.#packs = names
      .filter((n) => n.endsWith(".idx") && names.includes(n.slice(0, -4) + ".pack"))
      .sort()
      .map((n) => new PackFile(join(dir, n), join(dir, n.slice(0, -4) + ".pack"), this.hashLen));
    return this.#packs;
  }

  async #alternateList(): Promise<GitObjectStore[]> {
    if (this.#alternates !== undefined) return this.#alternates;
    this.#alternates = [];
    if (this.depth >= MAX_ALTERNATE_DEPTH) return this.#alternates;
    let text: string;
    try {
      text = await Deno.readTextFile(join(this.objectsDir, "info", "alternates"));
    } catch {
      return this.#alternates;
    }
    for (const raw of text.split("\n")) {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) continue;
      const dir = isAbsolute(line) ? line : resolve(this.objectsDir, line);
      this.#alternates.push(new GitObjectStore(dir, this.hashLen, this.depth + 1));
    }
    return this.#alternates;
  }

  /** Warnings of this store and of its alternates. */
  allWarnings(): string[] {
    return [...this.warnings, ...(this.#alternates ?? []).flatMap((a) => a.allWarnings())];
  }

  /** Close every open pack file (also in alternates). */
  async close(): Promise<void> {
    for (const p of this.#packs ?? []) await p.close();
    for (const a of this.#alternates ?? []) await a.close();
  }
}
