/**
 * The `vctl_git` collector (docs/decisions.md, "Git read in-process"): git
 * metadata read in-process from `.git` (refs, packed-refs, loose and
 * packed objects), no `git` binary needed.
 *
 * @example
 * ```ts
 * const info = await readGitInfo("/src/project/bin");
 * info?.keys.get("COMMIT_ID"); // "3f1c…"
 * ```
 */
import { dirname, join, resolve } from "../internal/posix_path.ts";
import { parseCommit, type ParsedCommit, parseTag } from "./git_commit.ts";
import { configValues, type GitConfigEntry, parseGitConfig, selectOrigin } from "./git_config.ts";
import { type GitIdent, identDate, identTimestampMs } from "./git_date.ts";
import { GitReadError } from "./git_error.ts";
import { GitObjectStore } from "./git_objects.ts";
import { GitRefs } from "./git_refs.ts";
import { findGitRepo, type GitRepoLocation } from "./git_repo_find.ts";
import { errorMessage } from "../internal/errors.ts";

export type { GitRepoLocation };

/** The git facts of one repository, as chalk-time key names. */
export interface GitInfo {
  /** The worktree root (VCS_DIR_WHEN_CHALKED). */
  vcsDir: string;
  /** COMMIT_ID, BRANCH, ORIGIN_URI, AUTHOR, …; only keys that have a value. */
  keys: Map<string, string | bigint | boolean>;
  /** One line per problem met (empty repository, corrupt object…), each naming the file. */
  warnings: string[];
}

/** The chalk-time keys this collector can produce, in report order. */
export const GIT_KEYS: readonly string[] = [
  "VCS_DIR_WHEN_CHALKED",
  "ORIGIN_URI",
  "COMMIT_ID",
  "BRANCH",
  "COMMIT_SIGNED",
  "AUTHOR",
  "DATE_AUTHORED",
  "TIMESTAMP_AUTHORED",
  "COMMITTER",
  "DATE_COMMITTED",
  "TIMESTAMP_COMMITTED",
  "COMMIT_MESSAGE",
  "TAG",
  "TAGGER",
  "DATE_TAGGED",
  "TIMESTAMP_TAGGED",
  "TAG_SIGNED",
  "TAG_MESSAGE",
];

/** Tag objects read concurrently (bounded so huge tag lists do not exhaust file handles). */
const TAG_READ_BATCH = 16;

interface TagCandidate {
  name: string;
  timestampMs: bigint;
  tagger?: GitIdent;
  signed: boolean;
  message: string;
}

/**
 * The run-time twins of a repository's keys (`_COMMIT_ID`, `_BRANCH`, …);
 * VCS_DIR_WHEN_CHALKED has no twin.
 */
export function runTimeGitKeys(info: GitInfo): Map<string, string | bigint | boolean> {
  const out = new Map<string, string | bigint | boolean>();
  for (const [k, v] of info.keys) {
    if (k !== "VCS_DIR_WHEN_CHALKED") out.set(`_${k}`, v);
  }
  return out;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

async function readConfig(
  loc: GitRepoLocation,
  warnings: string[],
): Promise<GitConfigEntry[]> {
  const file = join(loc.commonDir, "config");
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    warnings.push(`${file}: cannot read git config; ORIGIN_URI falls back to 'local'`);
    return [];
  }
  try {
    return parseGitConfig(text, file);
  } catch (err) {
    warnings.push(`${errorMessage(err)}; ORIGIN_URI falls back to 'local'`);
    return [];
  }
}

function setIdent(
  keys: GitInfo["keys"],
  ident: GitIdent | undefined,
  names: [string, string, string],
): void {
  if (ident === undefined || ident.person === "") return;
  keys.set(names[0], ident.person);
  const date = identDate(ident);
  const ts = identTimestampMs(ident);
  if (date !== undefined) keys.set(names[1], date);
  if (ts !== undefined) keys.set(names[2], ts);
}

/** COMMIT_SIGNED, AUTHOR, COMMITTER, their dates, COMMIT_MESSAGE. */
function setCommitKeys(keys: GitInfo["keys"], commit: ParsedCommit): void {
  keys.set("COMMIT_SIGNED", commit.signed);
  setIdent(keys, commit.author, ["AUTHOR", "DATE_AUTHORED", "TIMESTAMP_AUTHORED"]);
  setIdent(keys, commit.committer, ["COMMITTER", "DATE_COMMITTED", "TIMESTAMP_COMMITTED"]);
  if (commit.message !== "") keys.set("COMMIT_MESSAGE", commit.message);
}

/** The latest tag on `commitId` (annotated tags by tagger time, then name). */
async function latestTag(
  refs: GitRefs,
  store: GitObjectStore,
  commitId: string,
  warnings: string[],
): Promise<TagCandidate | undefined> {
  const found: TagCandidate[] = [];
  const toRead: [string, string][] = [];
  for (const [name, target] of await refs.tags()) {
    if (target.oid === commitId) {
      found.push({ name, timestampMs: 0n, signed: false, message: "" });
    } else if (target.peeled === undefined || target.peeled === commitId) {
      toRead.push([name, target.oid]);
    }
  }
  const inspect = async ([name, oid]: [string, string]): Promise<void> => {
    try {
      const obj = await store.read(oid);
      if (obj?.type !== "tag") return;
      const tag = parseTag(obj.data);
      // one level only, as `git for-each-ref --points-at` and chalk 1.0 do
      if (tag.object !== commitId) return;
      found.push({
        name,
        timestampMs: (tag.tagger && identTimestampMs(tag.tagger)) ?? 0n,
        tagger: tag.tagger,
        signed: tag.signed,
        message: tag.message,
      });
    } catch (err) {
      warnings.push(`tag '${name}' skipped: ${errorMessage(err)}`);
    }
  };
  for (let i = 0; i < toRead.length; i += TAG_READ_BATCH) {
    await Promise.all(toRead.slice(i, i + TAG_READ_BATCH).map(inspect));
  }
  found.sort((a, b) =>
    a.timestampMs !== b.timestampMs
      ? (a.timestampMs < b.timestampMs ? -1 : 1)
      : (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
  return found.at(-1);
}

/** Read the metadata of the repository at `loc`. Never throws. */
export async function readRepo(loc: GitRepoLocation): Promise<GitInfo> {
  const warnings: string[] = [];
  const keys: GitInfo["keys"] = new Map();
  const info: GitInfo = { vcsDir: loc.worktree, keys, warnings };
  const config = await readConfig(loc, warnings);
  const format = configValues(config, "extensions", undefined, "objectformat").at(-1);
  const store = new GitObjectStore(join(loc.commonDir, "objects"), format === "sha256" ? 32 : 20);
  const refs = new GitRefs(loc);
  try {
    const head = await refs.head();
    let branch: string | undefined;
    let commitId: string | undefined;
    if (head.kind === "symbolic") {
      if (head.ref.startsWith("refs/heads/")) branch = head.ref.slice("refs/heads/".length);
      commitId = await refs.resolve(head.ref);
      if (commitId === undefined) {
        warnings.push(
          await isDirectory(join(loc.commonDir, "reftable"))
            ? `${join(loc.commonDir, "reftable")}: reftable ref storage is not supported`
            : `${join(loc.gitDir, "HEAD")}: ref '${head.ref}' doesn't exist. ` +
              "Most likely it's an empty git repo.",
        );
        return info;
      }
    } else {
      commitId = head.oid;
    }
    keys.set("VCS_DIR_WHEN_CHALKED", loc.worktree);
    keys.set("ORIGIN_URI", selectOrigin(config, branch));
    keys.set("COMMIT_ID", commitId);
    if (branch !== undefined) keys.set("BRANCH", branch);
    try {
      const obj = await store.read(commitId);
      const where = join(loc.commonDir, "objects");
      if (obj === undefined) warnings.push(`${where}: HEAD commit ${commitId} not found`);
      else if (obj.type !== "commit") warnings.push(`${where}: HEAD ${commitId} is a ${obj.type}`);
      else setCommitKeys(keys, parseCommit(obj.data));
    } catch (err) {
      // a damaged commit object must not hide the tag
      warnings.push(errorMessage(err));
    }
    const tag = await latestTag(refs, store, commitId, warnings);
    if (tag !== undefined) {
      keys.set("TAG", tag.name);
      setIdent(keys, tag.tagger, ["TAGGER", "DATE_TAGGED", "TIMESTAMP_TAGGED"]);
      keys.set("TAG_SIGNED", tag.signed);
      if (tag.message !== "") keys.set("TAG_MESSAGE", tag.message);
    }
  } catch (err) {
    warnings.push(errorMessage(err));
  } finally {
    warnings.push(...store.allWarnings());
    await store.close();
  }
  return info;
}

/**
 * Reads each repository once per run, however many artifacts live in it.
 * Keep one per chalk operation.
 *
 * @example
 * ```ts
 * const git = new GitCollector();
 * const a = await git.read("/src/p/bin/a"); // reads /src/p/.git
 * const b = await git.read("/src/p/bin/b"); // same object, no I/O on .git
 * ```
 */
export class GitCollector {
  #byPath = new Map<string, Promise<GitInfo | undefined>>();
  #byGitDir = new Map<string, Promise<GitInfo>>();

  /**
   * The metadata of the repository containing `path` (a directory or a
   * file); undefined when `path` is not inside a repository. Never throws.
   */
  read(path: string): Promise<GitInfo | undefined> {
    const abs = resolve(path);
    let pending = this.#byPath.get(abs);
    if (pending === undefined) {
      pending = this.#locate(abs);
      this.#byPath.set(abs, pending);
    }
    return pending;
  }

  async #locate(abs: string): Promise<GitInfo | undefined> {
    let loc: GitRepoLocation | undefined;
    try {
      loc = await findGitRepo(abs);
    } catch (err) {
      const where = err instanceof GitReadError ? dirname(err.file) : abs;
      return { vcsDir: where, keys: new Map(), warnings: [errorMessage(err)] };
    }
    if (loc === undefined) return undefined;
    let pending = this.#byGitDir.get(loc.gitDir);
    if (pending === undefined) {
      pending = readRepo(loc);
      this.#byGitDir.set(loc.gitDir, pending);
    }
    return await pending;
  }

  /** Every repository read so far, in the order first asked for (the first one feeds the run-time twins). */
  async repos(): Promise<GitInfo[]> {
    return await Promise.all(this.#byGitDir.values());
  }
}

/**
 * Find the repository containing `dir` (walk upward) and read its
 * metadata; undefined when not in a repo. Never throws: problems are in
 * `warnings`.
 */
export async function readGitInfo(dir: string): Promise<GitInfo | undefined> {
  return await new GitCollector().read(dir);
}
