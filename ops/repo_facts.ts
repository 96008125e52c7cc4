/**
 * Repository facts per artifact (git keys, CODE_OWNERS), read once per
 * folder and shared by every artifact below it in the run. Under CI, what
 * git cannot say about the checkout (detached, shallow, no `.git`) comes
 * from the CI system (`collectors/ci_checkout.ts`).
 */
import { dirname } from "../internal/posix_path.ts";
import { GitCollector, type GitInfo } from "../collectors/git.ts";
import { readCodeOwners } from "../collectors/codeowners.ts";
import { type CiCheckout, detectCiBuild } from "../collectors/ci.ts";
import { ciCheckoutKeys } from "../collectors/ci_checkout.ts";

/** `info` with the keys the CI checkout adds for `path` (a new object when any). */
function withCiCheckout(
  info: GitInfo | undefined,
  ci: CiCheckout | undefined,
  path: string,
): GitInfo | undefined {
  const added = ciCheckoutKeys(info?.keys, ci, path);
  if (added.size === 0) return info;
  const keys = new Map(info?.keys ?? []);
  for (const [k, v] of added) keys.set(k, v);
  return { vcsDir: info?.vcsDir ?? ci?.workspace ?? dirname(path), keys, warnings: [] };
}

/** Caches git and code-owner lookups by folder for one run. */
export class RepoFacts {
  readonly #git = new Map<string, Promise<GitInfo | undefined>>();
  // One reader for the run: a repository is read once however many folders hold artifacts
  // (each folder read it anew before: 300 folders x 300 tags took 14 s instead of 2), and
  // once more by nothing else (the report's run-time git keys share it).
  readonly #collector: GitCollector;
  readonly #owners = new Map<string, Promise<string | undefined>>();
  readonly #warned = new Set<string>();
  readonly #ci: CiCheckout | undefined;

  /**
   * `collector`: the run's git reader (`repositoryReader` in ops/run_time_git.ts); `ci`: the CI checkout, by default
   * the one the environment describes.
   */
  constructor(
    collector: GitCollector = new GitCollector(),
    ci: CiCheckout | undefined = detectCiBuild(Deno.env.toObject())?.checkout,
  ) {
    this.#collector = collector;
    this.#ci = ci;
  }

  /** Git metadata of the repository holding `path`; warnings go to `warn` once per repo. */
  async git(path: string, warn: (m: string) => void): Promise<GitInfo | undefined> {
    const dir = dirname(path);
    let pending = this.#git.get(dir);
    if (!pending) {
      pending = this.#collector.read(dir).catch(() => undefined);
      this.#git.set(dir, pending);
    }
    const info = await pending;
    if (info && !this.#warned.has(info.vcsDir)) {
      this.#warned.add(info.vcsDir);
      for (const w of info.warnings) warn(w);
    }
    return withCiCheckout(info, this.#ci, path);
  }

  /** CODEOWNERS text of the repository holding `path`. */
  codeOwners(path: string): Promise<string | undefined> {
    const dir = dirname(path);
    let pending = this.#owners.get(dir);
    if (!pending) {
      pending = readCodeOwners(dir).catch(() => undefined);
      this.#owners.set(dir, pending);
    }
    return pending;
  }
}
