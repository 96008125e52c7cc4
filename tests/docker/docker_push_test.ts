/**
 * `chalk docker push` to a real registry on loopback: the push report
 * carries the mark's identity and the digest the registry itself serves.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { gitCommitAll, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable, lastLogReport, REGISTRY, removeImages } from "./_docker.ts";

type Json = Record<string, unknown>;

async function registryDigest(repo: string, tag: string): Promise<string> {
  const res = await fetch(`http://${REGISTRY}/v2/${repo}/manifests/${tag}`, {
    method: "HEAD",
    headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" },
  });
  assertEquals(res.status, 200);
  return res.headers.get("Docker-Content-Digest") ?? "";
}

Deno.test({
  name: "chalk docker push reports the registry's digest for a chalked image",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const repo = `chalk-test/push-${crypto.randomUUID().slice(0, 8)}`;
    const ref = `${REGISTRY}/${repo}:v1`;
    try {
      const dir = join(box.work, "ctx");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "Dockerfile"), "FROM busybox-base\nENV P=1\n");
      await gitCommitAll(dir, box.env);
      const b = await box.chalk(["docker", "build", "-q", "-t", ref, "."], { cwd: dir });
      assertEquals(b.code, 0, b.stderr);
      const built = ((await lastLogReport(box.home))._CHALKS as Json[])[0];

      const p = await box.chalk(["docker", "push", ref], { cwd: dir });
      assertEquals(p.code, 0, p.stderr);
      const report = await lastLogReport(box.home);
      assertEquals(report._OPERATION, "push");
      const pushed = (report._CHALKS as Json[])[0];
      assertEquals(pushed.CHALK_ID, built.CHALK_ID);
      assertEquals(pushed.METADATA_ID, built.METADATA_ID);
      assertEquals(pushed._CURRENT_HASH, built._CURRENT_HASH);
      const digest = await registryDigest(repo, "v1");
      assert(digest.startsWith("sha256:"), digest);
      const digests = pushed._REPO_DIGESTS as Record<string, Record<string, string[]>>;
      assertEquals(digests[REGISTRY][repo], [digest.slice("sha256:".length)]);
      const tags = pushed._REPO_TAGS as Record<string, Record<string, Record<string, string>>>;
      assertEquals(tags[REGISTRY][repo].v1, digest.slice("sha256:".length));
    } finally {
      await removeImages(ref);
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk docker push of an unknown image returns docker's error status",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const p = await box.chalk(["docker", "push", `${REGISTRY}/chalk-test/none:nope`]);
      assert(p.code !== 0);
      assert(p.stderr.includes("is not found. pushing without chalk"), p.stderr);
    } finally {
      await box.cleanup();
    }
  },
});
