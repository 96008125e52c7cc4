/**
 * Heartbeat resource use (issue 8): `dist/chalk exec --heartbeat
 * --heartbeat-rate 10ms -- sleep ...` until 1,000 heartbeats are in the
 * log, sampling the real detached reporter's RSS (VmRSS) and CPU time
 * (utime+stime from /proc) at the start, the middle and the end. Flat RSS
 * and a steady CPU cost per beat are the expected outcome.
 *
 * Usage: deno task build && deno run -A bench/heartbeat_bench.ts [beats]
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const BEATS = Number(Deno.args[0] ?? "1000");
const RATE = "10ms";

function countLines(path: string): number {
  try {
    const bytes = Deno.readFileSync(path);
    let n = 0;
    for (const b of bytes) if (b === 10) n++;
    return n;
  } catch {
    return 0;
  }
}

function reporterPid(workloadPid: number): number | undefined {
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const argv = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
      const i = argv.indexOf("__exec-report");
      if (i >= 0 && JSON.parse(argv[i + 1]).pid === workloadPid) return Number(e.name);
    } catch {
      // gone or not ours
    }
  }
  return undefined;
}

function sample(pid: number): { rssKb: number; cpuMs: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { rssKb, cpuMs: (Number(f[11]) + Number(f[12])) * 10 };
}

const home = await Deno.makeTempDir({ prefix: "chalk-hb-bench-" });
const log = join(home, ".local", "chalk", "chalk.log");
const child = new Deno.Command(CHALK, {
  args: ["exec", "--heartbeat", "--heartbeat-rate", RATE, "--", "sleep", "3600"],
  cwd: home,
  env: { HOME: home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...(Deno.env.get("XV8") ? { DENO_V8_FLAGS: Deno.env.get("XV8")! } : {}) },
  clearEnv: true,
  stdout: "null",
  stderr: "null",
}).spawn();

try {
  let pid: number | undefined;
  for (let i = 0; i < 200 && pid === undefined; i++) {
    await new Promise((r) => setTimeout(r, 50));
    pid = reporterPid(child.pid);
  }
  if (pid === undefined) throw new Error("reporter not found");
  const marks = [10, Math.floor(BEATS / 2), BEATS];
  const rows: { beats: number; rssKb: number; cpuMs: number; wallMs: number }[] = [];
  const t0 = performance.now();
  while (rows.length < marks.length) {
    // One line for the exec report, then one per heartbeat.
    const beats = countLines(log) - 1;
    if (beats >= marks[rows.length]) {
      rows.push({ beats, ...sample(pid), wallMs: Math.round(performance.now() - t0) });
    } else await new Promise((r) => setTimeout(r, 20));
  }
  console.log(`heartbeats at ${RATE}, reporter pid ${pid}`);
  console.log("beats\tRSS (MB)\tCPU (ms)\twall (ms)");
  for (const r of rows) {
    console.log(`${r.beats}\t${(r.rssKb / 1024).toFixed(1)}\t\t${r.cpuMs}\t\t${r.wallMs}`);
  }
  const first = rows[0], last = rows[rows.length - 1];
  console.log(
    `RSS change ${first.beats}→${last.beats} beats: ${
      ((last.rssKb - first.rssKb) / 1024).toFixed(1)
    } MB; CPU per beat ${((last.cpuMs - first.cpuMs) / (last.beats - first.beats)).toFixed(2)} ms`,
  );
} finally {
  child.kill("SIGTERM");
  await child.status;
  await new Promise((r) => setTimeout(r, 200));
  await Deno.remove(home, { recursive: true });
}
