/**
 * Heartbeat resource use (issue 8), in two parts:
 *  1. `dist/chalk exec --heartbeat --heartbeat-rate 10ms -- sleep ...` until
 *     1,000 heartbeats are in the log, sampling the real detached reporter's
 *     RSS (VmRSS) and CPU time (utime+stime from /proc) at the start, the
 *     middle and the end;
 *  2. the same loop in-process (reportExec, file sink, 10 ms) with V8's heap
 *     measured after a forced GC at the same points: a leak would show here
 *     even while the allocator keeps RSS pages.
 *
 * Usage: deno task build && deno run -A bench/heartbeat_bench.ts [beats]
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const BEATS = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? "1000");
const RATE_MS = 10;
const MARKS = [10, Math.floor(BEATS / 2), BEATS];

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

function processExists(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

function sample(pid: number): { rssKb: number; cpuMs: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { rssKb, cpuMs: (Number(f[11]) + Number(f[12])) * 10 };
}

async function wholeProgram(): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "chalk-hb-bench-" });
  const log = join(home, ".local", "chalk", "chalk.log");
  const child = new Deno.Command(CHALK, {
    args: ["exec", "--heartbeat", "--heartbeat-rate", `${RATE_MS}ms`, "--", "sleep", "3600"],
    cwd: home,
    env: { HOME: home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    let found: number | undefined;
    for (let i = 0; i < 200 && found === undefined; i++) {
      await new Promise((r) => setTimeout(r, 50));
      found = reporterPid(child.pid);
    }
    if (found === undefined) throw new Error("reporter not found");
    const reporter = found;
    const rows: { beats: number; rssKb: number; cpuMs: number; wallMs: number }[] = [];
    const t0 = performance.now();
    while (rows.length < MARKS.length) {
      // One line for the exec report, then one per heartbeat.
      const beats = countLines(log) - 1;
      if (!processExists(reporter)) {
        throw new Error(`the reporter ended after ${beats} beats (was the workload killed?)`);
      }
      if (beats >= MARKS[rows.length]) {
        rows.push({ beats, ...sample(reporter), wallMs: Math.round(performance.now() - t0) });
      } else await new Promise((r) => setTimeout(r, 20));
    }
    console.log(`1. dist/chalk exec, heartbeats every ${RATE_MS} ms, reporter pid ${reporter}`);
    console.log("beats\tRSS (MB)\tCPU (ms)\twall (ms)");
    for (const r of rows) {
      console.log(`${r.beats}\t${(r.rssKb / 1024).toFixed(1)}\t\t${r.cpuMs}\t\t${r.wallMs}`);
    }
    const first = rows[0], last = rows[rows.length - 1];
    console.log(
      `RSS change ${first.beats}→${last.beats} beats: ${
        ((last.rssKb - first.rssKb) / 1024).toFixed(1)
      } MB; CPU per beat ${
        ((last.cpuMs - first.cpuMs) / (last.beats - first.beats)).toFixed(2)
      } ms`,
    );
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await new Promise((r) => setTimeout(r, 200));
    await Deno.remove(home, { recursive: true });
  }
}

/** Part 2, run in a child with `--v8-flags=--expose-gc`. */
async function inProcessHeap(): Promise<void> {
  const { Logger } = await import("../internal/logger.ts");
  const { DEFAULT_CACHE, hubFor } = await import("../ops/run_context.ts");
  const { ExecSession } = await import("../exec/session.ts");
  const { reportExec } = await import("../exec/report_exec.ts");
  const { selfInfo } = await import("../ops/self_path.ts");
  const { loadChalkConfig } = await import("../config/load_config.ts");
  const home = await Deno.makeTempDir({ prefix: "chalk-hb-heap-" });
  Deno.env.set("HOME", home);
  Deno.chdir(home);
  const config = await loadChalkConfig({
    command: "exec",
    noEmbeddedConfig: true,
    noExternalConfig: true,
  });
  const log = new Logger("none");
  const output = config.outputConfig();
  const ctx = {
    command: "exec",
    self: selfInfo(),
    log,
    output,
    hub: hubFor(output, log, DEFAULT_CACHE),
    config,
    template: (n: string) => config.template(n),
    ignorePatterns: [],
    options: {
      recursive: true,
      virtual: false,
      symlinkChalking: "skip" as const,
      skipSummaryReport: true,
      skipCommandReport: false,
    },
    failed: false,
    facts: {
      selfPath: CHALK,
      args: [],
      commandArgs: [],
      flags: [],
      started: new Date(),
      version: "bench",
    },
  };
  const workload = new Deno.Command("sleep", { args: ["3600"] }).spawn();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --v8-flags=--expose-gc");
  const rows: string[] = [];
  let checks = 0;
  try {
    await reportExec(ctx, new ExecSession("0123456789abcdef", Date.now()), {
      pid: workload.pid,
      program: "/usr/bin/sleep",
      argv: ["sleep", "3600"],
      cwd: home,
    }, {
      heartbeat: { run: true, rateMs: RATE_MS },
      maxBeats: BEATS + 1,
      alive: () => {
        // Called before beat `checks`: the beats sent so far are checks - 1.
        if (MARKS.includes(++checks - 1) || checks === 1) {
          gc();
          const m = Deno.memoryUsage();
          rows.push(
            `${checks - 1}\t${(m.heapUsed / 1024 / 1024).toFixed(2)}\t\t${
              (m.rss / 1024 / 1024).toFixed(1)
            }`,
          );
        }
        return true;
      },
    });
  } finally {
    workload.kill("SIGKILL");
    await workload.status;
    await ctx.hub.close();
    await Deno.remove(home, { recursive: true });
  }
  console.log(`2. in-process reportExec, heartbeats every ${RATE_MS} ms, heap after a forced GC`);
  console.log("beats\theap (MB)\tRSS (MB)");
  for (const r of rows) console.log(r);
}

if (Deno.args.includes("--heap")) {
  await inProcessHeap();
} else {
  await wholeProgram();
  await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      fileURLToPath(import.meta.url),
      "--heap",
      String(BEATS),
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
}
