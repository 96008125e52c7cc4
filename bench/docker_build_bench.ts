/**
 * `chalk docker build` against plain `docker build` on the same small context (issue 15;
 * targets: BuildKit cold ≤ 1.15×, BuildKit cached: chalk's added time ≤ 250 ms, legacy
 * builder cold ≤ 1.25×), alternating runs in one script so both see the same daemon state:
 *  - cold: `--no-cache` for both (every step runs),
 *  - cached: the user's steps cached. chalk's mark is new on every build, so its `COPY` step
 *    always runs: a plain build whose last step copies a file that changes every time
 *    ("plain + new file") shows what that one step costs the daemon by itself,
 *  - cold, "plain + chalk's 2 steps": a plain build of the same Dockerfile plus the two
 *    instructions chalk adds (a `LABEL` with a new value and the `COPY` of a new file), with
 *    no chalk at all: the least any chalk that adds them can take (the legacy builder
 *    commits a layer per instruction),
 *  - BuildKit's Dockerfile on stdin given late: plain cold builds whose Dockerfile arrives 0,
 *    50, 100, 150 ms after docker started. chalk can hand docker its Dockerfile only once the
 *    mark is composed (after Deno's start, the configuration, git): this shows from when on
 *    every millisecond of that lands in the build's time.
 *  - BuildKit cold, the least a Deno program can add: the same build plus chalk's two steps,
 *    its Dockerfile handed on stdin by a Deno script with no other work, once with docker
 *    spawned by that script (as chalk's JavaScript does) and once with docker started beside
 *    Deno by sh (a pipe: the Dockerfile comes at Deno's first line). chalk's distance to
 *    these is its own code's; their distance to plain is the runtime's.
 * chalk runs with the default configuration (labels, the mark; no wrapping). Needs a running
 * docker and busybox-base:latest (tests/docker/start_docker.sh); BuildKit needs a docker client
 * that builds with it (buildx, or BuildKit built in: /usr/bin/docker of Debian's docker.io).
 *
 * Usage: deno task build && BENCH_RUNS=5 deno run -A bench/docker_build_bench.ts
 * (BENCH_CHALK=path measures another build, e.g. an earlier commit's dist/chalk;
 * BENCH_ONLY=buildkit-cold,buildkit-cached,late,floors,legacy-cold,legacy-cached runs those)
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildKitDockerDir } from "../tests/docker/_docker.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "5");

const DOCKERFILE = `FROM busybox-base
WORKDIR /app
COPY app/ /app/
RUN sh -c 'for f in /app/*.sh; do sh -n "$f"; done; echo built > /app/BUILD'
ENV APP_MODE=production
ENTRYPOINT ["/app/main.sh"]
`;
/** The plain reference for chalk's own step: the same, plus a file that changes every build. */
const DOCKERFILE_NEW_FILE = `${DOCKERFILE}COPY stamp.txt /stamp.txt\n`;
/** The plain reference for chalk's two steps: a label whose value is new, then the new file. */
const DOCKERFILE_TWO_STEPS = `${DOCKERFILE}ARG STAMP\nLABEL run.bench.stamp=$STAMP\n` +
  `COPY stamp.txt /stamp.txt\n`;
const IMAGES = [
  "fs2-bench-plain",
  "fs2-bench-chalk",
  "fs2-bench-stamp",
  "fs2-bench-late",
  "fs2-bench-two",
];
const LATE_MS = [0, 50, 100, 150];
/** BENCH_ONLY: a comma-separated choice of the series below (all by default). */
const ONLY = Deno.env.get("BENCH_ONLY")?.split(",");
const want = (series: string) => ONLY === undefined || ONLY.includes(series);

async function makeContext(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-bench-docker-" });
  await Deno.mkdir(join(dir, "app"));
  await Deno.writeTextFile(join(dir, "Dockerfile"), DOCKERFILE);
  await Deno.writeTextFile(join(dir, "Dockerfile.stamp"), DOCKERFILE_NEW_FILE);
  await Deno.writeTextFile(join(dir, "Dockerfile.two"), DOCKERFILE_TWO_STEPS);
  await Deno.writeTextFile(join(dir, ".dockerignore"), "Dockerfile*\n");
  for (let i = 0; i < 20; i++) {
    await Deno.writeTextFile(join(dir, "app", `part${i}.sh`), `#!/bin/sh\necho part ${i}\n`, {
      mode: 0o755,
    });
  }
  await Deno.writeTextFile(join(dir, "app", "main.sh"), "#!/bin/sh\necho hello\n", { mode: 0o755 });
  const git = (args: string[]) =>
    new Deno.Command("git", { args, cwd: dir, stdout: "null", stderr: "null" }).output();
  await git(["-c", "init.defaultBranch=main", "init", "-q"]);
  await git(["add", "-A"]);
  await git(["-c", "user.name=Bench", "-c", "user.email=b@example.com", "commit", "-qm", "b"]);
  return dir;
}

let builderEnv: Record<string, string> = {};

async function timed(cmd: string, args: string[], cwd: string, home: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
    env: { ...Deno.env.toObject(), ...builderEnv, HOME: home },
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

/** A plain cold BuildKit build whose Dockerfile comes on stdin `lateMs` after docker started. */
async function timedLate(lateMs: number, cwd: string, home: string): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command("docker", {
    args: ["build", "-q", "--no-cache", "--network=none", "-f", "-", "-t", IMAGES[3], "."],
    cwd,
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
    env: { ...Deno.env.toObject(), ...builderEnv, HOME: home },
  }).spawn();
  await new Promise((r) => setTimeout(r, lateMs));
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(DOCKERFILE));
  await writer.close();
  const out = await child.output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`docker build -f - failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

/** The late-Dockerfile series (BuildKit cold), alternating delays; medians. */
async function lateSeries(dir: string, home: string): Promise<void> {
  const times = new Map(LATE_MS.map((d) => [d, [] as number[]]));
  await timedLate(0, dir, home); // warm-up
  for (let i = 0; i < RUNS; i++) {
    for (const d of LATE_MS) {
      times.get(d)!.push(await timedLate(d, dir, home));
      await untag(IMAGES[3], false);
    }
  }
  const base = median(times.get(0)!);
  const parts = LATE_MS.map((d) => {
    const m = median(times.get(d)!);
    return `+${d} ms: ${m.toFixed(0)} ms (${m - base >= 0 ? "+" : ""}${(m - base).toFixed(0)})`;
  });
  console.log(`BuildKit cold, plain, Dockerfile on stdin late | ${parts.join(" | ")}`);
}

/** Hands its first argument's text to `docker build -f -` it spawns itself. */
const SPAWN_SCRIPT = `const [file, ...args] = Deno.args;
const child = new Deno.Command("docker", { args, stdin: "piped", stdout: "null" }).spawn();
const w = child.stdin.getWriter();
await w.write(Deno.readFileSync(file));
await w.close();
Deno.exit((await child.status).code);
`;
/** Writes its first argument's text to stdout (sh pipes it to docker). */
const EMIT_SCRIPT = "Deno.stdout.writeSync(Deno.readFileSync(Deno.args[0]));\n";

/**
 * BuildKit cold: plain, the two Deno floors (see the module's doc), chalk; alternating,
 * medians, each against plain.
 */
async function denoFloorSeries(dir: string, home: string, chalk: string): Promise<void> {
  await Deno.writeTextFile(join(home, "spawn.js"), SPAWN_SCRIPT);
  await Deno.writeTextFile(join(home, "emit.js"), EMIT_SCRIPT);
  const deno = [Deno.execPath(), "run", "-A", "--no-check", "--no-config"];
  const build = (stamp: string) => [
    "build",
    "-q",
    "--no-cache",
    "--network=none",
    "-f",
    "-",
    "--build-arg",
    `STAMP=${stamp}`,
    "-t",
    IMAGES[4],
    ".",
  ];
  const fresh = async () => {
    const stamp = crypto.randomUUID();
    await Deno.writeTextFile(join(dir, "stamp.txt"), `${stamp}\n`);
    return stamp;
  };
  const two = join(dir, "Dockerfile.two");
  const runs: Record<string, () => Promise<number>> = {
    plain: () =>
      timed(
        "docker",
        ["build", "-q", "--no-cache", "--network=none", "-t", IMAGES[0], "."],
        dir,
        home,
      ),
    "Deno spawns docker": async () =>
      timed(
        deno[0],
        [...deno.slice(1), join(home, "spawn.js"), two, ...build(await fresh())],
        dir,
        home,
      ),
    "sh starts docker beside Deno": async () => {
      const emit = [...deno, join(home, "emit.js"), two].map(shQuote).join(" ");
      const docker = ["docker", ...build(await fresh())].map(shQuote).join(" ");
      return await timed("sh", ["-c", `${emit} | ${docker}`], dir, home);
    },
    chalk: () =>
      timed(
        chalk,
        ["docker", "build", "-q", "--no-cache", "--network=none", "-t", IMAGES[1], "."],
        dir,
        home,
      ),
  };
  const times: Record<string, number[]> = {};
  for (const [k, run] of Object.entries(runs)) {
    times[k] = [];
    await run(); // warm-up
  }
  for (let i = 0; i < RUNS; i++) {
    for (const [k, run] of Object.entries(runs)) {
      times[k].push(await run());
      await untag(k === "plain" ? IMAGES[0] : k === "chalk" ? IMAGES[1] : IMAGES[4], false);
    }
  }
  const p = median(times.plain);
  const parts = Object.keys(runs).map((k) => {
    const m = median(times[k]);
    return k === "plain"
      ? `plain ${m.toFixed(0)} ms`
      : `${k} ${m.toFixed(0)} ms (${(m / p).toFixed(2)}×, +${(m - p).toFixed(0)})`;
  });
  console.log(`BuildKit cold, the floors | ${parts.join(" | ")}`);
}

function shQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** Removes a tag's image; `keepParents` keeps the cached layers below it (cached runs). */
async function untag(tag: string, keepParents: boolean): Promise<void> {
  await new Deno.Command("docker", {
    args: keepParents ? ["rmi", "--no-prune", tag] : ["rmi", tag],
    stdout: "null",
    stderr: "null",
  }).output();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * One regime: plain, chalk and plain + chalk's 2 steps (cold) or plain + new file (cached),
 * alternating; the medians.
 */
async function regime(
  builder: string,
  name: string,
  extra: string[],
  dir: string,
  home: string,
  chalk: string,
): Promise<void> {
  const cold = extra.includes("--no-cache");
  const base = ["build", "-q", ...extra];
  const runs = {
    plain: () => timed("docker", [...base, "-t", IMAGES[0], "."], dir, home),
    chalk: () => timed(chalk, ["docker", ...base, "-t", IMAGES[1], "."], dir, home),
    stamp: async () => {
      await Deno.writeTextFile(join(dir, "stamp.txt"), `${crypto.randomUUID()}\n`);
      return await timed(
        "docker",
        [...base, "-f", "Dockerfile.stamp", "-t", IMAGES[2], "."],
        dir,
        home,
      );
    },
    two: async () => {
      const stamp = crypto.randomUUID();
      await Deno.writeTextFile(join(dir, "stamp.txt"), `${stamp}\n`);
      const args = [...base, "-f", "Dockerfile.two", "--build-arg", `STAMP=${stamp}`];
      return await timed("docker", [...args, "-t", IMAGES[4], "."], dir, home);
    },
  };
  const order: (keyof typeof runs)[] = cold
    ? ["plain", "chalk", "two"]
    : ["plain", "chalk", "stamp"];
  const image = { plain: IMAGES[0], chalk: IMAGES[1], stamp: IMAGES[2], two: IMAGES[4] };
  const times: Record<string, number[]> = {};
  for (const k of order) {
    times[k] = [];
    await runs[k](); // warm-up: page cache, daemon, the cached steps
  }
  for (let i = 0; i < RUNS; i++) {
    for (const k of order) {
      times[k].push(await runs[k]());
      // A cold or chalked image is new each time: untag it (keeping its parents when cached).
      if (cold || k !== "plain") await untag(image[k], !cold);
    }
  }
  const p = median(times.plain);
  const c = median(times.chalk);
  const parts = [
    `${builder.padEnd(8)} ${name.padEnd(6)} plain ${p.toFixed(0).padStart(5)} ms`,
    `chalk ${c.toFixed(0).padStart(5)} ms`,
    `ratio ${(c / p).toFixed(2)}×`,
    `added ${(c - p).toFixed(0)} ms`,
  ];
  if (cold) {
    const t = median(times.two);
    parts.push(
      `(plain + chalk's 2 steps ${t.toFixed(0)} ms: ${(t / p).toFixed(2)}×, +${
        (t - p).toFixed(0)
      } ms, no chalk)`,
    );
  } else {
    const s = median(times.stamp);
    parts.push(
      `(plain + new file ${s.toFixed(0)} ms: the new step alone adds ${(s - p).toFixed(0)} ms)`,
    );
  }
  console.log(parts.join(" | "));
}

const dir = await makeContext();
const home = await Deno.makeTempDir({ prefix: "chalk-bench-home-" });
const chalk = join(home, "chalk");
// BENCH_CHALK: another build to measure (an earlier commit's dist/chalk, to compare).
await Deno.copyFile(Deno.env.get("BENCH_CHALK") ?? join(ROOT, "dist", "chalk"), chalk);
await Deno.chmod(chalk, 0o755);
try {
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  console.log(`medians of ${RUNS} alternating runs (load average ${load}); chalk adds 2 steps`);
  const bk = await buildKitDockerDir();
  if (bk) {
    builderEnv = { DOCKER_BUILDKIT: "1", PATH: `${bk}:${Deno.env.get("PATH")}` };
    if (want("buildkit-cold")) {
      await regime("BuildKit", "cold", ["--no-cache", "--network=none"], dir, home, chalk);
    }
    if (want("buildkit-cached")) {
      await regime("BuildKit", "cached", ["--network=none"], dir, home, chalk);
    }
    if (want("late")) await lateSeries(dir, home);
    if (want("floors")) await denoFloorSeries(dir, home, chalk);
  } else console.log("BuildKit: skipped (no docker client here builds with it)");
  builderEnv = { DOCKER_BUILDKIT: "0" };
  if (want("legacy-cold")) {
    await regime("legacy", "cold", ["--no-cache", "--network=none"], dir, home, chalk);
  }
  if (want("legacy-cached")) {
    await regime("legacy", "cached", ["--network=none"], dir, home, chalk);
  }
} finally {
  await new Deno.Command("docker", {
    args: ["rmi", "-f", ...IMAGES],
    stdout: "null",
    stderr: "null",
  }).output();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(home, { recursive: true });
}
