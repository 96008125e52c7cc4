/**
 * Whole-command benchmarks of `dist/chalk` against baselines run on the same
 * files in the same run (issue "Foundation", Performance):
 *  - insert on a 100 MB ELF vs `sha256sum` and `openssl dgst -sha256` of it,
 *  - insert on 2,000 small scripts vs `sha256sum` of them, and vs the floor any atomic
 *    rewrite pays here (python3: read, write a temp file, chmod, rename over the original),
 *  - start-up: `dist/chalk version` vs `deno run` of an empty script.
 * Each measurement is the median of several runs; peak RSS from /usr/bin/time.
 *
 * Usage: deno task build && deno run -A bench/insert_bench.ts
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CHALK = join(ROOT, "dist", "chalk");
const RUNS = Number(Deno.env.get("BENCH_RUNS") ?? "5");
// HOME moves into the bench folder (chalk.log lands there); Deno's cache must not follow it, or
// every run would start without its code cache and write a new one into the files chalked.
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

async function timed(
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ ms: number; rssKb: number }> {
  const t0 = performance.now();
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "%M", cmd, ...args],
    cwd,
    stdout: "null",
    stderr: "piped",
    env: { HOME: cwd, DENO_DIR },
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  return { ms, rssKb: Number(lines.at(-1)) };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function measure(
  label: string,
  setup: () => Promise<void>,
  cmd: string,
  args: string[],
  cwd: string,
): Promise<{ ms: number; rssKb: number }> {
  const ms: number[] = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    await setup();
    const r = await timed(cmd, args, cwd);
    ms.push(r.ms);
    rss = Math.max(rss, r.rssKb);
  }
  const m = median(ms);
  console.log(
    `${label.padEnd(40)} ${m.toFixed(1).padStart(9)} ms   peak RSS ${(rss / 1024).toFixed(1)} MB`,
  );
  return { ms: m, rssKb: rss };
}

const dir = await Deno.makeTempDir({ prefix: "chalk-bench-" });
try {
  // 100 MB ELF: a program with a large initialised array.
  const src = join(dir, "big.c");
  await Deno.writeTextFile(
    src,
    "static volatile const char blob[100 * 1024 * 1024] = {1};\nint main(void) { return blob[0] - 1; }\n",
  );
  const pristine = join(dir, "big.pristine");
  await new Deno.Command("cc", { args: ["-o", pristine, src] }).output();
  const elf = join(dir, "big");
  const reset = () => Deno.copyFile(pristine, elf);
  const none = () => Promise.resolve();

  console.log(`# insert on a ${((await Deno.stat(pristine)).size / 1e6).toFixed(0)} MB ELF`);
  const sha = await measure("sha256sum big", reset, "sha256sum", [elf], dir);
  const ossl = await measure(
    "openssl dgst -sha256 big",
    reset,
    "openssl",
    ["dgst", "-sha256", elf],
    dir,
  );
  const ins = await measure("chalk insert big", reset, CHALK, ["insert", "--none", "big"], dir);
  console.log(
    `ratio chalk/sha256sum ${(ins.ms / sha.ms).toFixed(2)}  chalk/openssl ${
      (ins.ms / ossl.ms).toFixed(2)
    }`,
  );

  // 2,000 small scripts.
  const scripts = join(dir, "scripts");
  const scriptsPristine = join(dir, "scripts.pristine");
  await Deno.mkdir(scriptsPristine);
  const names: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const name = `s${i}.sh`;
    names.push(name);
    await Deno.writeTextFile(join(scriptsPristine, name), `#!/bin/sh\necho script ${i}\n`, {
      mode: 0o755,
    });
  }
  const resetScripts = async () => {
    await Deno.remove(scripts, { recursive: true }).catch(() => {});
    await new Deno.Command("cp", { args: ["-r", scriptsPristine, scripts] }).output();
  };
  console.log("# insert on 2,000 small scripts");
  const sha2 = await measure("sha256sum 2000 scripts", resetScripts, "sha256sum", names, scripts);
  const rewriter = join(dir, "atomic_rewrite.py");
  await Deno.writeTextFile(rewriter, ATOMIC_REWRITE_PY);
  const floor = await measure("python3 atomic rewrite 2000 scripts", resetScripts, "python3", [
    rewriter,
    ...names,
  ], scripts);
  const ins2 = await measure("chalk insert 2000 scripts", resetScripts, CHALK, [
    "insert",
    "--none",
    ".",
  ], scripts);
  console.log(
    `ratio chalk/sha256sum ${(ins2.ms / sha2.ms).toFixed(2)}  chalk/atomic rewrite ${
      (ins2.ms / floor.ms).toFixed(2)
    }`,
  );

  // Start-up.
  const empty = join(dir, "empty.js");
  await Deno.writeTextFile(empty, "");
  console.log("# start-up");
  const base = await measure("deno run empty.js", none, Deno.execPath(), ["run", "-A", empty], dir);
  const ver = await measure("chalk version", none, CHALK, ["version"], dir);
  console.log(`ratio chalk version/deno run empty ${(ver.ms / base.ms).toFixed(2)}`);
} finally {
  await Deno.remove(dir, { recursive: true });
}
