/**
 * The bundle's sh prologue (scripts/sh_prologue.ts) hands a docker command chalk does not
 * process straight to docker without starting Deno, and leaves every case it cannot decide to
 * Deno, whose fast path or full path then gives the answer chalk always gave. A `deno` first
 * on PATH that logs each start and runs the real one tells the two paths apart.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, DENO_BIN_DIR, privateChalk, run, type RunResult, sandbox } from "./_chalk.ts";
import { CHALK_V8_FLAGS } from "../../internal/v8_flags.ts";

interface World {
  work: string;
  home: string;
  bin: string;
  env: Record<string, string>;
  /** Starts of Deno so far. */
  denoStarts(): Promise<number>;
  /** The arguments of each start of Deno so far. */
  denoArgs(): Promise<string[]>;
  cleanup(): Promise<void>;
}

async function script(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text);
  await Deno.chmod(path, 0o755);
}

/** A fake docker in `<work>/bin` that prints its arguments and PID, and exits with 3. */
async function world(): Promise<World> {
  const box = await sandbox();
  const bin = join(box.work, "bin");
  const denoDir = join(box.work, "deno-bin");
  await Deno.mkdir(bin);
  await Deno.mkdir(denoDir);
  const log = join(box.work, "deno-starts");
  await script(
    join(denoDir, "deno"),
    `#!/bin/sh\necho "$*" >> '${log}'\nexec '${DENO_BIN_DIR}/deno' "$@"\n`,
  );
  await script(
    join(bin, "docker"),
    '#!/bin/sh\necho "docker $* pid=$$ hop=${CHALK_TS_DOCKER_HOP-}"\nexit 3\n',
  );
  const env = { ...box.env, PATH: `${denoDir}:${bin}:/usr/bin:/bin` };
  return {
    work: box.work,
    home: box.home,
    bin,
    env,
    denoArgs: async () => {
      try {
        return (await Deno.readTextFile(log)).split("\n").filter((l) => l !== "");
      } catch {
        return [];
      }
    },
    denoStarts: async () => {
      try {
        return (await Deno.readTextFile(log)).length;
      } catch {
        return 0;
      }
    },
    cleanup: box.cleanup,
  };
}

/** A copy of dist/chalk named `docker` in a new folder `dir`; returns `dir`. */
async function chalkAsDocker(dir: string): Promise<string> {
  await Deno.mkdir(dir);
  await Deno.copyFile(CHALK, join(dir, "docker"));
  await Deno.chmod(join(dir, "docker"), 0o755);
  return dir;
}

async function chalkIn(w: World, chalk: string, args: string[], cwd = w.work): Promise<RunResult> {
  return await run(chalk, args, { cwd, env: w.env });
}

Deno.test("sh prologue: docker ps reaches docker without Deno, same PID, args and status", async () => {
  const w = await world();
  try {
    const child = new Deno.Command(CHALK, {
      args: ["docker", "ps", "-a", "--format", "{{.ID}} $HOME"],
      cwd: w.work,
      env: w.env,
      clearEnv: true,
      stdout: "piped",
    }).spawn();
    const out = await child.output();
    assertEquals(
      [out.code, new TextDecoder().decode(out.stdout)],
      [3, `docker ps -a --format {{.ID}} $HOME pid=${child.pid} hop=1\n`],
    );
    assertEquals(await w.denoStarts(), 0);
  } finally {
    await w.cleanup();
  }
});

Deno.test("sh prologue: a chalk named docker passes through too, skipping itself", async () => {
  const w = await world();
  try {
    const own = await chalkAsDocker(join(w.work, "own"));
    const env = { ...w.env, PATH: `${own}:${w.env.PATH}` };
    const r = await run("docker", ["images"], { cwd: w.work, env });
    assertEquals([r.code, r.stdout.split(" pid")[0]], [3, "docker images"]);
    assertEquals(await w.denoStarts(), 0);
  } finally {
    await w.cleanup();
  }
});

Deno.test("sh prologue: what it cannot decide goes to Deno, with chalk's usual answer", async () => {
  const w = await world();
  try {
    const chalk = await privateChalk(w.work);
    let starts = 0;
    const expectDeno = async (label: string, args: string[], stdout: string, cwd?: string) => {
      const r = await chalkIn(w, chalk, args, cwd);
      assertEquals(
        [r.code, r.stdout.replace(/ pid=\d+/, "")],
        [3, stdout],
        `${label}: ${r.stderr}`,
      );
      const now = await w.denoStarts();
      assert(now > starts, `${label}: Deno did not start`);
      starts = now;
    };
    // Deno's fast path passes these through (hop empty: the prologue did not).
    await expectDeno("push --help", ["docker", "push", "--help"], "docker push --help hop=\n");
    await expectDeno("image ls", ["docker", "image", "ls"], "docker image ls hop=\n");
    await expectDeno("docker flag first", ["docker", "--debug", "ps"], "docker --debug ps hop=\n");
    await expectDeno(
      "chalk flag first",
      ["--log-level", "error", "docker", "ps"],
      "docker ps hop=\n",
    );
    // A chalk.c4m in the folder could move docker: Deno reads it (this one does not).
    const sub = join(w.work, "sub");
    await Deno.mkdir(sub);
    await Deno.writeTextFile(join(sub, "chalk.c4m"), 'log_level: "error"\n');
    await expectDeno("chalk.c4m here", ["docker", "ps"], "docker ps hop=\n", sub);
    // An embedded configuration that names docker_exe moves docker.
    const other = join(w.work, "other");
    await Deno.mkdir(other);
    await script(join(other, "docker"), '#!/bin/sh\necho "other $*"\nexit 3\n');
    const moving = join(w.work, "moving.c4m");
    await Deno.writeTextFile(moving, `docker_exe: "${other}"\n`);
    const loaded = await chalkIn(w, chalk, ["load", moving]);
    assertEquals(loaded.code, 0, loaded.stderr);
    starts = await w.denoStarts();
    await expectDeno("embedded docker_exe", ["docker", "ps"], "other ps\n");
    // One that does not: the prologue passes through again.
    const quiet = join(w.work, "quiet.c4m");
    await Deno.writeTextFile(quiet, 'log_level: "error"\n');
    assertEquals((await chalkIn(w, chalk, ["load", quiet])).code, 0);
    starts = await w.denoStarts();
    const r = await chalkIn(w, chalk, ["docker", "ps"]);
    assertEquals([r.code, r.stdout.replace(/ pid=\d+/, "")], [3, "docker ps hop=1\n"]);
    assertEquals(await w.denoStarts(), starts);
  } finally {
    await w.cleanup();
  }
});

Deno.test("sh prologue: a docker that is another chalk is left to Deno, which skips it", async () => {
  const w = await world();
  try {
    const first = await chalkAsDocker(join(w.work, "first"));
    const env = { ...w.env, PATH: `${first}:${w.env.PATH}` };
    const r = await run(CHALK, ["docker", "ps"], { cwd: w.work, env });
    assertEquals([r.code, r.stdout.replace(/ pid=\d+/, "")], [3, "docker ps hop=\n"], r.stderr);
    assert(await w.denoStarts() > 0);
    // A command that arrives with the hop already set (from another chalk's prologue) too.
    const hop = await run(CHALK, ["docker", "ps"], {
      cwd: w.work,
      env: { ...w.env, CHALK_TS_DOCKER_HOP: "1" },
    });
    assertEquals([hop.code, hop.stdout.replace(/ pid=\d+/, "")], [3, "docker ps hop=\n"]);
  } finally {
    await w.cleanup();
  }
});

Deno.test("sh prologue: no docker on PATH is Deno's error, as before", async () => {
  const w = await world();
  try {
    await Deno.remove(join(w.bin, "docker"));
    const r = await run(CHALK, ["docker", "ps"], {
      cwd: w.work,
      env: { ...w.env, PATH: `${w.env.PATH.split(":")[0]}:${w.bin}` },
    });
    assertEquals(r.code !== 0, true);
    assert(r.stderr.includes("docker command is missing"), r.stderr);
    assert(await w.denoStarts() > 0);
  } finally {
    await w.cleanup();
  }
});

Deno.test("sh prologue: Deno starts with chalk's V8 flags (a young generation capped at 8 MB)", async () => {
  const w = await world();
  try {
    const chalk = await privateChalk(w.work);
    const r = await chalkIn(w, chalk, ["version"]);
    assertEquals(r.code, 0, r.stderr);
    const starts = await w.denoArgs();
    assertEquals(starts.length, 1);
    assert(starts[0].includes(`--v8-flags=${CHALK_V8_FLAGS} `), starts[0]);
    assert(CHALK_V8_FLAGS.includes("--max-semi-space-size=8"), "the young generation never grows");
  } finally {
    await w.cleanup();
  }
});
