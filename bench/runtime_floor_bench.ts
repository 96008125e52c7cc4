/**
 * The runtime's floor under issue 14's 100 MB targets: what the least Deno
 * program doing only the hashing a chalk command must do costs, next to the
 * baseline the targets use (`openssl dgst -sha256`, `+ cp`) and to chalk
 * itself, alternating, medians of wall time.
 *
 *  - one pass: `deno run` of a script that SHA-256es the file once with
 *    node:crypto (a 4 MiB reused buffer); the least any extract could do;
 *  - two passes: the same plus a second full pass on a worker, as extract
 *    does (HASH, the artifact as if unmarked, shares no prefix with the
 *    file's own hash: the ELF header differs);
 *  - two passes + copy: insert's least (HASH of the input, the hash of the
 *    output, the output written by the kernel's copy);
 *  - the same with the system's libcrypto through FFI (what chalk uses where
 *    it can open it: internal/sha256_native.ts), the second pass on one of
 *    Deno's blocking-call threads instead of a worker.
 *
 * When a floor is above a target's ratio, no chalk on this runtime meets
 * that target; chalk's distance to the floor is what its own code costs.
 *
 * Usage: deno task build && deno run -A bench/runtime_floor_bench.ts
 * (BENCH_RUNS=n alternating runs per row, default 11; needs cc and openssl).
 */
import { fromFileUrl, join } from "../internal/posix_path.ts";

const ROOT = fromFileUrl(new URL("..", import.meta.url).href);
const CHALK = Deno.env.get("BENCH_CHALK") ?? join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "11");

const HASH_ONCE = `
import { createHash } from "node:crypto";
export function hashFile(path) {
  const f = Deno.openSync(path, { read: true });
  const buf = new Uint8Array(1 << 22);
  const h = createHash("sha256");
  for (let n; (n = f.readSync(buf));) h.update(buf.subarray(0, n));
  f.close();
  return h.digest("hex");
}
if (import.meta.main) console.log(hashFile(Deno.args[0]));
`;

const HASH_TWICE = `
import { hashFile } from "./hash_once.mjs";
const url = new URL("./hash_worker.mjs", import.meta.url);
const worker = new Worker(url, { type: "module" });
const other = new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
worker.postMessage(Deno.args[0]);
const mine = hashFile(Deno.args[0]);
console.log(mine, await other);
worker.terminate();
if (Deno.args[1]) Deno.copyFileSync(Deno.args[0], Deno.args[1]);
`;

const HASH_WORKER = `
import { hashFile } from "./hash_once.mjs";
self.onmessage = (e) => self.postMessage(hashFile(e.data));
`;

const HASH_FFI = `
const lib = Deno.dlopen("libcrypto.so.3", {
  SHA256_Init: { parameters: ["buffer"], result: "i32" },
  SHA256_Update: { parameters: ["buffer", "buffer", "usize"], result: "i32" },
  SHA256_Final: { parameters: ["buffer", "buffer"], result: "i32" },
  UpdateOnThread: { name: "SHA256_Update", parameters: ["buffer", "buffer", "usize"], result: "i32", nonblocking: true },
}).symbols;
const passes = Number(Deno.args[1]);
const ctxs = Array.from({ length: passes }, () => new Uint8Array(112));
for (const c of ctxs) lib.SHA256_Init(c);
const f = Deno.openSync(Deno.args[0], { read: true });
const buf = new Uint8Array(1 << 20);
for (let n; (n = f.readSync(buf));) {
  const b = buf.subarray(0, n);
  const other = passes > 1 ? lib.UpdateOnThread(ctxs[1], b, BigInt(n)) : undefined;
  lib.SHA256_Update(ctxs[0], b, BigInt(n));
  await other;
}
f.close();
for (const c of ctxs) lib.SHA256_Final(new Uint8Array(32), c);
if (Deno.args[2]) Deno.copyFileSync(Deno.args[0], Deno.args[2]);
`;

interface Job {
  label: string;
  cmd: string;
  args: string[];
}

async function runOnce(job: Job, cwd: string): Promise<number> {
  const t0 = performance.now();
  const out = await new Deno.Command(job.cmd, {
    args: job.args,
    cwd,
    env: { HOME: cwd },
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${job.label}: ${new TextDecoder().decode(out.stderr).slice(0, 400)}`);
  }
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Runs the jobs in turn RUNS times; prints medians and ratios to the first. */
async function table(title: string, target: string, jobs: Job[], cwd: string): Promise<void> {
  const times = jobs.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    for (const [j, job] of jobs.entries()) times[j].push(await runOnce(job, cwd));
  }
  console.log(`# ${title} (target ${target})`);
  const base = median(times[0]);
  for (const [j, job] of jobs.entries()) {
    const ms = median(times[j]);
    console.log(
      `  ${job.label.padEnd(46)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / base).toFixed(2)}×`,
    );
  }
}

const dir = await Deno.makeTempDir({ prefix: "chalk-floor-" });
try {
  await Deno.writeTextFile(join(dir, "hash_once.mjs"), HASH_ONCE);
  await Deno.writeTextFile(join(dir, "hash_twice.mjs"), HASH_TWICE);
  await Deno.writeTextFile(join(dir, "hash_worker.mjs"), HASH_WORKER);
  await Deno.writeTextFile(join(dir, "hash_ffi.mjs"), HASH_FFI);
  await Deno.writeTextFile(join(dir, "empty.mjs"), "");
  await Deno.writeTextFile(
    join(dir, "big.c"),
    "static volatile const char blob[100L * 1024 * 1024] = {1};\nint main(void) { return blob[0] - 1; }\n",
  );
  const cc = await new Deno.Command("cc", { args: ["-o", "big", "big.c"], cwd: dir }).output();
  if (!cc.success) throw new Error("cc failed: a C compiler is needed to build the 100 MB ELF");
  await runOnce(
    { label: "mark", cmd: CHALK, args: ["insert", "--skip-summary-report", "big"] },
    dir,
  );
  await Deno.copyFile(join(dir, "big"), join(dir, "big.ins"));
  const deno = Deno.execPath();
  const denoRun = (label: string, ...args: string[]): Job => ({
    label,
    cmd: deno,
    args: ["run", "-A", ...args],
  });
  console.log(`chalk: ${CHALK}; ${RUNS} alternating runs per row, medians`);
  await table("extract, 100 MB ELF", "<= 1.3×", [
    { label: "openssl dgst -sha256 big", cmd: "openssl", args: ["dgst", "-sha256", "big"] },
    denoRun("deno run (empty script)", "empty.mjs"),
    denoRun("deno: one SHA-256 pass", "hash_once.mjs", "big"),
    denoRun("deno: two passes (one on a worker)", "hash_twice.mjs", "big"),
    denoRun("deno: one pass, libcrypto (FFI)", "hash_ffi.mjs", "big", "1"),
    denoRun("deno: two passes side by side, libcrypto", "hash_ffi.mjs", "big", "2"),
    { label: "chalk extract big", cmd: CHALK, args: ["extract", "big"] },
  ], dir);
  await table("insert, 100 MB ELF", "<= 1.5×", [
    {
      label: "openssl dgst -sha256 big && cp big big.copy",
      cmd: "sh",
      args: ["-c", "openssl dgst -sha256 big >/dev/null && cp big big.copy"],
    },
    denoRun("deno: two passes + kernel copy", "hash_twice.mjs", "big", "big.copy"),
    denoRun("deno: two passes + kernel copy, libcrypto", "hash_ffi.mjs", "big", "2", "big.copy"),
    // Re-marking: the same reads, hashes and write as a first insert, and repeatable.
    { label: "chalk insert big.ins", cmd: CHALK, args: ["insert", "big.ins"] },
  ], dir);
} finally {
  await Deno.remove(dir, { recursive: true });
}
