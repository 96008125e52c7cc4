/**
 * Entrypoint wrapping (docs/docker.md, "Entrypoint wrapping"): the decision
 * (pure) and real wrapped images on three bases — busybox-static (no libc),
 * glibc and musl — that behave exactly like their unwrapped builds (argv with
 * dashes, exit codes, SIGTERM, stdin, PID 1) while each start is reported.
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
import {
  collectRuntime,
  parseLdd,
  RUNTIME_ENV_VARS,
  RUNTIME_MTIME,
  runtimeArgv,
  RuntimeUnavailableError,
  stageRuntime,
} from "../../docker/chalk_runtime_bundle.ts";
import { ROOT, run, sandbox } from "../e2e/_chalk.ts";
import { type ServerProcess, startServer } from "../server/_server.ts";
import { docker, dockerUnavailable, fileInImage, removeImages } from "./_docker.ts";
import { dockerRun, loadedChalk, postConfig, probeBase, waitFor } from "./_wrap.ts";
import { RUNTIME_OWN_ENV } from "../../internal/container_contract.ts";

type Json = Record<string, unknown>;

const RT = runtimeArgv("ld-linux-x86-64.so.2");
/** Image tags of this run: several test runs may share the daemon. */
const RUN_TAG = `t${crypto.randomUUID().slice(0, 8)}`;

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
    'COPY ["chalk-runtime.chalk","/"]',
  ]);
});

Deno.test("planWrap with the native init: the init, its wait, the reporter, then the whole ENTRYPOINT", () => {
  const file = parseDockerfile('FROM a\nENTRYPOINT ["/hi.sh", "-x"]\nCMD ["--y"]\n');
  const inputs = {
    dockerfile: file,
    stage: targetStage(file),
    base: {},
    runtimeArgv: RT,
    runtimeSource: "chalk-runtime.chalk",
    wrapCmd: true,
    init: { path: "/.chalk/chalk-init", wait: { ms: 1500, quiet: false } },
  };
  const p = planWrap(inputs);
  assert(p.wrapped);
  const head = ["/.chalk/chalk-init", "1500", ...RT, "__init-report", "0000000000", "--"];
  assertEquals(p.entrypoint, [...head, "/hi.sh", "-x"]);
  assertEquals(p.cmd, ["--y"]);
  const quiet = planWrap({ ...inputs, init: { ...inputs.init, wait: { ms: 0, quiet: true } } });
  assert(quiet.wrapped && quiet.entrypoint[1] === "0q");
  // A CMD alone follows the init's `--`.
  const cmdFile = parseDockerfile('FROM a\nCMD ["/p", "a"]\n');
  const cmdOnly = planWrap({ ...inputs, dockerfile: cmdFile, stage: targetStage(cmdFile) });
  assert(cmdOnly.wrapped);
  assertEquals([cmdOnly.entrypoint, cmdOnly.cmd], [head, ["/p", "a"]]);
  // Never wrapped twice: the init's path is under /.chalk.
  const again = plan("FROM a\n", { entrypoint: cmdOnly.entrypoint });
  assert(!again.wrapped && again.alreadyWrapped);
});

Deno.test("planWrap adds no build step of its own after the runtime's COPY", () => {
  // The code cache comes with the shared runtime layer: no RUN makes a per-image copy of it.
  for (const user of ["", "app", undefined]) {
    const p = plan("FROM a\nRUN x\n", { entrypoint: ["/e"], user }) as { lines: string[] };
    assertEquals(p.lines.at(-1), 'COPY ["chalk-runtime.chalk","/"]');
    assertEquals(p.lines.filter((l) => l.startsWith("RUN")), []);
  }
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

Deno.test('planWrap treats ENTRYPOINT [] and [""] as none and wraps the CMD', () => {
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

Deno.test("collectRuntime and stageRuntime assemble Deno, its loader and libraries, and chalk", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-runtime-" });
  try {
    const rt = await collectRuntime({ path: join(ROOT, "dist/chalk"), kind: "bundle" });
    const dests = rt.files.map((f) => f.dest);
    for (const want of ["deno", "lib/libc.so.6"]) assert(dests.includes(want), want);
    // dist/chalk has no key: the program goes in as it is.
    assertEquals(rt.program, Deno.readFileSync(join(ROOT, "dist/chalk")));
    assertEquals(rt.argv[0], rt.loader);
    assertEquals(rt.argv.at(-1), "/.chalk/chalk");
    stageRuntime(rt, join(dir, "rt"));
    for (const f of rt.files) {
      const st = Deno.statSync(join(dir, "rt", f.dest));
      assertEquals(st.size, Deno.statSync(f.source).size, f.dest);
      assertEquals((st.mode ?? 0) & 0o777, f.mode, f.dest);
    }
    const program = Deno.statSync(join(dir, "rt", "chalk"));
    assertEquals([(program.mode ?? 0) & 0o777, program.mtime?.getTime(), program.size], [
      0o755,
      RUNTIME_MTIME.getTime(),
      rt.program.length,
    ]);
    // The native init is staged whatever the configuration, executable, at the fixed time.
    const init = Deno.statSync(join(dir, "rt", "chalk-init"));
    assertEquals([(init.mode ?? 0) & 0o777, init.mtime?.getTime()], [
      0o755,
      RUNTIME_MTIME.getTime(),
    ]);
    assertEquals(Deno.readFileSync(join(dir, "rt", "chalk-init")), rt.init);
    const env = Deno.readTextFileSync(join(dir, "rt", "runtime.env"));
    assert(env.includes("DENO_DIR=/.chalk/cache\n") && env.includes("DENO_DISABLE_NODE_SHIM=1"));
    // No release check of Deno's from a wrapped workload's container (internal/quiet_deno.ts).
    assert(env.includes("DENO_NO_UPDATE_CHECK=1\n"), env);
    assert(Deno.statSync(join(dir, "rt", "cache")).isDirectory);
    // The staged runtime starts chalk on this host exactly as it will in the image.
    const out = await run(join(dir, "rt", rt.loader.split("/").pop()!), [
      "--library-path",
      join(dir, "rt", "lib"),
      join(dir, "rt", "deno"),
      "run",
      "-A",
      "--no-config",
      join(dir, "rt", "chalk"),
      "version",
    ]);
    assertEquals(out.code, 0, out.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collectRuntime refuses a chalk run from source or compiled", async () => {
  for (const kind of ["source", "compiled"] as const) {
    let err: unknown;
    try {
      await collectRuntime({ path: "/x", kind });
    } catch (e) {
      err = e;
    }
    assert(err instanceof RuntimeUnavailableError, kind);
  }
});

// ----- real docker --------------------------------------------------------------------------

interface World {
  server: ServerProcess;
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
  chalk: string = w.chalk,
): Promise<{ wrapped: string; plain: string; stderr: string }> {
  const ctx = join(w.dir, name);
  await Deno.mkdir(ctx);
  for (const [to, from] of Object.entries(files)) {
    await Deno.copyFile(from, join(ctx, to));
    await Deno.chmod(join(ctx, to), 0o755);
  }
  await Deno.writeTextFile(join(ctx, "Dockerfile"), dockerfile);
  const wrapped = `chalk-wrap-${name}:${RUN_TAG}`;
  const plain = `chalk-plain-${name}:${RUN_TAG}`;
  w.images.push(wrapped, plain);
  const b = await run(chalk, ["docker", "build", "-q", "-t", wrapped, "."], {
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
  const all = await w.server.getJson("/execs");
  return all.filter((r) =>
    r._OPERATION === "exec" && (r._CHALKS as Json[] | undefined)?.[0]?.CHALK_ID === chalkId
  );
}

/** SIGTERM through `docker stop` and SIGKILL through `docker kill`, on a detached container. */
async function signals(ref: string, termArgs: string[]): Promise<void> {
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
    await waitFor(
      20_000,
      async () => (await run("docker", ["logs", id2])).stdout.includes("ready") ? true : undefined,
    );
    await docker(["kill", id2]);
    assertEquals((await docker(["wait", id2])).trim(), "137");
  } finally {
    await run("docker", ["rm", "-f", id2]);
  }
}

/** The behaviour checks every base must pass. */
async function behaves(
  pair: { wrapped: string; plain: string },
  prefix: string[],
): Promise<void> {
  const args = await sameRun(pair, [...prefix, "args", "-a", "--b", "--", "x y", "", "-"]);
  assertEquals(args.stdout, "[-a]\n[--b]\n[--]\n[x y]\n[]\n[-]\n");
  assertEquals((await sameRun(pair, [...prefix, "exit", "0"])).code, 0);
  assertEquals((await sameRun(pair, [...prefix, "exit", "1"])).code, 1);
  assertEquals((await sameRun(pair, [...prefix, "exit", "137"])).code, 137);
  assertEquals((await sameRun(pair, [...prefix, "pid"])).stdout, "pid 1\n");
  const text = "line one\n-- two --\n";
  assertEquals((await sameRun(pair, [...prefix, "stdin"], text)).stdout, text);
  await signals(pair.wrapped, [...prefix, "term"]);
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
    const server = await startServer({ dir: box.work });
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
        await behaves(pair, []);
        // A run long enough for the reporter: its exec report names the image's CHALK_ID.
        const chalkId = (await markOf(pair.wrapped)).CHALK_ID as string;
        assertEquals((await sameRun(pair, ["sleep", "2"])).stdout, "started\n");
        // Earlier runs of the same image (the `term` probe above) may have reported too:
        // pick this run's report by its argv.
        const ranSleep = (r: Json) =>
          ((r._CHALKS as Json[])[0]._PROCESS_ARGV as string[]).slice(-2).join(" ") === "sleep 2";
        const reports = await waitFor(5_000, async () => {
          const r = (await execReportsFor(w, chalkId)).filter(ranSleep);
          return r.length > 0 ? r : undefined;
        });
        assert(reports, "exec report received");
        const chalk = (reports[0]._CHALKS as Json[])[0];
        assertEquals(chalk._PROCESS_PID, 1);
        // The kernel ran the script through its `#!` line: [/bin/sh, /probe.sh, sleep, 2].
        assertEquals((chalk._PROCESS_ARGV as string[]).slice(-3), ["/probe.sh", "sleep", "2"]);
        assertEquals(chalk._OP_ARTIFACT_PATH, "/probe.sh");
        // The workload's environment is the unwrapped one: PATH untouched (no Deno `node`
        // shim), no CHALK_TS_RUNTIME. The variables chalk's env file sets for itself are
        // tolerated until `chalk exec` drops the ones CHALK_TS_RUNTIME_ENV names.
        const envOf = async (ref: string) =>
          (await dockerRun([ref, "env"])).stdout.split("\n")
            .filter((l) => l !== "" && !l.startsWith("HOSTNAME="));
        const own = new Set([...Object.keys(RUNTIME_ENV_VARS), RUNTIME_OWN_ENV]);
        const wrappedEnv = await envOf(pair.wrapped);
        assertEquals(
          wrappedEnv.filter((l) => !own.has(l.split("=")[0])),
          await envOf(pair.plain),
        );
        const image = await dockerRun(["--entrypoint", "/bin/env", pair.wrapped]);
        assert(image.stdout.includes("CHALK_TS_RUNTIME="), "image ENV present for chalk");
      });

      await t.step("an already wrapped base is not wrapped twice", async () => {
        const ctx = join(w.dir, "rewrap");
        await Deno.mkdir(ctx);
        await Deno.writeTextFile(
          join(ctx, "Dockerfile"),
          `FROM chalk-wrap-busybox:${RUN_TAG}\nLABEL again=yes\n`,
        );
        const ref = `chalk-wrap-rewrap:${RUN_TAG}`;
        w.images.push(ref);
        const b = await run(w.chalk, ["docker", "build", "-q", "-t", ref, "."], {
          cwd: ctx,
          env: w.env,
        });
        assertEquals(b.code, 0, b.stderr);
        assertEquals(await entrypointOf(ref), await entrypointOf(`chalk-wrap-busybox:${RUN_TAG}`));
        // The base's wrapping steps and no new ones.
        const chalkSteps = async (image: string) =>
          (await docker(["history", "--no-trunc", "--format", "{{.CreatedBy}}", image]))
            .split("\n").filter((l) => l.includes("/.chalk")).length;
        assertEquals(await chalkSteps(ref), await chalkSteps(`chalk-wrap-busybox:${RUN_TAG}`));
        // ENV and ENTRYPOINT; the runtime's COPY goes to `/` (its folder holds .chalk), code
        // cache included, so no build step of chalk's runs in the image.
        assertEquals(await chalkSteps(ref), 2);
        const out = await dockerRun([ref, "args", "-z"]);
        assertEquals([out.code, out.stdout], [0, "[-z]\n"]);
        assertEquals(
          (await markOf(ref)).CHALK_ID !== (await markOf(`chalk-wrap-busybox:${RUN_TAG}`)).CHALK_ID,
          true,
        );
      });

      await t.step('ENTRYPOINT edge cases: [], [""], shell form, CMD only', async () => {
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
          for (const args of runs) await sameRun(pair, args);
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
          await behaves(pair, []);
        });
      }

      await t.step("chalk_as_parent: an instant exit under --rm is still reported", async () => {
        const dir = join(w.dir, "as-parent-chalk");
        await Deno.mkdir(dir);
        const parentChalk = await loadedChalk(
          dir,
          postConfig(server.url, "exec.chalk_as_parent: true\n"),
          w.env,
        );
        const pair = await buildPair(
          w,
          "as-parent",
          'FROM busybox-base\nCOPY probe.sh /probe.sh\nENTRYPOINT ["/probe.sh"]\n',
          { "probe.sh": probe },
          parentChalk,
        );
        assertEquals((await sameRun(pair, ["exit", "5"])).code, 5);
        assertEquals((await sameRun(pair, ["args", "-q"])).stdout, "[-q]\n");
        const chalkId = (await markOf(pair.wrapped)).CHALK_ID as string;
        const reports = await waitFor(5_000, async () => {
          const r = await execReportsFor(w, chalkId);
          return r.length >= 2 ? r : undefined;
        });
        assert(reports, "both instant runs were reported");
      });

      await t.step("a foreign platform is built unwrapped with a clear message", async () => {
        const ctx = join(w.dir, "foreign");
        await Deno.mkdir(ctx);
        await Deno.copyFile(probe, join(ctx, "probe.sh"));
        await Deno.writeTextFile(
          join(ctx, "Dockerfile"),
          'FROM --platform=linux/arm64 scratch\nCOPY probe.sh /probe.sh\nENTRYPOINT ["/probe.sh"]\n',
        );
        const ref = `chalk-wrap-foreign:${RUN_TAG}`;
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
