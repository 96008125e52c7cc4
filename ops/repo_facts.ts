/**
 * Repository facts per artifact (git keys, CODE_OWNERS), read once per
 * folder and shared by every artifact below it in the run.
 */
import { dirname } from "node:path";
import { type GitInfo, readGitInfo } from "../collectors/git.ts";
import { readCodeOwners } from "../collectors/codeowners.ts";

/** Caches git and code-owner lookups by folder for one run. */
export class RepoFacts {
  readonly #git = new Map<string, Promise<GitInfo | undefined>>();
  readonly #owners = new Map<string, Promise<string | undefined>>();
  readonly #warned = new Set<string>();

  /** Git metadata of the repository holding `path`; warnings go to `warn` once per repo. */
  async git(path: string, warn: (m: string) => void): Promise<GitInfo | undefined> {
    const dir = dirname(path);
    let pending = this.#git.get(dir);
    if (!pending) {
      pending = readGitInfo(dir).catch(() => undefined);
      this.#git.set(dir, pending);
    }
    const info = await pending;
    if (info && !this.#warned.has(info.vcsDir)) {
      this.#warned.add(info.vcsDir);
      for (const w of info.warnings) warn(w);
    }
    return info;
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
