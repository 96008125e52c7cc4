/**
 * Start-up of the commands chalk runs in other people's hot path (issue 15): `chalk version`
 * against `deno eval 0` (target ≤ 2×), `chalk docker ps` against `docker ps` (target ≤ +60
 * ms), and `chalk exec -- true` against `true` run directly. Alternating runs in one script,
 * medians.
 *
 * chalk runs as a copy in a temporary folder with a DENO_DIR of its own (both runs share it):
 * Deno's V8 code cache of the bundle is what a user's second run finds, and a DENO_DIR shared
 * with other busy programs may stop taking new entries. `docker ps` needs a running dockerd
 * (tests/docker/start_docker.sh); it is skipped without one.
 *
 * Usage: deno task build && deno run -A bench/startup_bench.ts [runs]
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(Deno.args[0] ?? "41");
// Outside the checkout: Deno would otherwise read its deno.json and lock file at every start.
const CWD = await Deno.makeTempDir({ prefix: "chalk-startup-bench-" });
const CHALK = join(CWD, "chalk");
await Deno.copyFile(join(ROOT, "dist", "chalk"), CHALK);
await Deno.chmod(CHALK, 0o755);
const ENV = { DENO_DIR: join(CWD, "deno-dir"), HOME: join(CWD, "home") };
await Deno.mkdir(ENV.HOME);

async function timeOnce(cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    cwd: CWD,
    env: ENV,
    stdout: "null",
    stderr: "null",
    stdin: "null",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} exited ${out.code}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function pair(name: string, chalk: string[], base: [string, string[]]): Promise<void> {
  const a: number[] = [];
  const b: number[] = [];
  // Warm-up (V8 code cache, page cache), then alternate so both see the same load.
  for (let i = 0; i < 3; i++) {
    await timeOnce(CHALK, chalk);
    await timeOnce(...base);
  }
  for (let i = 0; i < RUNS; i++) {
    a.push(await timeOnce(CHALK, chalk));
    b.push(await timeOnce(...base));
  }
  const [ca, cb] = [median(a), median(b)];
  console.log(
    `${name.padEnd(24)} chalk ${ca.toFixed(1).padStart(6)} ms  baseline ${
      cb.toFixed(1).padStart(6)
    } ms  ratio ${(ca / cb).toFixed(2)}×  added ${(ca - cb).toFixed(1)} ms`,
  );
}

async function dockerUp(): Promise<boolean> {
  try {
    return (await new Deno.Command("docker", { args: ["ps"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

try {
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  console.log(`medians of ${RUNS} alternating runs (a copy of dist/chalk; load average ${load})`);
  await pair("version / deno eval 0", ["version"], [Deno.execPath(), ["eval", "0"]]);
  await pair("exec -- true / true", ["exec", "--", "true"], ["true", []]);
  if (await dockerUp()) await pair("docker ps / docker ps", ["docker", "ps"], ["docker", ["ps"]]);
  else console.log("docker ps: skipped (no running docker)");
} finally {
  await Deno.remove(CWD, { recursive: true });
}
