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
import { findGitRepo } from "../collectors/git_repo_find.ts";
import { dirname, relative, resolve } from "../internal/posix_path.ts";
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

/**
 * The worktree root of the repository holding each artifact (as insert's
 * VCS_DIR_WHEN_CHALKED), found once per folder: `_OP_ARTIFACT_PATH_WITHIN_VCTL`
 * of extract and delete, whose marks need not say where they were chalked.
 * Outside any repository, or in a bare one, there is none.
 */
export class WorktreeOf {
  readonly #byDir = new Map<string, Promise<string | undefined>>();

  /** `_OP_ARTIFACT_PATH_WITHIN_VCTL` of `path`, or undefined. Never throws. */
  async pathWithin(path: string): Promise<string | undefined> {
    const dir = dirname(resolve(path));
    let pending = this.#byDir.get(dir);
    if (pending === undefined) {
      pending = findGitRepo(dir).then(
        (loc) => loc?.bare ? undefined : loc?.worktree,
        () => undefined,
      );
      this.#byDir.set(dir, pending);
    }
    return pathWithinVctl(path, await pending);
  }
}
