/**
 * CI checkouts are detached (GitHub checks out a commit, GitLab and Jenkins
 * too) and often shallow or without `.git` at all (a source archive, a
 * build context): git then cannot say the branch, or anything. The CI
 * system can. This fills `ORIGIN_URI`, `BRANCH` and `COMMIT_ID` from the
 * CI's facts where git left them out, and only for the checkout the CI
 * built: the same commit, or, without a repository, a file under the CI's
 * workspace.
 *
 * @module
 */
import { relative, resolve } from "../internal/posix_path.ts";
import type { CiCheckout } from "./_ci_system.ts";

function isInside(path: string, folder: string): boolean {
  const rel = relative(resolve(folder), resolve(path));
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
}

/**
 * The keys to add to what git found for `artifact` (`gitKeys`, undefined
 * when no repository holds it): never a key git already set, except an
 * `ORIGIN_URI` of `local` (a repository without a remote).
 */
export function ciCheckoutKeys(
  gitKeys: ReadonlyMap<string, unknown> | undefined,
  ci: CiCheckout | undefined,
  artifact: string,
): Map<string, string> {
  const out = new Map<string, string>();
  if (!ci?.commit) return out;
  const gitCommit = gitKeys?.get("COMMIT_ID");
  const sameCheckout = gitCommit !== undefined
    ? gitCommit === ci.commit
    : ci.workspace !== undefined && isInside(artifact, ci.workspace);
  if (!sameCheckout) return out;
  if (gitCommit === undefined) out.set("COMMIT_ID", ci.commit);
  if (ci.branch && !gitKeys?.has("BRANCH")) out.set("BRANCH", ci.branch);
  const origin = gitKeys?.get("ORIGIN_URI");
  if (ci.originUri && (origin === undefined || origin === "local")) {
    out.set("ORIGIN_URI", ci.originUri);
  }
  return out;
}
