/**
 * Start-up cost of entrypoint wrapping (issue 15; target ≤ 1.3×): the time from `docker run`
 * to the workload's first byte of output, alternating runs in one script, for
 *   plain     the same Dockerfile built without chalk,
 *   bypass    the wrapped image with chalk bypassed (`--entrypoint /hi.sh`): what the bigger
 *             image alone costs (the vfs storage driver copies every file per container),
 *   no-wait   the wrapped image with `--report-wait=0`: the report is sent after the exec,
 *   wrapped   the wrapped image as built (chalk, as PID 1, delivers the report before the
 *             workload starts, at most `exec.report_wait`),
 *   init      the wrapped image started as `docker.wrap_init` starts it: chalk's native init
 *             runs the workload at once and the reporter beside it, and waits (at most
 *             `exec.report_wait`) for the report once the workload has ended.
 * The reports go to a local HTTP sink; the bench counts them. Also prints the bytes wrapping
 * adds to the image beyond the shared runtime layer. Needs a running docker and
 * busybox-base:latest (tests/docker/start_docker.sh).
 *
 * Usage: deno task build && BENCH_RUNS=15 deno run -A bench/wrap_startup_bench.ts
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { scriptContext } from "../tests/docker/_wrap.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "15");

async function must(cmd: string, args: string[], opts: Deno.CommandOptions = {}): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped", ...opts })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

/** ms from spawning `docker run` to the first byte on its stdout; the run is then awaited. */
async function firstOutput(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command("docker", {
    args: ["run", "--rm", "--network=host", ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = await reader.read();
  const ms = performance.now() - t0;
  if (first.done) throw new Error(`${args.join(" ")}: no output`);
  while (!(await reader.read()).done) { /* drain */ }
  const status = await child.status;
  if (!status.success) throw new Error(`${args.join(" ")}: exit ${status.code}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Bytes of the image's steps above the base, minus its biggest (the shared runtime). */
async function uniqueBytes(ref: string, base: string): Promise<number> {
  const sizes = async (r: string) =>
    (await must("docker", ["history", "--human=false", "--format", "{{.Size}}", r]))
      .trim().split("\n").map(Number);
  const own = (await sizes(ref)).slice(0, -(await sizes(base)).length);
  return own.reduce((a, b) => a + b, 0) - Math.max(...own);
}

const dir = await Deno.makeTempDir({ prefix: "chalk-bench-wrap-" });
let received = 0;
const sink = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  await req.arrayBuffer();
  received++;
  return new Response("ok");
});
const url = `http://127.0.0.1:${sink.addr.port}`;
const wrapped = `fs2-bench-wrapped-${Deno.pid}:latest`;
const plain = `fs2-bench-plain-${Deno.pid}:latest`;
try {
  const home = join(dir, "home");
  await Deno.mkdir(home);
  const env = { ...Deno.env.toObject(), HOME: home };
  const chalk = join(dir, "chalk");
  await Deno.copyFile(CHALK, chalk);
  await Deno.chmod(chalk, 0o755);
  await Deno.writeTextFile(
    join(dir, "wrap.c4m"),
    `sink_config bench { sink: "post"\n uri: "${url}/report" }\n` +
      `subscribe("report", "bench")\nunsubscribe("report", "default_out")\n` +
      "docker.wrap_entrypoint: true\n",
  );
  await must(chalk, ["load", join(dir, "wrap.c4m")], { cwd: dir, env });
  const ctx = await scriptContext(dir, "hi.sh", '#!/bin/sh\necho "$@"\n');
  await must(chalk, ["docker", "build", "-q", "-t", wrapped, "."], { cwd: ctx, env });
  await must("docker", ["build", "-q", "-t", plain, ctx]);
  const entrypoint: string[] = JSON.parse(
    await must("docker", ["inspect", "-f", "{{json .Config.Entrypoint}}", wrapped]),
  );
  const exec = entrypoint.indexOf("exec");
  const noWait = [
    ...entrypoint.slice(0, exec + 1),
    "--report-wait=0",
    ...entrypoint.slice(exec + 1),
  ];

  // What `docker.wrap_init: true` writes as the ENTRYPOINT (docker/init/chalk_init.ts).
  const init = [
    "1000",
    ...entrypoint.slice(0, exec),
    "__init-report",
    "0000000000",
    "--",
    "/hi.sh",
  ];
  const variants: Record<string, string[]> = {
    plain: [plain, "hello"],
    bypass: ["--entrypoint", "/hi.sh", wrapped, "hello"],
    "no-wait": ["--entrypoint", noWait[0], wrapped, ...noWait.slice(1), "hello"],
    wrapped: [wrapped, "hello"],
    init: ["--entrypoint", "/.chalk/chalk-init", wrapped, ...init, "hello"],
  };
  const times: Record<string, number[]> = {};
  // One warm-up each, then alternate.
  for (const [name, args] of Object.entries(variants)) {
    times[name] = [];
    await firstOutput(args);
  }
  const before = received;
  // Reports that arrived by the time each run's `docker run` returned (the wait-less variant's
  // come later or never).
  const reported: Record<string, number> = {};
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(variants)) {
      const n = received;
      times[name].push(await firstOutput(args));
      reported[name] = (reported[name] ?? 0) + received - n;
    }
  }
  await new Promise((r) => setTimeout(r, 1000));
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  console.log(`${RUNS} alternating runs each (load average ${load}); the workload prints at once`);
  const base = median(times.plain);
  for (const [name, xs] of Object.entries(times)) {
    console.log(
      `${name.padEnd(8)} first output: median ${median(xs).toFixed(0).padStart(4)} ms  ` +
        `${(median(xs) / base).toFixed(2)}× plain  (${xs.map((x) => x.toFixed(0)).join(",")})`,
    );
  }
  console.log(
    `reports received during the runs: ${received - before} (for ${3 * RUNS} wrapped); ` +
      `by the end of their own run: ${
        ["no-wait", "wrapped", "init"].map((v) => `${v} ${reported[v]}/${RUNS}`).join(", ")
      }`,
  );
  const size = async (ref: string) =>
    Number(await must("docker", ["image", "inspect", "-f", "{{.Size}}", ref]));
  console.log(
    `image size: plain ${((await size(plain)) / 1e6).toFixed(1)} MB, wrapped ${
      ((await size(wrapped)) / 1e6).toFixed(1)
    } MB; bytes beyond the shared runtime layer: ${await uniqueBytes(wrapped, plain)}`,
  );
} finally {
  await new Deno.Command("docker", {
    args: ["rmi", "-f", wrapped, plain],
    stdout: "null",
    stderr: "null",
  }).output();
  await sink.shutdown();
  await Deno.remove(dir, { recursive: true });
}
