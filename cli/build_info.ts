/**
 * chalk-ts's own version (D5) and the commit it was built from. The build
 * script writes the commit into the bundle in place of the token below;
 * from source it is read from the checkout, when there is one.
 */
import { fileURLToPath as fromFileUrl } from "node:url";
import { dirname } from "node:path";
import { readGitInfo } from "../collectors/git.ts";

/** chalk-ts's semantic version. */
export const CHALK_VERSION = "0.1.0";

const STAMPED_COMMIT: string = "__CHALK_TS_BUILD_COMMIT__";

/** The commit chalk-ts was built from, or undefined when unknown. */
export async function buildCommit(): Promise<string | undefined> {
  if (/^[0-9a-f]{40}$/.test(STAMPED_COMMIT)) return STAMPED_COMMIT;
  // Only a source checkout may look at git: a bundle dropped into a user repo must not.
  if (!import.meta.url.startsWith("file:") || !import.meta.url.endsWith("/cli/build_info.ts")) {
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
