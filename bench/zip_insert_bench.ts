/**
 * Inserting a mark into a 100 MB jar (docs/codecs.md, "Zip archives"),
 * side by side with `zip` adding a member to the same jar (`zip -q app.jar
 * chalk.json`: zip rewrites the archive, copying every member), alternating,
 * on a fresh copy each time. Prints the medians of wall and CPU time and
 * their ratio. chalk also computes the original's HASH over every member's
 * inflated contents, which `zip` does not: two more lines give that part
 * alone (`chalk extract`, which hashes the same way and writes nothing) and
 * its floor with native tools (`unzip -p app.jar | sha256sum`: inflate and
 * hash every member).
 *
 * The jar holds 4,000 members of pseudo-random text (seeded, so every run
 * builds the same jar), compressing about 2.5:1 like class files do.
 *
 * Usage: deno task build && deno run -A bench/zip_insert_bench.ts (BENCH_RUNS=n, default 5)
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = Deno.env.get("BENCH_CHALK") ?? join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "5");
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");

const MAKE_JAR = `
import random, zipfile
r = random.Random(18)
words = [''.join(r.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(r.randint(2, 9))) for _ in range(4000)]
with zipfile.ZipFile('pristine.jar', 'w', zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    z.writestr('META-INF/MANIFEST.MF', 'Manifest-Version: 1.0\\n')
    total = 0
    i = 0
    while total < 100 * 1024 * 1024:
        body = ' '.join(r.choices(words, k=9000)).encode() + r.randbytes(20000)
        z.writestr('com/example/C%05d.class' % i, body)
        total = z.fp.tell()
        i += 1
`;

interface Sample {
  ms: number;
  cpuMs: number;
}

async function timed(cmd: string, args: string[], cwd: string, env?: Record<string, string>) {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%U %S", cmd, ...args],
    cwd,
    env,
    stdout: "null",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  const err = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (out.code !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${err.join("\n")}`);
  const [user, sys] = err[err.length - 1].split(" ").map(Number);
  return { ms, cpuMs: (user + sys) * 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const dir = await Deno.makeTempDir({ prefix: "chalk-zip-bench-" });
try {
  const env = {
    HOME: dir,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    DENO_DIR,
  };
  const made = await new Deno.Command("python3", { args: ["-c", MAKE_JAR], cwd: dir }).output();
  if (made.code !== 0) throw new Error("could not build the jar");
  const size = (await Deno.stat(join(dir, "pristine.jar"))).size;
  await Deno.writeTextFile(join(dir, "chalk.json"), '{ "MAGIC" : "dadfedabbadabbed" }');
  const fresh = () => Deno.copyFile(join(dir, "pristine.jar"), join(dir, "app.jar"));
  const zip: Sample[] = [];
  const chalk: Sample[] = [];
  const extract: Sample[] = [];
  const inflate: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    await fresh();
    zip.push(await timed("zip", ["-q", "app.jar", "chalk.json"], dir));
    await fresh();
    chalk.push(await timed(CHALK, ["insert", "--skip-summary-report", "app.jar"], dir, env));
    extract.push(await timed(CHALK, ["extract", "--skip-summary-report", "app.jar"], dir, env));
    inflate.push(await timed("sh", ["-c", "unzip -p app.jar | sha256sum"], dir));
  }
  const version = await timed(CHALK, ["version"], dir, env);
  const row = (label: string, s: Sample[]) =>
    console.log(
      `${label.padEnd(34)} wall ${median(s.map((x) => x.ms)).toFixed(0).padStart(6)} ms` +
        `   cpu ${median(s.map((x) => x.cpuMs)).toFixed(0).padStart(6)} ms`,
    );
  console.log(`jar: ${(size / 1048576).toFixed(1)} MiB, ${RUNS} runs each, medians`);
  row("zip -q app.jar chalk.json", zip);
  row("chalk insert app.jar", chalk);
  row("chalk extract app.jar (HASH alone)", extract);
  row("unzip -p app.jar | sha256sum", inflate);
  row("chalk version (start-up)", [version]);
  const ratio = median(chalk.map((x) => x.ms)) / median(zip.map((x) => x.ms));
  console.log(`insert / zip (wall): ${ratio.toFixed(2)}x  (target <= 1.5x)`);
  const floor = median(zip.map((x) => x.ms)) + median(inflate.map((x) => x.ms));
  console.log(
    `insert / (zip + unzip -p | sha256sum) (wall): ${
      (median(chalk.map((x) => x.ms)) / floor).toFixed(2)
    }x`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
