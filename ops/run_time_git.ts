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
import { GIT_KEYS, GitCollector, runTimeGitKeys } from "../collectors/git.ts";
import { dirname, relative, resolve } from "../internal/posix_path.ts";
import { worktreeRootAtSync } from "../collectors/git_repo_find.ts";
import type { Template } from "../reports/templates.ts";

/** The run-time twins, `_` + each chalk-time git key but VCS_DIR_WHEN_CHALKED. */
const TWINS: readonly string[] = GIT_KEYS.filter((k) => k !== "VCS_DIR_WHEN_CHALKED").map((k) =>
  `_${k}`
);

/** The git reader of `ctx`'s run, made at first use. */
export function repositoryReader(ctx: { gitReader?: GitCollector }): GitCollector {
  return ctx.gitReader ??= new GitCollector();
}

/** True when any of `templates` reports a run-time git twin (else no repository is read). */
export function wantsRunTimeGit(templates: readonly Template[]): boolean {
  return templates.some((t) => TWINS.some((k) => t.keys.has(k)));
}

/**
 * The run-time twins of the repository holding `dir` (a folder or a file), read by `reader`
 * (the run's, which the marks' git keys already used); empty outside any repository or in
 * one without commits. Never throws.
 */
export async function runTimeGitHostKeys(dir: string, reader: GitCollector): Promise<MarkDict> {
  const out: MarkDict = new Map();
  const info = await reader.read(resolve(dir)).catch(() => undefined);
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
 * The root of the repository holding each artifact (its worktree, or the
 * folder of a bare one: insert's VCS_DIR_WHEN_CHALKED), for the
 * `_OP_ARTIFACT_PATH_WITHIN_VCTL` of extract and delete, whose marks need
 * not say where they were chalked. `findGitRepo`'s rules
 * (`worktreeRootAtSync`), walked with synchronous stats and remembered per
 * folder, ancestors included: async stats of every folder up to the root cost 90 ms over 300
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
    const here = worktreeRootAtSync(dir);
    const parent = dirname(dir);
    const found = here ?? (parent === dir ? undefined : this.#worktree(parent));
    this.#byDir.set(dir, found);
    return found;
  }
}
