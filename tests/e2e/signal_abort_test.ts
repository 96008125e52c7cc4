/**
 * SIGINT, SIGTERM and SIGHUP while chalk writes (docs/files.md, "Signals"): the temporary files in
 * flight are removed before chalk exits with 128 + the signal's number and one line, and every
 * artifact is the old one or the complete new one. Before, Deno died at once and left a
 * temporary file as large as the artifact.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { elfCodec } from "../../codecs/elf.ts";
import { bigProgram, CHALK, run, sandbox, sha256sum } from "./_chalk.ts";

const SIGNALS: [Deno.Signal, number][] = [["SIGINT", 130], ["SIGTERM", 143], ["SIGHUP", 129]];

function chalkTemps(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => /^\..+\.chalk-/.test(n));
}

/** Starts `chalk args` and sends `signal` as soon as `ready()` holds (polled every 2 ms). */
async function signalWhen(
  args: string[],
  opts: { cwd: string; env: Record<string, string>; signal: Deno.Signal; ready: () => boolean },
): Promise<{ code: number; stderr: string; signalled: boolean }> {
  const child = new Deno.Command(CHALK, {
    args,
    cwd: opts.cwd,
    env: opts.env,
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let done = false;
  const status = child.status.finally(() => done = true);
  let signalled = false;
  while (!done) {
    if (opts.ready()) {
      try {
        child.kill(opts.signal);
        signalled = true;
      } catch { /* ended meanwhile */ }
      break;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return { code: (await status).code, stderr: await stderr, signalled };
}

Deno.test("a signal during insert of a large program removes the temporary file and exits 128+n", async () => {
  const sb = await sandbox();
  try {
    const prog = await bigProgram(sb.work, "big", 128);
    const pristine = await Deno.readFile(prog);
    const pristineSum = await sha256sum(prog);
    let caught = 0;
    for (const [signal, status] of SIGNALS) {
      // As soon as the temporary file is there: chalk is hashing and copying into it.
      const r = await signalWhen(["insert", "--skip-summary-report", "big"], {
        cwd: sb.work,
        env: sb.env,
        signal,
        ready: () => chalkTemps(sb.work).length > 0,
      });
      assertEquals(
        chalkTemps(sb.work),
        [],
        `${signal}: a temporary file is left (exit ${r.code}): ${r.stderr}`,
      );
      assertEquals((await run(prog, [])).code, 0, `${signal}: the program runs`);
      if (r.signalled && r.code === status) {
        caught++;
        assertEquals(
          r.stderr.split("\n").filter((l) => l.includes("Aborting")),
          [`error: Aborting due to signal ${signal} (${
            status - 128
          }); temporary files removed, no artifact half-written`],
        );
      } else {
        // The run ended before the signal came: it must have succeeded.
        assertEquals(r.code, 0, `${signal}: ${r.stderr}`);
      }
      if (await sha256sum(prog) !== pristineSum) {
        // Not the original: the complete marked program.
        const found = elfCodec.findMark(wholeView(await Deno.readFile(prog)));
        assert(found, `${signal}: a changed file without a mark`);
        await Deno.writeFile(prog, pristine);
      }
    }
    assert(caught > 0, "no signal arrived while chalk was writing");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("a signal while the writing thread marks scripts leaves no temporary file and no torn script", async () => {
  const sb = await sandbox({ CHALK_TS_WRITE_BEHIND: "worker" });
  try {
    const dir = join(sb.work, "scripts");
    await Deno.mkdir(dir);
    const script = (i: number) => `#!/bin/sh\necho ${i}\n`;
    let marked = 0;
    for (let i = 0; i < 1500; i++) {
      await Deno.writeTextFile(join(dir, `s${i}.sh`), script(i), { mode: 0o755 });
    }
    // Once s300.sh is marked the worker writes (it takes over after 128 files) and has batches
    // queued: it finishes them, and no file is left half-written or as a temporary file.
    const r = await signalWhen(["insert", "--skip-summary-report", "scripts"], {
      cwd: sb.work,
      env: sb.env,
      signal: "SIGINT",
      ready: () => Deno.readTextFileSync(join(dir, "s300.sh")).includes("MAGIC"),
    });
    assert(r.signalled, "the run ended before s300.sh was marked");
    assertEquals(r.code, 130, r.stderr);
    assertMatch(r.stderr, /^error: Aborting due to signal SIGINT \(2\)/m);
    assertEquals(chalkTemps(dir), []);
    for (let i = 0; i < 1500; i++) {
      const text = await Deno.readTextFile(join(dir, `s${i}.sh`));
      if (text === script(i)) continue;
      marked++;
      assertMatch(
        text,
        /^#!\/bin\/sh\necho \d+\n# \{ "MAGIC" : "dadfedabbadabbed".*\}\n?$/,
        `s${i}.sh`,
      );
    }
    // Stopped part-way: the later scripts were never touched.
    assert(marked > 300 && marked < 1500, `${marked} scripts marked`);
  } finally {
    await sb.cleanup();
  }
});
