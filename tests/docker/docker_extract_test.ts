/**
 * `chalk extract` of docker items: an image by name, `images`,
 * `containers` (a running container), and an unknown name.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { gitCommitAll, run, sandbox } from "../e2e/_chalk.ts";
import { docker, dockerUnavailable, lastLogReport, removeImages } from "./_docker.ts";

type Json = Record<string, unknown>;

/**
 * `extract images` / `all` read every image of the daemon, which other test
 * files use at the same time (mark_landed_test.ts builds images whose
 * `/chalk.json` is `{}`: exit 1 with "mark has no METADATA_ID"). Such errors
 * are theirs; this file's own items are checked by their report entries.
 */
function assertOnlyOthersFailed(r: { code: number; stderr: string }): void {
  if (r.code === 0) return;
  assertEquals(r.code, 1, r.stderr);
  const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
  assert(errors.length > 0, r.stderr);
  for (const line of errors) {
    assertMatch(line, /^error: +sha256:[0-9a-f]{64}: mark has no/, r.stderr);
  }
}

Deno.test({
  name: "chalk extract finds marks in images and running containers without running images",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-extract:latest";
    const name = `chalk-test-ctr-${crypto.randomUUID().slice(0, 8)}`;
    try {
      const dir = join(box.work, "ctx");
      await Deno.mkdir(dir);
      // Running until removed below: extracting every image of a busy daemon can take minutes.
      await Deno.writeTextFile(
        join(dir, "Dockerfile"),
        'FROM busybox-base\nCMD ["sleep", "3600"]\n',
      );
      await gitCommitAll(dir, box.env);
      const b = await box.chalk(["docker", "build", "-q", "-t", tag, "."], { cwd: dir });
      assertEquals(b.code, 0, b.stderr);
      const built = ((await lastLogReport(box.home))._CHALKS as Json[])[0];

      const images = await box.chalk(["extract", "images"]);
      assertOnlyOthersFailed(images);
      const ir = await lastLogReport(box.home);
      const mine = (ir._CHALKS as Json[]).find((c) => c.CHALK_ID === built.CHALK_ID);
      assert(mine, "extract images did not find the chalked image");
      assertEquals(mine._OP_ARTIFACT_TYPE, "Docker Image");
      // The unmarked base image is listed as unmarked.
      const baseId = (await docker(["image", "inspect", "-f", "{{.Id}}", "busybox-base"])).trim();
      assert((ir._UNMARKED as string[]).includes(baseId), JSON.stringify(ir._UNMARKED));

      await docker(["run", "-d", "--network", "none", "--name", name, tag]);
      const containers = await box.chalk(["extract", "containers"]);
      assertEquals(containers.code, 0, containers.stderr);
      const cr = await lastLogReport(box.home);
      const ctr = (cr._CHALKS as Json[]).find((c) => c._INSTANCE_NAME === name);
      assert(ctr, "extract containers did not find the container");
      assertEquals(ctr.CHALK_ID, built.CHALK_ID);
      assertEquals(ctr._OP_ARTIFACT_TYPE, "Docker Container");
      assertEquals(ctr._INSTANCE_STATUS, "running");

      const all = await box.chalk(["extract", "all"]);
      assertOnlyOthersFailed(all);
      const ar = (await lastLogReport(box.home))._CHALKS as Json[];
      assert(
        ar.some((c) => c._OP_ARTIFACT_TYPE === "Docker Image" && c.CHALK_ID === built.CHALK_ID),
      );
      assert(
        ar.some((c) => c._OP_ARTIFACT_TYPE === "Docker Container" && c._INSTANCE_NAME === name),
      );

      const byName = await box.chalk(["extract", name]);
      assertEquals(byName.code, 0, byName.stderr);
      assertEquals(((await lastLogReport(box.home))._CHALKS as Json[])[0].CHALK_ID, built.CHALK_ID);
    } finally {
      await run("docker", ["rm", "-f", name]);
      await removeImages(tag);
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk extract of an unknown name says so and exits 1",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const r = await box.chalk(["extract", "no-such-image-or-container-xyz"]);
      assertEquals(r.code, 1);
      assertMatch(r.stderr, /no-such-image-or-container-xyz: No image or container found/);
    } finally {
      await box.cleanup();
    }
  },
});
