/**
 * `chalk docker build` starts docker before its configuration loads (docker/prestart.ts): the
 * wrapped build adopts that docker, a run that ends before the build kills it before it read
 * anything, and a configuration that could move docker (`docker_exe`) gets no early docker.
 * A shell script stands in for docker (no daemon needed): it logs when it starts and what it
 * reads, and a configuration logs when it is evaluated, so the log's order says what ran first.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch, assertNotMatch } from "../_assert.ts";
import { CHALK, pathWithDeno, type Sandbox, sandbox } from "../e2e/_chalk.ts";

const STAND_IN = `#!/bin/sh
case "$1" in
build)
  echo "start build" >> "$LOG"
  iid=""
  while [ $# -gt 0 ]; do
    if [ "$1" = "--iidfile" ]; then iid="$2"; fi
    shift
  done
  data=$(cat)
  if [ -z "$data" ]; then
    echo "empty" >> "$LOG"
    echo "stand-in docker: the Dockerfile cannot be empty" >&2
    exit 1
  fi
  printf '%s\\n' "$data" > "$LOG.dockerfile"
  echo "got Dockerfile" >> "$LOG"
  printf 'sha256:%064d' 0 > "$iid"
  exit 0
  ;;
*)
  echo "other $1" >> "$LOG"
  exit 1
  ;;
esac
`;

interface Setup {
  box: Sandbox;
  log: string;
  context: string;
  env: Record<string, string>;
  chalk: (args: string[]) => Promise<{ code: number; stderr: string }>;
  events: () => Promise<string[]>;
}

async function withStandIn(fn: (s: Setup) => Promise<void>): Promise<void> {
  const box = await sandbox();
  try {
    const bin = join(box.work, "bin");
    await Deno.mkdir(bin);
    await Deno.writeTextFile(join(bin, "docker"), STAND_IN, { mode: 0o755 });
    const log = join(box.work, "docker.log");
    const context = join(box.work, "ctx");
    await Deno.mkdir(context);
    await Deno.writeTextFile(join(context, "Dockerfile"), "FROM scratch\nCOPY a /a\n");
    await Deno.writeTextFile(join(context, "a"), "a\n");
    const env = {
      ...box.env,
      PATH: pathWithDeno(`${bin}:/usr/bin:/bin`),
      LOG: log,
      DOCKER_BUILDKIT: "1",
      // Never the machine's daemon: chalk's inspect goes to the stand-in, which has nothing.
      DOCKER_HOST: `unix://${join(box.work, "no-daemon.sock")}`,
    };
    const chalk = async (args: string[]) => {
      const out = await new Deno.Command(CHALK, {
        args,
        cwd: context,
        env,
        clearEnv: true,
        stdout: "null",
        stderr: "piped",
      }).output();
      return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
    };
    const events = async () =>
      (await Deno.readTextFile(log).catch(() => "")).split("\n").filter((l) => l !== "");
    await fn({ box, log, context, env, chalk, events });
  } finally {
    await box.cleanup();
  }
}

/** A configuration file that logs when chalk evaluates it. */
async function loggingConfig(s: Setup, extra = ""): Promise<string> {
  const path = join(s.box.work, "logging.c4m");
  await Deno.writeTextFile(path, `logged := run("echo config >> ${s.log}")\n${extra}`);
  return path;
}

Deno.test("the wrapped build adopts the docker chalk started before its configuration", () =>
  withStandIn(async (s) => {
    const config = await loggingConfig(s);
    const r = await s.chalk(["--config-file", config, "docker", "build", "-t", "pre:1", "."]);
    assertEquals(r.code, 0, r.stderr);
    // One docker build, started before the configuration was evaluated, given chalk's Dockerfile.
    assertEquals((await s.events()).slice(0, 3), ["start build", "config", "got Dockerfile"]);
    assertEquals((await s.events()).filter((e) => e === "start build").length, 1);
    assertMatch(await Deno.readTextFile(`${s.log}.dockerfile`), /chalk\.json\.chalk/);
  }));

Deno.test("a run that ends before the build kills the early docker before it reads anything", () =>
  withStandIn(async (s) => {
    const config = join(s.box.work, "broken.c4m");
    await Deno.writeTextFile(config, "this is := not con4m (\n");
    const r = await s.chalk(["--config-file", config, "docker", "build", "-t", "pre:2", "."]);
    assert(r.code !== 0, "a broken configuration must fail the run");
    // The configuration error is chalk's one-line error, not docker's complaint about stdin.
    assertMatch(r.stderr, /broken\.c4m/);
    assertNotMatch(r.stderr, /cannot be empty/);
    // docker had started early, and was killed without reading a Dockerfile (empty or not).
    await new Promise((ok) => setTimeout(ok, 300));
    assertEquals(await s.events(), ["start build"]);
  }));

Deno.test("a configuration that names docker_exe gets no early docker", () =>
  withStandIn(async (s) => {
    const config = await loggingConfig(s, `docker_exe: "${join(s.box.work, "bin", "docker")}"\n`);
    const r = await s.chalk(["--config-file", config, "docker", "build", "-t", "pre:3", "."]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals((await s.events()).slice(0, 3), ["config", "start build", "got Dockerfile"]);
  }));

Deno.test("a signal before the build takes docker over ends chalk, not just the early docker", () =>
  withStandIn(async (s) => {
    // The configuration takes a second: the signal arrives while it loads.
    const config = join(s.box.work, "slow.c4m");
    await Deno.writeTextFile(config, 'slow := run("sleep 1")\n');
    const child = new Deno.Command(CHALK, {
      args: ["--config-file", config, "docker", "build", "-t", "pre:4", "."],
      cwd: s.context,
      env: s.env,
      clearEnv: true,
      stdout: "null",
      stderr: "null",
    }).spawn();
    for (let i = 0; i < 200 && !(await s.events()).includes("start build"); i++) {
      await new Promise((ok) => setTimeout(ok, 10));
    }
    child.kill("SIGINT");
    const status = await child.status;
    assertEquals(status.code, 130);
    // No build, and no plain rerun by the fail-safe.
    await new Promise((ok) => setTimeout(ok, 300));
    assertEquals(await s.events(), ["start build"]);
  }));

Deno.test("a build chalk will not wrap (no such context) gets no early docker", () =>
  withStandIn(async (s) => {
    const r = await s.chalk(["docker", "build", "-t", "pre:5", join(s.box.work, "missing")]);
    assert(r.code !== 0);
    // Only the fail-safe's plain run: docker checks the context before it reads a Dockerfile,
    // so an early docker would have said so once more.
    assertEquals((await s.events()).filter((e) => e === "start build").length, 1);
  }));
