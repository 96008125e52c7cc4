/**
 * Whole-command benchmarks of artifact I/O (docs/files.md, "Streaming"): each
 * chalk command runs side by side with a baseline on the same files in the
 * same run, alternating, and the ratio of the medians of wall time is printed
 * (with the medians of CPU time, user + system, which a busy machine blurs less),
 * and the median of the run-by-run ratios (or differences): each pair runs
 * back to back, so a neighbour's burst on this shared host skews one pair, not
 * one side.
 *
 *  - insert / extract / delete on a 100 MB ELF vs `openssl dgst -sha256`
 *    (+ `cp` of the same file where chalk writes one);
 *  - peak RSS of insert / extract / delete on a 1 GB ELF;
 *  - insert on a folder of 2,000 scripts plus a 2 GB file that is not an
 *    artifact, vs the 2,000 scripts alone;
 *  - insert on 2,000 scripts vs a plain atomic rewrite of them (python3: read,
 *    write a temporary file beside each, chmod, rename);
 *  - a 1 GB sparse script: time, and bytes on disk after insert;
 *  - start-up: `chalk version`, to read the others net of chalk's fixed cost.
 *
 * Usage: deno task build && deno run -A bench/artifact_io_bench.ts
 * (BENCH_RUNS=n pairs per comparison, default 7; BENCH_SKIP_1G=1 skips the 1 GB ELF;
 * BENCH_CHALK=path measures another build, e.g. an earlier commit's dist/chalk).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The chalk measured: dist/chalk, or BENCH_CHALK (an earlier build, to compare). */
const CHALK = Deno.env.get("BENCH_CHALK") ?? join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "7");
// HOME moves into the bench folder (chalk.log lands there); Deno's cache must not follow it.
const DENO_DIR = Deno.env.get("DENO_DIR") ??
  join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");

const ATOMIC_REWRITE_PY = `import os, sys
for name in sys.argv[1:]:
    data = open(name, "rb").read()
    temp = "." + name + ".tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data + b"#\\n")
    os.close(fd)
    os.chmod(temp, 0o755)
    os.rename(temp, name)
`;

interface Sample {
  ms: number;
  /** User + system CPU time. */
  cpuMs: number;
  rssMb: number;
}

interface Job {
  label: string;
  cmd: string;
  args: string[];
  cwd: string;
  /** Runs before each measurement, untimed (puts the input back). */
  setup?: () => Promise<void>;
}

async function sh(cmd: string, args: string[], cwd?: string): Promise<void> {
  const out = await new Deno.Command(cmd, { args, cwd, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

async function measure(job: Job): Promise<Sample> {
  await job.setup?.();
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M %U %S", job.cmd, ...job.args],
    cwd: job.cwd,
    stdout: "null",
    stderr: "piped",
    env: { HOME: job.cwd, DENO_DIR, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
  }).output();
  const ms = performance.now() - t0;
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  if (!out.success) throw new Error(`${job.label} failed: ${lines.slice(-3).join(" | ")}`);
  const [rss, user, sys] = lines.at(-1)!.split(" ").map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssMb: rss / 1024 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function row(label: string, samples: Sample[]): number {
  const ms = median(samples.map((s) => s.ms));
  const cpu = median(samples.map((s) => s.cpuMs));
  const rss = Math.max(...samples.map((s) => s.rssMb));
  console.log(
    `  ${label.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms  cpu ${cpu.toFixed(0).padStart(5)} ms` +
      `  peak RSS ${rss.toFixed(1)} MB`,
  );
  return ms;
}

/** Runs `a` and `b` alternately RUNS times; prints both medians and their ratio. */
/** Medians of both jobs, and the medians of their run-by-run ratio and difference. */
interface Pair {
  a: number;
  b: number;
  /** Median of a/b over the alternating pairs: steadier than a ratio of medians on a noisy host. */
  ratio: number;
  /** Median of a-b over the pairs, in ms. */
  difference: number;
}

async function paired(title: string, target: string, a: Job, b: Job): Promise<Pair> {
  const as: Sample[] = [];
  const bs: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    as.push(await measure(a));
    bs.push(await measure(b));
  }
  console.log(`# ${title}`);
  const pair: Pair = {
    a: row(a.label, as),
    b: row(b.label, bs),
    ratio: median(as.map((s, i) => s.ms / bs[i].ms)),
    difference: median(as.map((s, i) => s.ms - bs[i].ms)),
  };
  console.log(
    `  ratio ${(pair.a / pair.b).toFixed(2)} (pairwise ${pair.ratio.toFixed(2)}; target ${target})`,
  );
  return pair;
}

async function buildElf(dir: string, name: string, mb: number): Promise<string> {
  const src = join(dir, `${name}.c`);
  await Deno.writeTextFile(
    src,
    `static volatile const char blob[${mb}L * 1024 * 1024] = {1};\nint main(void) { return blob[0] - 1; }\n`,
  );
  const out = join(dir, name);
  await sh("cc", ["-o", out, src]);
  return out;
}

async function scriptsFolder(dir: string): Promise<string[]> {
  await Deno.mkdir(dir);
  const names: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const name = `s${i}.sh`;
    names.push(name);
    await Deno.writeTextFile(join(dir, name), `#!/bin/sh\necho script ${i}\n`, { mode: 0o755 });
  }
  return names;
}

const dir = await Deno.makeTempDir({ prefix: "chalk-bench-" });
try {
  console.log(`chalk: ${CHALK}; ${RUNS} alternating pairs per comparison, medians`);
  const big = await buildElf(dir, "big.pristine", 100);
  const size = (await Deno.stat(big)).size;
  const work = join(dir, "elf");
  await Deno.mkdir(work);
  const elf = join(work, "big");
  const marked = join(dir, "big.marked");
  await Deno.copyFile(big, elf);
  await sh(CHALK, ["insert", "--skip-summary-report", elf], work);
  await Deno.copyFile(elf, marked);
  const put = (from: string) => () => Deno.copyFile(from, elf);
  console.log(`100 MB ELF: ${(size / 1e6).toFixed(1)} MB`);

  const start = await paired("start-up (chalk's fixed cost, for net figures)", "-", {
    label: "chalk version",
    cmd: CHALK,
    args: ["version"],
    cwd: work,
  }, { label: "deno run (empty script)", cmd: Deno.execPath(), args: ["eval", ""], cwd: work });
  const fixed = start.a;

  const net = (pair: Pair) =>
    console.log(`  net of start-up: ${((pair.a - fixed) / pair.b).toFixed(2)}`);
  const hashAndCopy = (input: string): Job => ({
    label: "openssl dgst -sha256 big && cp big big.copy",
    cmd: "sh",
    args: ["-c", "openssl dgst -sha256 big >/dev/null && cp big big.copy"],
    cwd: work,
    setup: put(input),
  });
  const hashOnly: Job = {
    label: "openssl dgst -sha256 big",
    cmd: "openssl",
    args: ["dgst", "-sha256", "big"],
    cwd: work,
    setup: put(marked),
  };
  const elfCases: [string, string, string, Job][] = [
    ["insert", big, "<= 1.5", hashAndCopy(big)],
    ["extract", marked, "<= 1.3", hashOnly],
    ["delete", marked, "<= 1.5", hashAndCopy(marked)],
  ];
  for (const [op, input, target, baseline] of elfCases) {
    const chalk = { label: `chalk ${op} big`, cmd: CHALK, args: [op, "big"], cwd: work };
    net(await paired(`${op}, 100 MB ELF`, target, { ...chalk, setup: put(input) }, baseline));
  }

  if (Deno.env.get("BENCH_SKIP_1G") !== "1") {
    const giant = await buildElf(dir, "giant.pristine", 1024);
    const gwork = join(dir, "giant");
    await Deno.mkdir(gwork);
    const g = join(gwork, "giant");
    await Deno.copyFile(giant, g);
    console.log("# peak RSS on a 1 GB ELF (target <= 120 MB each)");
    for (const op of ["insert", "extract", "delete"]) {
      row(`chalk ${op} giant`, [
        await measure({ label: op, cmd: CHALK, args: [op, "giant"], cwd: gwork }),
      ]);
    }
    await Deno.remove(gwork, { recursive: true });
    await Deno.remove(giant);
  }

  const scripts = join(dir, "scripts");
  const pristine = join(dir, "scripts.pristine");
  const names = await scriptsFolder(pristine);
  const withData = join(dir, "with-data");
  await Deno.mkdir(withData);
  await Deno.mkdir(scripts);
  // 2 GB that no codec claims: binary first bytes; the rest a hole, to spare the disk. It is
  // made once: copying it before each run would read 2 GB and evict the page cache.
  const data = join(withData, "data.bin");
  await Deno.writeFile(data, crypto.getRandomValues(new Uint8Array(4096)).map((b) => b | 0x80));
  await sh("truncate", ["-s", "2G", data]);
  // Written back before the run (sync): the copy's writeback would otherwise land in whichever
  // run comes next, the first of each pair, and weigh on one side only.
  const reset = (to: string) => async () => {
    await sh("sh", ["-c", `rm -f ${to}/*.sh && cp ${pristine}/*.sh ${to}/ && sync`]);
  };
  const both = await paired(
    "insert, 2,000 scripts plus a 2 GB non-artifact vs the scripts alone",
    "difference <= 50 ms",
    {
      label: "chalk insert (2,000 scripts + 2 GB file)",
      cmd: CHALK,
      args: ["insert", "."],
      cwd: withData,
      setup: reset(withData),
    },
    {
      label: "chalk insert (2,000 scripts)",
      cmd: CHALK,
      args: ["insert", "."],
      cwd: scripts,
      setup: reset(scripts),
    },
  );
  console.log(
    `  difference ${(both.a - both.b).toFixed(1)} ms (pairwise ${both.difference.toFixed(1)} ms)`,
  );

  const rewriter = join(dir, "atomic_rewrite.py");
  await Deno.writeTextFile(rewriter, ATOMIC_REWRITE_PY);
  const scr = await paired("insert, 2,000 scripts vs a plain atomic rewrite of them", "<= 1.3", {
    label: "chalk insert (2,000 scripts)",
    cmd: CHALK,
    args: ["insert", "."],
    cwd: scripts,
    setup: reset(scripts),
  }, {
    label: "python3 atomic rewrite (2,000 scripts)",
    cmd: "python3",
    args: [rewriter, ...names],
    cwd: scripts,
    setup: reset(scripts),
  });
  net(scr);

  const holey = join(dir, "holey");
  await Deno.mkdir(holey);
  const script = join(holey, "holey.sh");
  const sparseReset = async () => {
    await Deno.writeTextFile(script, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    await sh("truncate", ["-s", "1G", script]);
  };
  console.log("# a 1 GB sparse script (1 GB hole)");
  row("chalk insert holey.sh", [
    await measure({
      label: "sparse",
      cmd: CHALK,
      args: ["insert", "holey.sh"],
      cwd: holey,
      setup: sparseReset,
    }),
  ]);
  const st = await Deno.stat(script);
  console.log(
    `  after insert: size ${(st.size / 1e6).toFixed(1)} MB, on disk ${
      (st.blocks! * 512 / 1e3).toFixed(0)
    } kB`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
