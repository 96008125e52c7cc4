/** A real release (scripts/release.sh --bundle-only), for the release and action tests. */
import { ROOT, run } from "../e2e/_chalk.ts";

/** Builds a bundle-only release into a temporary folder; the caller removes it. */
export async function buildRelease(): Promise<string> {
  const out = await Deno.makeTempDir({ prefix: "chalk-release-" });
  const r = await run("bash", ["scripts/release.sh", "--out", out, "--bundle-only"], {
    cwd: ROOT,
  });
  if (r.code !== 0) throw new Error(`release.sh failed (${r.code}): ${r.stderr}`);
  return out;
}
