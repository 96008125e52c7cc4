/**
 * The commit chalk-ts was built from: stamped into a build, or read from the
 * checkout when running from source.
 *
 * @module
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { dirname } from "node:path";
import { readGitInfo } from "../collectors/git.ts";
import { stampedCommit } from "../internal/version.ts";

/** The commit chalk-ts was built from, or undefined when unknown. */
export async function buildCommit(): Promise<string | undefined> {
  const stamped = stampedCommit();
  if (stamped) return stamped;
  // Only a source checkout may look at git: a bundle dropped into a user repo must not.
  if (!import.meta.url.startsWith("file:") || !import.meta.url.endsWith("/ops/build_info.ts")) {
    return undefined;
  }
  try {
    const info = await readGitInfo(dirname(dirname(fromFileUrl(import.meta.url))));
    const commit = info?.keys.get("COMMIT_ID");
    return typeof commit === "string" ? commit : undefined;
  } catch {
    return undefined;
  }
}
