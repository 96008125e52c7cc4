/**
 * Commands chalk does not process pass straight through: same output, same
 * exit status, stdio inherited (a big stream does not grow chalk's memory);
 * no docker on PATH is a clear error.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, run, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable } from "./_docker.ts";

Deno.test({
  name: "chalk docker passes other commands through with docker's output and status",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const plain = await run("docker", ["images", "--format", "{{.Repository}}", "busybox-base"]);
      const wrapped = await box.chalk([
        "docker",
        "images",
        "--format",
        "{{.Repository}}",
        "busybox-base",
      ]);
      assertEquals(wrapped.code, 0, wrapped.stderr);
      assertEquals(wrapped.stdout, plain.stdout);
      const exit7 = await box.chalk([
        "docker",
        "run",
        "--rm",
        "--network",
        "none",
        "busybox-base",
        "sh",
        "-c",
        "echo out; exit 7",
      ]);
      assertEquals(exit7.code, 7);
      assertEquals(exit7.stdout, "out\n");
      // -v is docker's here, not chalk's --virtual.
      const help = await box.chalk(["docker", "-v"]);
      assertMatch(help.stdout, /^Docker version /);
    } finally {
      await box.cleanup();
    }
  },
});

function maxRssKb(stderr: string): number {
  return Number(stderr.trim().split("\n").pop());
}

Deno.test({
  name: "chalk docker run streams output without buffering it",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const bytes = 200 * 1024 * 1024;
      const stream = await run("/usr/bin/time", [
        "-f",
        "%M",
        "sh",
        "-c",
        `${CHALK} docker run --rm --network none busybox-base head -c ${bytes} /dev/zero | wc -c >&2`,
      ], { env: box.env });
      assertEquals(stream.code, 0, stream.stderr);
      const lines = stream.stderr.trim().split("\n");
      assertEquals(Number(lines[lines.length - 2]), bytes);
      const idle = await run("/usr/bin/time", ["-f", "%M", CHALK, "docker", "version"], {
        env: box.env,
      });
      // time reports the largest process of the tree; chalk must not grow by the stream's size.
      assert(
        maxRssKb(stream.stderr) < maxRssKb(idle.stderr) + 64 * 1024,
        `max RSS ${maxRssKb(stream.stderr)} KiB vs ${maxRssKb(idle.stderr)} KiB idle`,
      );
    } finally {
      await box.cleanup();
    }
  },
});

Deno.test("chalk docker without docker on PATH fails with a clear error", async () => {
  const box = await sandbox();
  try {
    const bin = join(box.work, "bin");
    await Deno.mkdir(bin);
    await Deno.symlink(Deno.execPath(), join(bin, "deno"));
    const r = await run(CHALK, ["docker", "ps"], { env: { ...box.env, PATH: bin } });
    assertEquals(r.code, 1);
    assertMatch(r.stderr, /docker command is missing/);
  } finally {
    await box.cleanup();
  }
});
