/**
 * Start-up cost of entrypoint wrapping (issue 8, Performance; target ≤ 1.2×):
 * the time from `docker run` to the workload's first byte of output, for a
 * wrapped image against the same Dockerfile built plainly, alternating runs
 * in one script (plus the wrapped image with chalk bypassed, which separates
 * the bigger image's cost from chalk's). The wrapped image reports to a sink that answers only
 * after 2 s, so a workload that waited for its report would show it.
 * Also prints the image size wrapping adds. Needs a running docker and
 * busybox-base:latest (tests/docker/start_docker.sh).
 *
 * Usage: deno task build && deno run -A bench/wrap_startup_bench.ts
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "9");
const SINK_DELAY_MS = 2_000;

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
async function firstOutput(image: string, flags: string[] = []): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command("docker", {
    args: ["run", "--rm", "--network=host", ...flags, image, "hello"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = await reader.read();
  const ms = performance.now() - t0;
  if (first.done) throw new Error(`${image}: no output`);
  while (!(await reader.read()).done) { /* drain */ }
  const status = await child.status;
  if (!status.success) throw new Error(`${image}: exit ${status.code}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = await Deno.makeTempDir({ prefix: "chalk-bench-wrap-" });
const received: number[] = [];
// A report sink that takes its time: the workload must not notice.
const sink = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
  await req.arrayBuffer();
  await new Promise((r) => setTimeout(r, SINK_DELAY_MS));
  received.push(Date.now());
  return new Response("ok");
});
const url = `http://127.0.0.1:${sink.addr.port}`;
const wrapped = `chalk-bench-wrapped-${Deno.pid}:latest`;
const plain = `chalk-bench-plain-${Deno.pid}:latest`;
try {
  const home = join(dir, "home");
  await Deno.mkdir(home);
  const env = { ...Deno.env.toObject(), HOME: home };
  const chalk = join(dir, "chalk");
  await Deno.copyFile(CHALK, chalk);
  await Deno.chmod(chalk, 0o755);
  await Deno.writeTextFile(
    join(dir, "wrap.c4m"),
    `sink_config slow { sink: "post"\n uri: "${url}/report" }\n` +
      `subscribe("report", "slow")\nunsubscribe("report", "default_out")\n` +
      "docker.wrap_entrypoint: true\n",
  );
  await must(chalk, ["load", join(dir, "wrap.c4m")], { cwd: dir, env });
  const ctx = join(dir, "ctx");
  await Deno.mkdir(ctx);
  await Deno.writeTextFile(join(ctx, "hi.sh"), '#!/bin/sh\necho "$@"\nsleep 3\n', { mode: 0o755 });
  await Deno.chmod(join(ctx, "hi.sh"), 0o755);
  await Deno.writeTextFile(
    join(ctx, "Dockerfile"),
    'FROM busybox-base\nCOPY hi.sh /hi.sh\nENTRYPOINT ["/hi.sh"]\n',
  );
  await must(chalk, ["docker", "build", "-q", "-t", wrapped, "."], { cwd: ctx, env });
  await must("docker", ["build", "-q", "-t", plain, ctx]);

  const size = async (ref: string) =>
    Number(await must("docker", ["image", "inspect", "-f", "{{.Size}}", ref]));
  const [ws, ps] = [await size(wrapped), await size(plain)];

  // One warm-up each, then alternate.
  await firstOutput(plain);
  await firstOutput(wrapped);
  const w: number[] = [];
  const p: number[] = [];
  // The wrapped image with chalk bypassed: what the bigger image alone costs (storage driver).
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    p.push(await firstOutput(plain));
    w.push(await firstOutput(wrapped));
    b.push(await firstOutput(wrapped, ["--entrypoint", "/hi.sh"]));
  }
  const mw = median(w);
  const mp = median(p);
  console.log(`runs: ${RUNS} each, alternating; workload prints at once, then sleeps 3 s`);
  console.log(`plain   first output: median ${mp.toFixed(0)} ms  (${p.map((x) => x.toFixed(0))})`);
  console.log(`wrapped first output: median ${mw.toFixed(0)} ms  (${w.map((x) => x.toFixed(0))})`);
  console.log(`ratio: ${(mw / mp).toFixed(2)}x (target <= 1.2x)`);
  const mb = median(b);
  console.log(
    `wrapped image, chalk bypassed (--entrypoint /hi.sh): median ${mb.toFixed(0)} ms; ` +
      `so the image's size costs ${(mb - mp).toFixed(0)} ms and chalk's start ${
        (mw - mb).toFixed(0)
      } ms`,
  );
  console.log(
    `report sink answers after ${SINK_DELAY_MS} ms; POSTs received during the runs: ` +
      `${received.length} (for ${RUNS + 1} wrapped runs; a slow answer makes the sink retry)`,
  );
  console.log(
    `image size: plain ${(ps / 1e6).toFixed(1)} MB, wrapped ${(ws / 1e6).toFixed(1)} MB, ` +
      `added ${((ws - ps) / 1e6).toFixed(1)} MB`,
  );
} finally {
  await new Deno.Command("docker", {
    args: ["rmi", "-f", wrapped, plain],
    stdout: "null",
    stderr: "null",
  })
    .output();
  await sink.shutdown();
  await Deno.remove(dir, { recursive: true });
}
