/**
 * SIGKILL at random moments of `insert` (a 64 MB program) and `load`: the
 * file is always the old one or the complete new one, and the next run
 * removes every temporary file the killed one left (docs/files.md,
 * "Temporary files"). 25 kills each; the moments come from a seeded
 * generator, so a failure can be replayed.
 */
import { assert, assertEquals } from "../_assert.ts";
import { dirname, join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { elfCodec } from "../../codecs/elf.ts";
import { markProblem } from "../../ops/validate_mark.ts";
import { hashHex } from "../codecs/_in_memory.ts";
import { bigProgram, CHALK, privateChalk, run, sandbox, sha256sum } from "./_chalk.ts";
import { seeded } from "../_random.ts";

const KILLS = 25;

async function tempFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (/^\..+\.chalk-/.test(e.name)) names.push(e.name);
  return names;
}

/** Starts `cmd`, kills it with SIGKILL after `ms` (if still running). */
async function killAfter(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: Record<string, string> },
  ms: number,
): Promise<void> {
  const child = new Deno.Command(cmd, {
    args,
    cwd: opts.cwd,
    env: opts.env,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, ms);
  await child.status;
  clearTimeout(timer);
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

Deno.test("SIGKILL at random moments of insert: never a torn file, no temporary file after the next run", async () => {
  const box = await sandbox();
  try {
    const prog = await bigProgram(box.work, "big", 64);
    const pristineBytes = await Deno.readFile(prog);
    const pristine = await sha256sum(prog);
    const hash = hashHex(elfCodec, pristineBytes);
    const args = ["insert", "--skip-summary-report", "big"];
    const full = await timed(() => box.chalk(args));
    await Deno.writeFile(prog, pristineBytes);
    const random = seeded(0x5eed_0014);
    let leftBehind = 0;
    for (let i = 0; i < KILLS; i++) {
      const at = Math.round((random(1000) / 1000) * full * 1.1);
      await killAfter(CHALK, args, { cwd: box.work, env: box.env }, at);
      leftBehind += (await tempFiles(box.work)).length;
      if (await sha256sum(prog) !== pristine) {
        // Not the original: it must be the complete marked program.
        const bytes = await Deno.readFile(prog);
        const found = elfCodec.findMark(wholeView(bytes));
        assert(found, `kill ${i} at ${at} ms: a changed file without a mark`);
        assertEquals(markProblem(found.mark, hashHex(elfCodec, bytes)), undefined, `kill ${i}`);
        assertEquals(hashHex(elfCodec, bytes), hash, `kill ${i}: HASH`);
      }
      assertEquals((await run(prog, [])).code, 0, `kill ${i} at ${at} ms: the program runs`);
      const next = await box.chalk(args);
      assertEquals(next.code, 0, next.stderr);
      assertEquals(await tempFiles(box.work), [], `kill ${i} at ${at} ms: after the next run`);
      await Deno.writeFile(prog, pristineBytes);
    }
    console.log(
      `${KILLS} kills during insert left ${leftBehind} temporary files; 0 after each next run`,
    );
  } finally {
    await box.cleanup();
  }
});

Deno.test("SIGKILL at random moments of load: the program is the old or the new one, no temporary file after the next load", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const bin = dirname(chalk);
    const configs = ["a", "b"].map((n) => join(box.work, `${n}.c4m`));
    for (const [i, path] of configs.entries()) {
      await Deno.writeTextFile(path, `# config ${i}\nlog_level: "warn"\n`);
    }
    const texts = await Promise.all(configs.map((c) => Deno.readTextFile(c)));
    const opts = { cwd: box.work, env: box.env };
    const full = await timed(() => run(chalk, ["load", configs[0]], opts));
    const random = seeded(0x10ad_0014);
    let leftBehind = 0;
    let expected = [texts[0]];
    for (let i = 0; i < KILLS; i++) {
      const next = configs[(i + 1) % 2];
      const at = Math.round((random(1000) / 1000) * full * 1.1);
      await killAfter(chalk, ["load", next], opts, at);
      leftBehind += (await tempFiles(bin)).length;
      const dump = await run(chalk, ["dump"], opts);
      assertEquals(dump.code, 0, `kill ${i} at ${at} ms: ${dump.stderr}`);
      assert(
        [...expected, texts[(i + 1) % 2]].includes(dump.stdout),
        `kill ${i} at ${at} ms: the program holds neither configuration:\n${dump.stdout}`,
      );
      const again = await run(chalk, ["load", next], opts);
      assertEquals(again.code, 0, again.stderr);
      assertEquals(await tempFiles(bin), [], `kill ${i} at ${at} ms: after the next load`);
      expected = [texts[(i + 1) % 2]];
    }
    console.log(
      `${KILLS} kills during load left ${leftBehind} temporary files; 0 after each next load`,
    );
  } finally {
    await box.cleanup();
  }
});
