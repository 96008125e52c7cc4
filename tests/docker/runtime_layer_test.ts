/**
 * The `/.chalk` runtime layer is shared (docs/docker.md, "Entrypoint wrapping"): two different
 * images wrapped by the same chalk get the same layer digest for it (legacy builder, and
 * BuildKit), so registries and hosts store it once, also when chalk is set up (its copy has no
 * private key); it holds the V8 code cache too, and what
 * chalk adds to each image beyond it (the mark, metadata) stays under 100 KB.
 */
import { assert, assertEquals, assertNotEquals } from "../_assert.ts";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { run, sandbox } from "../e2e/_chalk.ts";
import { buildKitDockerDir, dockerUnavailable, inspectImage, removeImages } from "./_docker.ts";
import { loadedChalk } from "./_wrap.ts";

/** Image names of this run: several runs may share the daemon. */
const TAG = `faststart-layer-${crypto.randomUUID().slice(0, 8)}`;

/** Bytes of each build step of `ref`, newest first (`docker history`). */
async function stepSizes(ref: string): Promise<number[]> {
  const r = await run("docker", ["history", "--human=false", "--format", "{{.Size}}", ref]);
  assertEquals(r.code, 0, r.stderr);
  return r.stdout.trim().split("\n").map(Number);
}

/** The sources whose V8 code cache the image's `/.chalk/cache` holds. */
async function shippedCodeCache(ref: string, dir: string): Promise<string[]> {
  const id = (await run("docker", ["create", "--entrypoint=false", ref])).stdout.trim();
  const file = join(dir, `cache-${id}`);
  try {
    const cp = await run("docker", ["cp", `${id}:/.chalk/cache/v8_code_cache_v2`, file]);
    assertEquals(cp.code, 0, cp.stderr);
  } finally {
    await run("docker", ["rm", "-f", id]);
  }
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return db.prepare("SELECT specifier FROM codecache").all().map((r) => String(r.specifier));
  } finally {
    db.close();
  }
}

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
  builder: Builder,
): Promise<string[]> {
  const ctx = join(dir, name);
  await Deno.mkdir(ctx);
  await Deno.writeTextFile(join(ctx, "Dockerfile"), dockerfile);
  await Deno.writeTextFile(join(ctx, `${name}.txt`), `${name}\n`);
  const ref = `${TAG}-${name}:latest`;
  const r = await run(chalk, ["docker", "build", "-q", "--network=none", "-t", ref, "."], {
    cwd: ctx,
    env: { ...env, DOCKER_BUILDKIT: builder.buildkit, PATH: builder.path },
  });
  assertEquals(r.code, 0, r.stderr);
  return await layers(ref);
}

/** A builder to try: DOCKER_BUILDKIT and the PATH whose docker builds with it. */
interface Builder {
  buildkit: string;
  path: string;
}

/**
 * The legacy builder, and BuildKit through the first docker on PATH (or in /usr/bin) that
 * builds with it: a client without buildx still has BuildKit built in up to docker 22.
 */
async function builders(path: string): Promise<Builder[]> {
  const dir = await buildKitDockerDir(path);
  const legacy = { buildkit: "0", path };
  return dir === undefined ? [legacy] : [legacy, { buildkit: "1", path: `${dir}:${path}` }];
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
      // Set up: the program in the layer is then a copy without the private key, made the
      // same for every image (ops/program_for_images.ts).
      const setup = await run(chalk, ["setup"], {
        cwd: box.work,
        env: { ...box.env, CHALK_PASSWORD: "pw" },
      });
      assertEquals(setup.code, 0, setup.stderr);
      const base = await layers("busybox-base:latest");
      const baseSteps = (await stepSizes("busybox-base:latest")).length;
      for (const builder of await builders(box.env.PATH)) {
        const buildkit = builder.buildkit;
        const a = `a${buildkit}`;
        const b = `b${buildkit}`;
        names.push(`${TAG}-${a}:latest`, `${TAG}-${b}:latest`);
        const la = await build(
          chalk,
          box.work,
          box.env,
          a,
          `FROM busybox-base\nCOPY ${a}.txt /\nCMD ["cat", "/${a}.txt"]\n`,
          builder,
        );
        const lb = await build(
          chalk,
          box.work,
          box.env,
          b,
          `FROM busybox-base\nRUN ["/bin/true"]\nCOPY ${b}.txt /data/\nENTRYPOINT ["cat", "/data/${b}.txt"]\n`,
          builder,
        );
        // Each image: base, its own steps, then chalk's runtime COPY (code cache included) and
        // the mark's COPY (the mark is new on every build).
        assertEquals(la.slice(0, base.length), base);
        assertNotEquals(la.at(-1), lb.at(-1));
        assertNotEquals(la[base.length], lb[base.length]);
        assertEquals(
          la.at(-2),
          lb.at(-2),
          `DOCKER_BUILDKIT=${buildkit}: the runtime layers differ`,
        );
        assert(!base.includes(la.at(-2)!));
        // The cache serves chalk itself, not only Deno's own modules: a first start in a new
        // container finds the program compiled.
        const cached = await shippedCodeCache(`${TAG}-${a}:latest`, box.work);
        assert(cached.includes("file:///.chalk/chalk"), `code cache of: ${cached.slice(-3)}`);
        for (const name of [a, b]) {
          // Above the base: the image's own steps (a few bytes), the runtime (the biggest
          // step, shared) and what chalk adds per image.
          const own = (await stepSizes(`${TAG}-${name}:latest`)).slice(0, -baseSteps);
          const unique = own.reduce((x, y) => x + y, 0) - Math.max(...own);
          assert(Math.max(...own) > 50e6, `the runtime step: ${own.join(", ")}`);
          assert(unique < 100_000, `${name}: ${unique} bytes beyond the shared runtime`);
        }
      }
    } finally {
      await removeImages(...names);
      await box.cleanup();
    }
  },
});
