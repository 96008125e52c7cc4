/**
 * Entrypoint wrapping (commands-runtime §7.6, D14): the decision (pure) and
 * real wrapped images on three bases — busybox-static (no libc), glibc and
 * musl — that behave exactly like their unwrapped builds (argv with dashes,
 * exit codes, SIGTERM, stdin, PID 1) while each start is reported.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { parseDockerfile, targetStage } from "../../docker/dockerfile_parse.ts";
import {
  effectiveStart,
  type ImageStartConfig,
  planWrap,
  type WrapPlan,
} from "../../docker/entrypoint_wrap.ts";
import { parseLdd, runtimeArgv } from "../../docker/chalk_runtime_bundle.ts";
import { ROOT, run, sandbox } from "../e2e/_chalk.ts";
import { docker, dockerUnavailable, fileInImage, removeImages } from "./_docker.ts";
import {
  dockerRun,
  loadedChalk,
  postConfig,
  probeBase,
  startServer,
  type TestServer,
  waitFor,
} from "./_wrap.ts";

type Json = Record<string, unknown>;

const RT = runtimeArgv("ld-linux-x86-64.so.2");

function plan(text: string, base?: ImageStartConfig, wrapCmd = true): WrapPlan {
  const file = parseDockerfile(text);
  return planWrap({
    dockerfile: file,
    stage: targetStage(file),
    base,
    runtimeArgv: RT,
    runtimeSource: "chalk-runtime.chalk",
    wrapCmd,
  });
}

Deno.test("planWrap wraps an exec-form ENTRYPOINT after `--` and keeps the CMD", () => {
  const p = plan('FROM a\nENTRYPOINT ["/hi.sh", "-x"]\nCMD ["--y"]\n', {});
  assert(p.wrapped);
  assertEquals(p.entrypoint, [...RT, "exec", "--exec-command-name", "/hi.sh", "--", "-x"]);
  assertEquals(p.cmd, ["--y"]);
  assertEquals(p.lines, [
    `ENV CHALK_TS_RUNTIME='${JSON.stringify(RT)}'`,
    `ENTRYPOINT ${JSON.stringify(p.entrypoint)}`,
    'CMD ["--y"]',
    'COPY ["chalk-runtime.chalk","/.chalk"]',
  ]);
});

Deno.test("planWrap runs a shell-form ENTRYPOINT through the stage's SHELL", () => {
  const p = plan('FROM a\nSHELL ["/bin/ash", "-ec"]\nENTRYPOINT /hi.sh "$X"\n', {});
  assert(p.wrapped);
  assertEquals(p.entrypoint.slice(RT.length), [
    "exec",
    "--exec-command-name",
    "/bin/ash",
    "--",
    "-ec",
    '/hi.sh "$X"',
  ]);
  assertEquals(p.cmd, undefined);
});

Deno.test("planWrap treats ENTRYPOINT [] and [\"\"] as none and wraps the CMD", () => {
  for (const ep of ["[]", '[""]']) {
    const p = plan(`FROM a\nENTRYPOINT ${ep}\nCMD ["/p", "a"]\n`, {});
    assert(p.wrapped, ep);
    assertEquals(p.entrypoint, [...RT, "exec", "--"]);
    assertEquals(p.cmd, ["/p", "a"]);
  }
});

Deno.test("planWrap wraps a CMD inherited from the base image, unless wrap_cmd is off", () => {
  const p = plan("FROM a\nLABEL k=v\n", { cmd: ["/bin/sh"] });
  assert(p.wrapped);
  assertEquals([p.entrypoint, p.cmd], [[...RT, "exec", "--"], ["/bin/sh"]]);
  const off = plan("FROM a\nLABEL k=v\n", { cmd: ["/bin/sh"] }, false);
  assert(!off.wrapped && off.reason.includes("wrap_cmd"));
});

Deno.test("planWrap: an ENTRYPOINT in the stage resets the base image's CMD", () => {
  const p = plan('FROM a\nENTRYPOINT ["/e"]\n', { entrypoint: ["/old"], cmd: ["base-cmd"] });
  assert(p.wrapped);
  assertEquals(p.cmd, undefined);
  assert(!p.lines.some((l) => l.startsWith("CMD")));
});

Deno.test("effectiveStart follows parent stages, then the base image", () => {
  const file = parseDockerfile(
    'FROM img AS one\nENTRYPOINT ["/one"]\nFROM one AS two\nCMD ["x"]\nFROM two\nRUN true\n',
  );
  assertEquals(effectiveStart(file, targetStage(file), undefined), {
    entrypoint: ["/one"],
    cmd: ["x"],
    shell: ["/bin/sh", "-c"],
  });
  const fromBase = parseDockerfile("FROM img\nRUN true\n");
  assertEquals(effectiveStart(fromBase, targetStage(fromBase), undefined), undefined);
  assertEquals(
    effectiveStart(fromBase, targetStage(fromBase), { entrypoint: ["/b"], cmd: ["c"] })
      ?.entrypoint,
    ["/b"],
  );
});

Deno.test("planWrap never wraps twice, and explains every refusal", () => {
  const wrapped = plan("FROM a\nRUN true\n", {
    entrypoint: [...RT, "exec", "--exec-command-name", "/hi.sh", "--"],
  });
  assert(!wrapped.wrapped && wrapped.alreadyWrapped);
  const none = plan("FROM scratch\nCOPY a /a\n");
  assert(!none.wrapped && none.reason.includes("no ENTRYPOINT or CMD"), JSON.stringify(none));
  const blank = plan('FROM a\nENTRYPOINT ["", "x"]\n', {});
  assert(!blank.wrapped && blank.reason.includes("blank"));
  const unknown = plan("FROM not-local\nRUN true\n", undefined);
  assert(!unknown.wrapped && unknown.reason.includes("unknown"));
});

Deno.test("parseLdd finds the loader and every library, and rejects a missing one", () => {
  const out = parseLdd(
    "\tlinux-vdso.so.1 (0x00007ffd)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f)\n" +
      "\t/lib64/ld-linux-x86-64.so.2 (0x00007f18)\n",
  );
  assertEquals(out, {
    loader: "/lib64/ld-linux-x86-64.so.2",
    libs: [{ name: "libc.so.6", path: "/lib/x86_64-linux-gnu/libc.so.6" }],
  });
  let threw = false;
  try {
    parseLdd("\tlibfoo.so.1 => not found\n");
  } catch {
    threw = true;
  }
  assert(threw);
});

// ----- real docker --------------------------------------------------------------------------

interface World {
  server: TestServer;
  chalk: string;
  env: Record<string, string>;
  dir: string;
  images: string[];
}

/** Builds `dockerfile` in a fresh context (files copied in) with chalk, and plainly for reference. */
async function buildPair(
  w: World,
  name: string,
  dockerfile: string,
  files: Record<string, string> = {},
): Promise<{ wrapped: string; plain: string; stderr: string }> {
  const ctx = join(w.dir, name);
  await Deno.mkdir(ctx);
  for (const [to, from] of Object.entries(files)) {
    await Deno.copyFile(from, join(ctx, to));
    await Deno.chmod(join(ctx, to), 0o755);
  }
  await Deno.writeTextFile(join(ctx, "Dockerfile"), dockerfile);
  const wrapped = `chalk-wrap-${name}:test`;
  const plain = `chalk-plain-${name}:test`;
  w.images.push(wrapped, plain);
  const b = await run(w.chalk, ["docker", "build", "-q", "-t", wrapped, "."], {
    cwd: ctx,
    env: w.env,
  });
  assertEquals(b.code, 0, b.stderr);
  await docker(["build", "-q", "-t", plain, ctx]);
  // The context is left as it was found.
  const left = [...Deno.readDirSync(ctx)].map((e) => e.name).sort();
  assertEquals(left, ["Dockerfile", ...Object.keys(files)].sort());
  return { wrapped, plain, stderr: b.stderr };
}

async function entrypointOf(ref: string): Promise<string[] | null> {
  return JSON.parse(await docker(["inspect", "-f", "{{json .Config.Entrypoint}}", ref]));
}

/** Runs both images with `args` and checks identical stdout and status; returns them. */
async function sameRun(
  w: World,
  pair: { wrapped: string; plain: string },
  args: string[],
  stdin?: string,
): Promise<{ code: number; stdout: string }> {
  const flags = stdin === undefined ? [] : ["-i"];
  const a = await dockerRun([...flags, pair.wrapped, ...args], stdin);
  const b = await dockerRun([...flags, pair.plain, ...args], stdin);
  assertEquals(
    [a.code, a.stdout],
    [b.code, b.stdout],
    `${args.join(" ")}: wrapped vs plain (${a.stderr})`,
  );
  return { code: a.code, stdout: a.stdout };
}

async function execReportsFor(w: World, chalkId: string): Promise<Json[]> {
  const all = await w.server.get("/execs");
  return all.filter((r) =>
    r._OPERATION === "exec" && (r._CHALKS as Json[] | undefined)?.[0]?.CHALK_ID === chalkId
  );
}

/** SIGTERM through `docker stop` and SIGKILL through `docker kill`, on a detached container. */
async function signals(w: World, ref: string, termArgs: string[]): Promise<void> {
  const id = (await docker(["run", "-d", "--network=host", ref, ...termArgs])).trim();
  try {
    const ready = await waitFor(20_000, async () => {
      const logs = await run("docker", ["logs", id]);
      return logs.stdout.includes("ready") ? true : undefined;
    });
    assert(ready, "the workload started");
    await docker(["stop", "-t", "10", id]);
    assertEquals((await docker(["wait", id])).trim(), "143");
    assert((await docker(["logs", id])).includes("got TERM"), "SIGTERM reached the workload");
  } finally {
    await run("docker", ["rm", "-f", id]);
  }
  const id2 = (await docker(["run", "-d", "--network=host", ref, ...termArgs])).trim();
  try {
    await waitFor(20_000, async () =>
      (await run("docker", ["logs", id2])).stdout.includes("ready") ? true : undefined
    );
    await docker(["kill", id2]);
    assertEquals((await docker(["wait", id2])).trim(), "137");
  } finally {
    await run("docker", ["rm", "-f", id2]);
  }
}

/** The behaviour checks every base must pass. */
async function behaves(
  w: World,
  pair: { wrapped: string; plain: string },
  prefix: string[],
): Promise<void> {
  const args = await sameRun(w, pair, [...prefix, "args", "-a", "--b", "--", "x y", "", "-"]);
  assertEquals(args.stdout, "[-a]\n[--b]\n[--]\n[x y]\n[]\n[-]\n");
  assertEquals((await sameRun(w, pair, [...prefix, "exit", "0"])).code, 0);
  assertEquals((await sameRun(w, pair, [...prefix, "exit", "1"])).code, 1);
  assertEquals((await sameRun(w, pair, [...prefix, "exit", "137"])).code, 137);
  assertEquals((await sameRun(w, pair, [...prefix, "pid"])).stdout, "pid 1\n");
  const text = "line one\n-- two --\n";
  assertEquals((await sameRun(w, pair, [...prefix, "stdin"], text)).stdout, text);
  await signals(w, pair.wrapped, [...prefix, "term"]);
}

async function markOf(ref: string): Promise<Json> {
  const m = await fileInImage(ref, "/chalk.json");
  assert(m, `${ref}: /chalk.json`);
  return JSON.parse(m.text);
}

Deno.test({
  name: "wrapped images behave like unwrapped ones on busybox, glibc and musl bases",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const box = await sandbox();
    const server = await startServer(box.work);
    const w: World = { server, env: box.env, dir: box.work, images: [], chalk: "" };
    try {
      w.chalk = await loadedChalk(box.work, postConfig(server.url), box.env);
      const probe = join(ROOT, "fixtures/docker/probe.sh");

      await t.step("busybox-static base: argv, exit codes, signals, stdin, PID 1", async () => {
        const pair = await buildPair(
          w,
          "busybox",
          'FROM busybox-base\nCOPY probe.sh /probe.sh\nENTRYPOINT ["/probe.sh"]\n',
          { "probe.sh": probe },
        );
        const ep = await entrypointOf(pair.wrapped);
        assertEquals(ep?.slice(0, RT.length + 4), [
          ...RT,
          "exec",
          "--exec-command-name",
          "/probe.sh",
          "--",
        ]);
        await behaves(w, pair, []);
        // A run long enough for the reporter: its exec report names the image's CHALK_ID.
        const chalkId = (await markOf(pair.wrapped)).CHALK_ID as string;
        assertEquals((await sameRun(w, pair, ["sleep", "2"])).stdout, "started\n");
        const reports = await waitFor(5_000, async () => {
          const r = await execReportsFor(w, chalkId);
          return r.length > 0 ? r : undefined;
        });
        assert(reports, "exec report received");
        assertEquals(reports[0]._PROCESS_PID, 1);
        assertEquals(
          (reports[0]._PROCESS_ARGV as string[]).slice(1),
          ["sleep", "2"],
        );
        // The workload's environment does not carry chalk's runtime variable.
        const env = await dockerRun(["--entrypoint", "/bin/env", pair.wrapped]);
        assert(env.stdout.includes("CHALK_TS_RUNTIME="), "image ENV present for chalk");
        const seen = await dockerRun([pair.wrapped, "args", "$CHALK_TS_RUNTIME"]);
        assertEquals(seen.stdout, "[$CHALK_TS_RUNTIME]\n");
      });

      await t.step("an already wrapped base is not wrapped twice", async () => {
        const ctx = join(w.dir, "rewrap");
        await Deno.mkdir(ctx);
        await Deno.writeTextFile(
          join(ctx, "Dockerfile"),
          "FROM chalk-wrap-busybox:test\nLABEL again=yes\n",
        );
        const ref = "chalk-wrap-rewrap:test";
        w.images.push(ref);
        const b = await run(w.chalk, ["docker", "build", "-q", "-t", ref, "."], {
          cwd: ctx,
          env: w.env,
        });
        assertEquals(b.code, 0, b.stderr);
        assertEquals(await entrypointOf(ref), await entrypointOf("chalk-wrap-busybox:test"));
        const history = await docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", ref]);
        assertEquals(history.split("\n").filter((l) => l.includes("/.chalk")).length, 2);
        const out = await dockerRun([ref, "args", "-z"]);
        assertEquals([out.code, out.stdout], [0, "[-z]\n"]);
        assertEquals(
          (await markOf(ref)).CHALK_ID !== (await markOf("chalk-wrap-busybox:test")).CHALK_ID,
          true,
        );
      });

      await t.step("ENTRYPOINT edge cases: [], [\"\"], shell form, CMD only", async () => {
        const cases: [string, string, string[][]][] = [
          ["ep-empty", 'ENTRYPOINT []\nCMD ["/probe.sh", "args", "c"]', [[], [
            "/probe.sh",
            "args",
            "-o",
          ]]],
          ["ep-blank", 'ENTRYPOINT [""]\nCMD ["/probe.sh", "args", "c"]', [[], [
            "/probe.sh",
            "args",
            "-o",
          ]]],
          ["ep-shell", 'ENTRYPOINT /probe.sh args "s p" -x\nCMD ["ignored"]', [[], ["more"]]],
          ["cmd-only", 'CMD ["/probe.sh", "args", "-c"]', [[], ["/probe.sh", "exit", "3"]]],
        ];
        for (const [name, lines, runs] of cases) {
          const pair = await buildPair(
            w,
            name,
            `FROM busybox-base\nCOPY probe.sh /probe.sh\n${lines}\n`,
            { "probe.sh": probe },
          );
          assertEquals((await entrypointOf(pair.wrapped))?.[0], RT[0], name);
          for (const args of runs) await sameRun(w, pair, args);
        }
      });

      for (const libc of ["glibc", "musl"] as const) {
        await t.step(`${libc} base: the inherited ENTRYPOINT is wrapped and behaves`, async () => {
          const base = await probeBase(libc);
          if (!base.ref) {
            console.error(`skipping the ${libc} base: ${base.why}`);
            return;
          }
          const pair = await buildPair(w, `${libc}`, `FROM ${base.ref}\nLABEL base=${libc}\n`);
          const ep = await entrypointOf(pair.wrapped);
          assertEquals(ep?.slice(RT.length), ["exec", "--exec-command-name", "/probe", "--"]);
          await behaves(w, pair, []);
        });
      }

      await t.step("a foreign platform is built unwrapped with a clear message", async () => {
        const ctx = join(w.dir, "foreign");
        await Deno.mkdir(ctx);
        await Deno.copyFile(probe, join(ctx, "probe.sh"));
        await Deno.writeTextFile(
          join(ctx, "Dockerfile"),
          'FROM --platform=linux/arm64 scratch\nCOPY probe.sh /probe.sh\nENTRYPOINT ["/probe.sh"]\n',
        );
        const ref = "chalk-wrap-foreign:test";
        w.images.push(ref);
        const b = await run(w.chalk, ["docker", "build", "-q", "-t", ref, "."], {
          cwd: ctx,
          env: w.env,
        });
        assertEquals(b.code, 0, b.stderr);
        assert(
          b.stderr.includes("cannot wrap ENTRYPOINT") && b.stderr.includes("linux/arm64"),
          b.stderr,
        );
        assertEquals(await entrypointOf(ref), ["/probe.sh"]);
        assert(await fileInImage(ref, "/chalk.json"), "still marked");
      });
    } finally {
      await removeImages(...w.images);
      await server.stop();
      await box.cleanup();
    }
  },
});
