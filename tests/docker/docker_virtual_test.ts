/**
 * `chalk --virtual docker build` (docs/docker.md, "Virtual builds"): the
 * image gets chalk's labels but no `/chalk.json`, the mark is appended to
 * the state folder's `virtual-chalk.json` once the build succeeded, and the report says
 * `_VIRTUAL: true` with the image's `_IMAGE_ID`.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, gitCommitAll, run, sandbox } from "../e2e/_chalk.ts";
import {
  dockerUnavailable,
  fileInImage,
  imageLabels,
  inspectImage,
  lastLogReport,
  removeImages,
  snapshot,
} from "./_docker.ts";

type Json = Record<string, unknown>;

const TAG = `fidelity-virtual-${crypto.randomUUID().slice(0, 8)}`;

Deno.test({
  name:
    "chalk --virtual docker build: labels, no /chalk.json, the mark in the state folder's virtual-chalk.json",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = `${TAG}:ok`;
    try {
      const dir = join(box.work, "ctx");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "Dockerfile"), 'FROM busybox-base\nCMD ["true"]\n');
      await Deno.writeTextFile(join(dir, ".dockerignore"), "*.log\n");
      const commit = await gitCommitAll(dir, box.env);
      // wrap_entrypoint is asked for: a virtual build cannot, and says so.
      const conf = join(box.work, "wrap.c4m");
      await Deno.writeTextFile(conf, "docker.wrap_entrypoint: true\n");
      const before = await snapshot(dir);
      const r = await run(
        CHALK,
        ["--virtual", "--config-file", conf, "--log-level=warn", "docker", "build", "-t", tag, "."],
        { cwd: dir, env: box.env },
      );
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, /cannot wrap the entry point in virtual chalking mode/);
      // Nothing changed in the context: the virtual chalk log lives in the state folder.
      assertEquals(await snapshot(dir), before, "the build context changed");
      const virtualLog = join(box.home, ".local/state/chalk/virtual-chalk.json");

      const image = await inspectImage(tag);
      assert(image, "image built");
      const imageId = String(image.Id).replace("sha256:", "");
      assertEquals(await fileInImage(tag, "/chalk.json"), undefined, "no /chalk.json");
      assertEquals((image.Config as Json).Entrypoint, null, "not wrapped");
      const labels = await imageLabels(tag);
      assertEquals(labels["run.crashoverride.commit-id"], commit);

      const lines = (await Deno.readTextFile(virtualLog)).trim().split("\n");
      assertEquals(lines.length, 1);
      const mark = JSON.parse(lines[0]) as Json;
      assertEquals(mark.MAGIC, "dadfedabbadabbed");

      const full = await lastLogReport(box.home);
      assertEquals(full._OPERATION, "build");
      const chalk = (full._CHALKS as Json[])[0];
      assertEquals([chalk._VIRTUAL, chalk._IMAGE_ID, chalk._CURRENT_HASH], [
        true,
        imageId,
        imageId,
      ]);
      assertEquals([mark.CHALK_ID, mark.METADATA_ID], [chalk.CHALK_ID, chalk.METADATA_ID]);
      assertEquals(chalk._OP_ARTIFACT_TYPE, "Docker Image");
      // `chalk extract` finds no mark in a virtually chalked image.
      const x = await run(CHALK, ["extract", tag], { cwd: box.work, env: box.env });
      assertEquals(x.code, 0, x.stderr);
      assertEquals((await lastLogReport(box.home))._OP_CHALK_COUNT, 0);
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk --virtual docker build of a broken Dockerfile writes no virtual chalk",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = `${TAG}:broken`;
    try {
      await Deno.writeTextFile(join(box.work, "Dockerfile"), "FROM busybox-base\nRUN exit 3\n");
      // --force-rm: the legacy builder would keep the failed step's container.
      const r = await run(CHALK, ["--virtual", "docker", "build", "--force-rm", "-t", tag, "."], {
        cwd: box.work,
        env: box.env,
      });
      assert(r.code !== 0, "docker's failure is returned");
      let exists = true;
      await Deno.stat(join(box.home, ".local/state/chalk/virtual-chalk.json"))
        .catch(() => exists = false);
      assert(!exists, "virtual-chalk.json was written for a failed build");
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});
