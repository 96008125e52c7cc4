/**
 * The `/.chalk` runtime layer is shared (docs/docker.md, "Entrypoint wrapping"): two different
 * images wrapped by the same chalk get the same layer digest for it (legacy builder, and
 * BuildKit where buildx is installed), so
 * registries and hosts store it once.
 */
import { assert, assertEquals, assertNotEquals } from "../_assert.ts";
import { join } from "node:path";
import { run, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable, inspectImage, removeImages } from "./_docker.ts";
import { loadedChalk } from "./_wrap.ts";

/** Image names of this run: several runs may share the daemon. */
const TAG = `faststart-layer-${crypto.randomUUID().slice(0, 8)}`;

async function layers(ref: string): Promise<string[]> {
  const info = await inspectImage(ref);
  return ((info?.RootFS as { Layers?: string[] } | undefined)?.Layers) ?? [];
}

async function build(
  chalk: string,
  dir: string,
  env: Record<string, string>,
  name: string,
  dockerfile: string,
  buildkit: string,
): Promise<string[]> {
  const ctx = join(dir, name);
  await Deno.mkdir(ctx);
  await Deno.writeTextFile(join(ctx, "Dockerfile"), dockerfile);
  await Deno.writeTextFile(join(ctx, `${name}.txt`), `${name}\n`);
  const ref = `${TAG}-${name}:latest`;
  const r = await run(chalk, ["docker", "build", "-q", "-t", ref, "."], {
    cwd: ctx,
    env: { ...env, DOCKER_BUILDKIT: buildkit },
  });
  assertEquals(r.code, 0, r.stderr);
  return await layers(ref);
}

/** DOCKER_BUILDKIT values to try: the legacy builder, and BuildKit where buildx is installed. */
async function builders(): Promise<string[]> {
  const buildx = await new Deno.Command("docker", {
    args: ["buildx", "version"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  return buildx?.success ? ["0", "1"] : ["0"];
}

Deno.test({
  name: "two different images wrapped by the same chalk share the /.chalk layer digest",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const box = await sandbox();
    const names: string[] = [];
    try {
      const chalk = await loadedChalk(
        box.work,
        "docker.wrap_entrypoint: true\ncustom_report.terminal_chalk_time.enabled: false\n",
        box.env,
      );
      const base = await layers("busybox-base:latest");
      for (const buildkit of await builders()) {
        const a = `a${buildkit}`;
        const b = `b${buildkit}`;
        names.push(`${TAG}-${a}:latest`, `${TAG}-${b}:latest`);
        const la = await build(
          chalk,
          box.work,
          box.env,
          a,
          `FROM busybox-base\nCOPY ${a}.txt /\nCMD ["cat", "/${a}.txt"]\n`,
          buildkit,
        );
        const lb = await build(
          chalk,
          box.work,
          box.env,
          b,
          `FROM busybox-base\nRUN ["/bin/true"]\nCOPY ${b}.txt /data/\nENTRYPOINT ["cat", "/data/${b}.txt"]\n`,
          buildkit,
        );
        // Each image: base, its own steps, then chalk's runtime COPY, the code-cache RUN and the
        // mark's COPY (the mark is new on every build).
        assertEquals(la.slice(0, base.length), base);
        assertNotEquals(la.at(-1), lb.at(-1));
        assertNotEquals(la[base.length], lb[base.length]);
        assertEquals(
          la.at(-3),
          lb.at(-3),
          `DOCKER_BUILDKIT=${buildkit}: the runtime layers differ`,
        );
        assert(!base.includes(la.at(-3)!));
      }
    } finally {
      await removeImages(...names);
      await box.cleanup();
    }
  },
});
