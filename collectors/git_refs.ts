/**
 * References: HEAD, loose refs (`refs/...` files, per worktree and shared),
 * `packed-refs` (with `^` peeled lines), and the list of tags.
 */
import { join } from "../internal/posix_path.ts";
import { GitReadError } from "./git_error.ts";
import type { GitRepoLocation } from "./git_repo_find.ts";

/** What HEAD names: a ref (a branch, usually) or a commit (detached). */
export type HeadState =
  | { kind: "symbolic"; ref: string }
  | { kind: "detached"; oid: string };

/** A ref's target and, for annotated tags in packed-refs, the commit it peels to. */
export interface RefTarget {
  /** The object the ref names (a commit, or a tag object for annotated tags). */
  oid: string;
  /** From a packed-refs `^` line: the commit an annotated tag finally points to. */
  peeled?: string;
}

/** How many `ref: ` indirections are followed. */
const MAX_SYMREF_DEPTH = 5;

const isOid = (s: string): boolean => /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(s);

/** True for a ref name that is safe to turn into a path under a git dir. */
export function isSafeRefName(ref: string): boolean {
  return /^refs\/[^\0]+$/.test(ref) &&
    !ref.split("/").some((p) => p === "" || p === "." || p === "..");
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return undefined;
  }
}

/**
 * Parse the text of `packed-refs`: `<oid> <ref>` lines, each optionally
 * followed by `^<oid>` (the peeled target of an annotated tag).
 */
export function parsePackedRefs(text: string): Map<string, RefTarget> {
  const refs = new Map<string, RefTarget>();
  let last: RefTarget | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("^")) {
      const peeled = line.slice(1);
      if (last !== undefined && isOid(peeled)) last.peeled = peeled;
      continue;
    }
    const sp = line.indexOf(" ");
    const oid = line.slice(0, sp);
    const name = line.slice(sp + 1).trim();
    last = undefined;
    if (sp < 0 || !isOid(oid) || !name.startsWith("refs/")) continue;
    last = { oid };
    refs.set(name, last);
  }
  return refs;
}

/** Reads the refs of one repository (and one worktree of it). */
export class GitRefs {
  #packed: Map<string, RefTarget> | undefined;

  /**
   * Refs of `loc`; packed-refs is read once, on first need.
   *
   * @param loc where the repository's git directories are
   */
  constructor(/** The repository read. */ readonly loc: GitRepoLocation) {}

  /**
   * The content of HEAD.
   * @throws {GitReadError} when HEAD is missing or holds neither a ref nor an id
   */
  async head(): Promise<HeadState> {
    const file = join(this.loc.gitDir, "HEAD");
    const text = await readText(file);
    if (text === undefined) throw new GitReadError(file, "cannot read HEAD");
    const value = text.trim();
    if (value.startsWith("ref:")) {
      const ref = value.slice(4).trim();
      if (!isSafeRefName(ref)) throw new GitReadError(file, `bad ref name '${ref}'`);
      return { kind: "symbolic", ref };
    }
    if (isOid(value)) return { kind: "detached", oid: value };
    throw new GitReadError(file, "HEAD holds neither 'ref: <name>' nor an object id");
  }

  /** The parsed `packed-refs` of the shared git dir (empty when there is none). */
  async packed(): Promise<Map<string, RefTarget>> {
    if (this.#packed === undefined) {
      const text = await readText(join(this.loc.commonDir, "packed-refs"));
      this.#packed = text === undefined ? new Map() : parsePackedRefs(text);
    }
    return this.#packed;
  }

  /**
   * The object id that `ref` (e.g. `refs/heads/main`) points to, following
   * symbolic refs; undefined when the ref does not exist.
   * @throws {GitReadError} when a ref file holds garbage
   */
  async resolve(ref: string, depth = 0): Promise<string | undefined> {
    if (!isSafeRefName(ref) || depth > MAX_SYMREF_DEPTH) return undefined;
    const dirs = this.loc.gitDir === this.loc.commonDir
      ? [this.loc.gitDir]
      : [this.loc.gitDir, this.loc.commonDir];
    for (const dir of dirs) {
      const file = join(dir, ref);
      const text = await readText(file);
      if (text === undefined) continue;
      const value = text.trim();
      if (isOid(value)) return value;
      if (value.startsWith("ref:")) return await this.resolve(value.slice(4).trim(), depth + 1);
      throw new GitReadError(file, "ref file holds neither an object id nor 'ref: <name>'");
    }
    return (await this.packed()).get(ref)?.oid;
  }

  /** Every tag: name (without `refs/tags/`) → target. Loose refs override packed ones. */
  async tags(): Promise<Map<string, RefTarget>> {
    const tags = new Map<string, RefTarget>();
    for (const [name, target] of await this.packed()) {
      if (name.startsWith("refs/tags/")) tags.set(name.slice("refs/tags/".length), target);
    }
    const root = join(this.loc.commonDir, "refs", "tags");
    const walk = async (dir: string, prefix: string): Promise<void> => {
      let entries;
      try {
        entries = await Array.fromAsync(Deno.readDir(dir));
      } catch {
        return;
      }
      for (const e of entries) {
        const name = prefix + e.name;
        if (e.isDirectory) {
          await walk(join(dir, e.name), name + "/");
        } else if (e.isFile) {
          const value = (await readText(join(dir, e.name)))?.trim() ?? "";
          if (isOid(value)) tags.set(name, { oid: value });
        }
      }
    };
    await walk(root, "");
    return tags;
  }
}
