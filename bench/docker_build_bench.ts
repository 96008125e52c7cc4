/**
 * `chalk docker build` against plain `docker build` on the same small
 * context (issue 7, Performance; target ≤ 1.15×), alternating runs in one
 * script so both see the same daemon state. Two regimes:
 *  - cold: `--no-cache` for both (every step runs),
 *  - warm: the user's steps cached (chalk's own steps never are: each mark is new).
 * Prints medians and the ratio. Needs a running docker and busybox-base:latest
 * (tests/docker/start_docker.sh).
 *
 * Usage: deno task build && deno run -A bench/docker_build_bench.ts
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "5");

const DOCKERFILE = `FROM busybox-base
WORKDIR /app
COPY app/ /app/
RUN sh -c 'for f in /app/*.sh; do sh -n "$f"; done; echo built > /app/BUILD'
ENV APP_MODE=production
ENTRYPOINT ["/app/main.sh"]
`;

async function makeContext(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-bench-docker-" });
  await Deno.mkdir(join(dir, "app"));
  await Deno.writeTextFile(join(dir, "Dockerfile"), DOCKERFILE);
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

/** Removes a tag's image; `keepParents` keeps the cached layers below it (warm runs). */
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

async function regime(name: string, extra: string[], dir: string, home: string): Promise<void> {
  const plain: number[] = [];
  const chalk: number[] = [];
  // One untimed round each so both start warm (page cache, daemon).
  await timed("docker", ["build", "-q", ...extra, "-t", "chalk-bench-plain", "."], dir, home);
  await timed(
    CHALK,
    ["docker", "build", "-q", ...extra, "-t", "chalk-bench-chalk", "."],
    dir,
    home,
  );
  const cold = extra.includes("--no-cache");
  await untag("chalk-bench-chalk", !cold);
  for (let i = 0; i < RUNS; i++) {
    plain.push(
      await timed("docker", ["build", "-q", ...extra, "-t", "chalk-bench-plain", "."], dir, home),
    );
    chalk.push(
      await timed(
        CHALK,
        ["docker", "build", "-q", ...extra, "-t", "chalk-bench-chalk", "."],
        dir,
        home,
      ),
    );
    // Each chalked (or uncached) image is new: untag it, keeping its parent layers, so that
    // no image is left dangling.
    await untag("chalk-bench-chalk", !cold);
    if (cold) await untag("chalk-bench-plain", false);
  }
  const p = median(plain), c = median(chalk);
  console.log(
    `${name.padEnd(6)} plain docker build ${p.toFixed(0).padStart(6)} ms | ` +
      `chalk docker build ${c.toFixed(0).padStart(6)} ms | ratio ${(c / p).toFixed(2)}x ` +
      `(median of ${RUNS}, target <= 1.15x)`,
  );
}

/** A docker client dir whose `docker build` uses built-in BuildKit with DOCKER_BUILDKIT=1. */
async function buildkitDir(): Promise<string | undefined> {
  for (const dir of ["/usr/bin", "/usr/local/bin"]) {
    const out = await new Deno.Command(`${dir}/docker`, {
      args: ["build", "-q", "-"],
      env: { DOCKER_BUILDKIT: "1" },
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const w = out.stdin.getWriter();
    await w.write(new TextEncoder().encode("FROM busybox-base\n"));
    await w.close();
    const done = await out.output();
    if (done.success) {
      await untag(new TextDecoder().decode(done.stdout).trim(), false);
      return dir;
    }
  }
  return undefined;
}

const dir = await makeContext();
const home = await Deno.makeTempDir({ prefix: "chalk-bench-home-" });
try {
  console.log("legacy builder (docker on PATH):");
  await regime("cold", ["--no-cache", "--network=none"], dir, home);
  await regime("warm", ["--network=none"], dir, home);
  const bk = await buildkitDir().catch(() => undefined);
  if (bk) {
    builderEnv = { DOCKER_BUILDKIT: "1", PATH: `${bk}:${Deno.env.get("PATH")}` };
    console.log(`BuildKit (${bk}/docker, DOCKER_BUILDKIT=1):`);
    await regime("cold", ["--no-cache", "--network=none"], dir, home);
    await regime("warm", ["--network=none"], dir, home);
  }
} finally {
  await new Deno.Command("docker", {
    args: ["rmi", "-f", "chalk-bench-plain", "chalk-bench-chalk"],
    stdout: "null",
    stderr: "null",
  }).output();
  await Deno.remove(dir, { recursive: true });
  await Deno.remove(home, { recursive: true });
}
