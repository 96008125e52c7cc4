/**
 * Locating the git repository that contains a directory, including `.git`
 * files as written by `git worktree add` and by submodules.
 */
import { basename, dirname, isAbsolute, resolve } from "../internal/posix_path.ts";
import { GitReadError } from "./git_error.ts";

/** Where a repository's pieces live on disk. */
export interface GitRepoLocation {
  /** The worktree root (VCS_DIR_WHEN_CHALKED); the git dir itself for a bare repo. */
  worktree: string;
  /** The per-worktree git directory: holds HEAD. */
  gitDir: string;
  /** The shared git directory: holds config, refs, packed-refs, objects. */
  commonDir: string;
  /** True when the repository has no worktree (found as a bare git dir). */
  bare: boolean;
}

type Kind = "file" | "dir" | "none";

async function kindOf(path: string): Promise<Kind> {
  try {
    const s = await Deno.stat(path);
    if (s.isDirectory) return "dir";
    return s.isFile ? "file" : "none";
  } catch {
    return "none";
  }
}

/** True when `dir` looks like a git directory (HEAD and config files, objects dir). */
async function isGitDir(dir: string): Promise<boolean> {
  const [head, config, objects] = await Promise.all([
    kindOf(resolve(dir, "HEAD")),
    kindOf(resolve(dir, "config")),
    kindOf(resolve(dir, "objects")),
  ]);
  return head === "file" && config === "file" && objects === "dir";
}

/** The `commondir` of a linked worktree's git dir, else the git dir itself. */
async function commonDirOf(gitDir: string): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(resolve(gitDir, "commondir"));
  } catch {
    return gitDir;
  }
  const target = text.trim();
  if (target === "") return gitDir;
  return isAbsolute(target) ? target : resolve(gitDir, target);
}

/** Follow a `.git` file (`gitdir: <path>`), resolving relative paths against its folder. */
async function followGitFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (err) {
    throw new GitReadError(file, `cannot read .git file (${(err as Error).message})`);
  }
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(text);
  if (match === null) throw new GitReadError(file, "not a 'gitdir: <path>' file");
  const target = match[1];
  const gitDir = isAbsolute(target) ? target : resolve(dirname(file), target);
  if (await kindOf(gitDir) !== "dir") {
    throw new GitReadError(file, `points to missing git dir ${gitDir}`);
  }
  return gitDir;
}

/**
 * Find the repository containing `start` by walking upward. A directory
 * with a `.git` folder or `.git` file is a worktree root; a directory that
 * is itself a git dir (HEAD, config, objects) is a bare repository (or the
 * `.git` folder of a worktree, whose root is then its parent).
 *
 * Returns undefined when no repository encloses `start`; throws
 * {@linkcode GitReadError} when a `.git` file is broken.
 *
 * @example
 * ```ts
 * const loc = await findGitRepo("/src/project/bin");
 * // loc?.worktree === "/src/project"
 * ```
 */
export async function findGitRepo(start: string): Promise<GitRepoLocation | undefined> {
  let dir = resolve(start);
  if (await kindOf(dir) === "file") dir = dirname(dir);
  while (true) {
    const dotGit = resolve(dir, ".git");
    const kind = await kindOf(dotGit);
    if (kind === "dir" && await isGitDir(dotGit)) {
      return { worktree: dir, gitDir: dotGit, commonDir: await commonDirOf(dotGit), bare: false };
    }
    if (kind === "file") {
      const gitDir = await followGitFile(dotGit);
      return { worktree: dir, gitDir, commonDir: await commonDirOf(gitDir), bare: false };
    }
    if (await isGitDir(dir)) {
      const commonDir = await commonDirOf(dir);
      if (basename(dir) === ".git") {
        return { worktree: dirname(dir), gitDir: dir, commonDir, bare: false };
      }
      return { worktree: dir, gitDir: dir, commonDir, bare: true };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function kindOfSync(path: string): Kind {
  try {
    const s = Deno.statSync(path);
    if (s.isDirectory) return "dir";
    return s.isFile ? "file" : "none";
  } catch {
    return "none";
  }
}

function isGitDirSync(dir: string): boolean {
  return kindOfSync(resolve(dir, "HEAD")) === "file" &&
    kindOfSync(resolve(dir, "config")) === "file" && kindOfSync(resolve(dir, "objects")) === "dir";
}

/**
 * {@linkcode findGitRepo}'s test of one folder, synchronously and without reading `.git`
 * files: the worktree root `dir` is part of (`dir` itself when it holds a `.git` folder or
 * file; `dir` or its parent when it is a git dir, bare or a worktree's `.git`), or null when
 * the answer is its parent's. For a caller that walks many folders and remembers each.
 */
export function worktreeRootAtSync(dir: string): string | null {
  const dotGit = resolve(dir, ".git");
  const kind = kindOfSync(dotGit);
  if (kind === "file" || (kind === "dir" && isGitDirSync(dotGit))) return dir;
  if (isGitDirSync(dir)) return basename(dir) === ".git" ? dirname(dir) : dir;
  return null;
}
