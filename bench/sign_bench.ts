/**
 * What signing adds to an insert (issue 16: at most 15 ms per artifact). A
 * set-up chalk inserts into the same N scripts signed (CHALK_PASSWORD set)
 * and unsigned (`always_try_to_sign: false`), alternately, several times; the
 * difference of the medians divided by N is the cost per artifact. In the same
 * run, baselines on the same files: `openssl dgst -sha256` of all of them, and
 * `openssl dgst -sha256 -sign` of one payload per file (one process each),
 * what signing with the openssl tool costs.
 *
 * Usage: deno task build && deno run -A bench/sign_bench.ts
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "5");
const FILES = Number(Deno.env.get("BENCH_FILES") ?? "300");
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");
const PASSWORD = "bench password";

async function timed(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const t0 = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
    env: { HOME: cwd, DENO_DIR, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", ...env },
    clearEnv: true,
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = await Deno.makeTempDir({ prefix: "chalk-sign-bench-" });
try {
  const chalk = join(dir, "chalk");
  await Deno.copyFile(CHALK, chalk);
  await Deno.chmod(chalk, 0o755);
  await timed(chalk, ["setup"], dir, { CHALK_PASSWORD: PASSWORD });
  await Deno.writeTextFile(join(dir, "unsigned.c4m"), "always_try_to_sign: false\n");
  const work = join(dir, "files");
  await Deno.mkdir(work);
  const names: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const name = `s${i}.sh`;
    names.push(name);
    await Deno.writeTextFile(join(work, name), `#!/bin/sh\necho ${i}\n`);
  }
  const insert = ["--log-level", "error", "--skip-summary-report", "insert", "files"];
  const signed: number[] = [];
  const unsigned: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    signed.push(await timed(chalk, insert, dir, { CHALK_PASSWORD: PASSWORD }));
    unsigned.push(await timed(chalk, ["--config-file", "unsigned.c4m", ...insert], dir));
  }
  const hashAll: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    hashAll.push(await timed("openssl", ["dgst", "-sha256", ...names], work));
  }
  // openssl signing, one process per artifact, over a payload of the size chalk signs.
  await Deno.writeTextFile(join(dir, "payload"), `${"a".repeat(64)}${"b".repeat(64)}\n`);
  const sslSign: number[] = [];
  const sample = Math.min(FILES, 50);
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < sample; i++) {
      await timed("openssl", [
        "dgst",
        "-sha256",
        "-sign",
        "chalk.key",
        "-passin",
        `pass:${PASSWORD}`,
        "-out",
        "sig.der",
        "payload",
      ], dir);
    }
    sslSign.push((performance.now() - t0) / sample);
  }
  const perArtifact = (median(signed) - median(unsigned)) / FILES;
  console.log(`files: ${FILES}, runs: ${RUNS} (medians)`);
  console.log(`insert, signed:                     ${median(signed).toFixed(0)} ms`);
  console.log(`insert, unsigned:                   ${median(unsigned).toFixed(0)} ms`);
  console.log(`signing cost per artifact:          ${perArtifact.toFixed(2)} ms (limit 15 ms)`);
  console.log(`openssl dgst -sha256 of all files:  ${median(hashAll).toFixed(0)} ms`);
  console.log(`openssl dgst -sign, per artifact:   ${median(sslSign).toFixed(2)} ms`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
