/**
 * The git keys of the report rather than of an artifact: the run-time twins
 * (`_COMMIT_ID`, `_BRANCH`, `_ORIGIN_URI`, ...) of the repository holding the
 * operation's first search path (the build context for a docker build), and
 * `_OP_ARTIFACT_PATH_WITHIN_VCTL`, an artifact's path inside its worktree.
 * The default report templates subscribe to both, as the original's do
 * (its `vctl_git` run-time callbacks): `chalk extract` in a checkout says
 * which commit the checkout is at, whatever the marks found say.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { GIT_KEYS, readGitInfo, runTimeGitKeys } from "../collectors/git.ts";
import { basename, dirname, join, relative, resolve } from "../internal/posix_path.ts";
import type { Template } from "../reports/templates.ts";

/** The run-time twins, `_` + each chalk-time git key but VCS_DIR_WHEN_CHALKED. */
const TWINS: readonly string[] = GIT_KEYS.filter((k) => k !== "VCS_DIR_WHEN_CHALKED").map((k) =>
  `_${k}`
);

/** True when any of `templates` reports a run-time git twin (else no repository is read). */
export function wantsRunTimeGit(templates: readonly Template[]): boolean {
  return templates.some((t) => TWINS.some((k) => t.keys.has(k)));
}

/**
 * The run-time twins of the repository holding `dir` (a folder or a file);
 * empty outside any repository or in one without commits. Never throws.
 */
export async function runTimeGitHostKeys(dir: string): Promise<MarkDict> {
  const out: MarkDict = new Map();
  const info = await readGitInfo(resolve(dir)).catch(() => undefined);
  if (info === undefined) return out;
  for (const [k, v] of runTimeGitKeys(info)) out.set(k, v);
  return out;
}

/**
 * `_OP_ARTIFACT_PATH_WITHIN_VCTL` for `path` when it lies inside the
 * worktree `vcsDir` (the artifact's VCS_DIR_WHEN_CHALKED): the path relative
 * to that folder. Undefined otherwise.
 */
export function pathWithinVctl(path: string, vcsDir: unknown): string | undefined {
  if (typeof vcsDir !== "string" || vcsDir === "") return undefined;
  const rel = relative(resolve(vcsDir), resolve(path));
  if (rel === "" || rel.startsWith("../") || rel === ".." || rel.startsWith("/")) return undefined;
  return rel;
}

/** What `path` is, without following into it: a folder, a file, or nothing. */
function kindOf(path: string): "dir" | "file" | undefined {
  try {
    const st = Deno.statSync(path);
    return st.isDirectory ? "dir" : st.isFile ? "file" : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The root of the repository holding each artifact (its worktree, or the
 * folder of a bare one: insert's VCS_DIR_WHEN_CHALKED), for the
 * `_OP_ARTIFACT_PATH_WITHIN_VCTL` of extract and delete, whose marks need
 * not say where they were chalked. The rules of
 * `findGitRepo` (a `.git` folder or file marks a worktree root; a folder
 * that is itself a git dir is a bare repository, or a worktree's `.git`),
 * walked with synchronous stats and remembered per folder, ancestors
 * included: async stats of every folder up to the root cost 90 ms over 300
 * folders of one repository.
 */
export class WorktreeOf {
  readonly #byDir = new Map<string, string | undefined>();

  /** `_OP_ARTIFACT_PATH_WITHIN_VCTL` of `path`, or undefined. Never throws. */
  pathWithin(path: string): string | undefined {
    return pathWithinVctl(path, this.#worktree(dirname(resolve(path))));
  }

  #worktree(dir: string): string | undefined {
    if (this.#byDir.has(dir)) return this.#byDir.get(dir);
    let found: string | undefined;
    const dotGit = kindOf(join(dir, ".git"));
    if (dotGit === "file" || (dotGit === "dir" && isGitDirSync(join(dir, ".git")))) {
      found = dir;
    } else if (isGitDirSync(dir)) {
      // a bare repository is its own root, as its VCS_DIR_WHEN_CHALKED says
      found = basename(dir) === ".git" ? dirname(dir) : dir;
    } else {
      const parent = dirname(dir);
      found = parent === dir ? undefined : this.#worktree(parent);
    }
    this.#byDir.set(dir, found);
    return found;
  }
}

/** HEAD and config files and an objects folder, as `findGitRepo` requires of a git dir. */
function isGitDirSync(dir: string): boolean {
  return kindOf(join(dir, "HEAD")) === "file" && kindOf(join(dir, "config")) === "file" &&
    kindOf(join(dir, "objects")) === "dir";
}
