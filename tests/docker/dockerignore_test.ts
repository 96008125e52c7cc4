/**
 * What `chalk docker build` does to the context's `.dockerignore`: the
 * original comes back byte for byte with its times, and a symbolic link is
 * never written through (BuildKit: the build is chalked and the link left
 * alone; the legacy builder, which fails on a Dockerfile given beside such a
 * link: one line, then a single plain build).
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, run, sandbox } from "../e2e/_chalk.ts";
import {
  buildkitPath,
  dockerUnavailable,
  fileInImage,
  imageLabels,
  removeImages,
} from "./_docker.ts";

const OLD = new Date("2001-02-03T04:05:06Z");
const OLD_ATIME = new Date("2002-03-04T05:06:07Z");

/** Modification and access times, to the second. */
async function times(path: string): Promise<[number, number]> {
  const info = await Deno.stat(path);
  return [Math.floor(info.mtime!.getTime() / 1000), Math.floor(info.atime!.getTime() / 1000)];
}

Deno.test({
  name: "chalk docker build gives .dockerignore back with its modification and access times",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-ignore-times:latest";
    try {
      const dir = join(box.work, "ctx");
      await Deno.mkdir(dir);
      await Deno.writeTextFile(join(dir, "Dockerfile"), "FROM busybox-base\nENV A=1\n");
      const ignore = join(dir, ".dockerignore");
      await Deno.writeTextFile(ignore, "*.tmp\n");
      await Deno.utime(ignore, OLD_ATIME, OLD);
      const r = await run(CHALK, ["docker", "build", "-q", "-t", tag, "."], {
        cwd: dir,
        env: box.env,
      });
      assertEquals(r.code, 0, r.stderr);
      assert(await fileInImage(tag, "/chalk.json"), "the image is not chalked");
      // Times first: reading the file would set its access time.
      assertEquals(await times(ignore), [OLD.getTime() / 1000, OLD_ATIME.getTime() / 1000]);
      assertEquals(await Deno.readTextFile(ignore), "*.tmp\n");
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});

const BUILDERS = [
  { name: "legacy builder", env: { DOCKER_BUILDKIT: "0" } as Record<string, string> },
  { name: "BuildKit", env: { DOCKER_BUILDKIT: "1", PATH: buildkitPath ?? "" } },
];

for (const builder of BUILDERS) {
  Deno.test({
    name: `chalk docker build never writes through a symlinked .dockerignore (${builder.name})`,
    ignore: dockerUnavailable !== undefined ||
      (builder.name === "BuildKit" && buildkitPath === undefined),
    sanitizeResources: false,
    sanitizeOps: false,
    fn: async () => {
      const box = await sandbox();
      const tag = "chalk-test-ignore-link:latest";
      try {
        const shared = join(box.work, "shared_ignore");
        await Deno.writeTextFile(shared, "secret.txt\n");
        await Deno.utime(shared, OLD_ATIME, OLD);
        const dir = join(box.work, "ctx");
        await Deno.mkdir(dir);
        await Deno.symlink("../shared_ignore", join(dir, ".dockerignore"));
        await Deno.writeTextFile(join(dir, "Dockerfile"), "FROM busybox-base\nCOPY . /app/\n");
        await Deno.writeTextFile(join(dir, "secret.txt"), "s\n");
        const r = await run(CHALK, ["docker", "build", "-q", "-t", tag, "."], {
          cwd: dir,
          env: { ...box.env, ...builder.env },
        });
        assertEquals(r.code, 0, r.stderr);
        assertEquals(await Deno.readTextFile(shared), "secret.txt\n");
        assertEquals(
          (await times(shared))[0],
          OLD.getTime() / 1000,
          "the link's target was written",
        );
        assertEquals(await Deno.readLink(join(dir, ".dockerignore")), "../shared_ignore");
        // docker ran once: its failure on chalk's Dockerfile would be on stderr.
        assert(!/error during connect|Can.t add file/.test(r.stderr), r.stderr);
        if (builder.name === "BuildKit") {
          assert(!r.stderr.includes("retrying without chalk"), r.stderr);
          assert(await fileInImage(tag, "/chalk.json"), "the image is not chalked");
        } else {
          assertMatch(
            r.stderr,
            new RegExp(
              `retrying without chalk due to: ${dir}/.dockerignore: .dockerignore is a symbolic link`,
            ),
          );
          assertEquals(await fileInImage(tag, "/chalk.json"), undefined);
          assertEquals(await imageLabels(tag), {});
          // The plain build applied the linked ignore file, as docker does.
          assertEquals(await fileInImage(tag, "/app/secret.txt"), undefined);
        }
      } finally {
        await removeImages(tag);
        await box.cleanup();
      }
    },
  });
}
