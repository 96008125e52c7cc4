/**
 * The commit chalk-ts was built from: stamped into a build, or read from the
 * checkout when running from source.
 *
 * @module
 */
import { dirname, fromFileUrl } from "../internal/posix_path.ts";
import { stampedCommit } from "../internal/version.ts";

/** The commit chalk-ts was built from, or undefined when unknown. */
export async function buildCommit(): Promise<string | undefined> {
  const stamped = stampedCommit();
  if (stamped) return stamped;
  // Only a source checkout may look at git: a bundle dropped into a user repo must not. In the
  // bundle (CommonJS) import.meta is an empty object, without a url.
  const url: string | undefined = import.meta.url;
  if (!url?.startsWith("file:") || !url.endsWith("/ops/build_info.ts")) return undefined;
  try {
    // Imported here: a stamped build never reads git for this (the git reader costs ~2 ms to load).
    const { readGitInfo } = await import("../collectors/git.ts");
    const info = await readGitInfo(dirname(dirname(fromFileUrl(url))));
    const commit = info?.keys.get("COMMIT_ID");
    return typeof commit === "string" ? commit : undefined;
  } catch {
    return undefined;
  }
}
