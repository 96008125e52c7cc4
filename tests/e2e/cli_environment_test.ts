/**
 * The command line in an unusual environment (docs/decisions.md, "One-line errors"): whatever
 * the shell chalk is started from looks like, a problem is one `error:` line with a documented
 * exit code, never Deno's own error output or a backtrace.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, run, sandbox } from "./_chalk.ts";
import { GONE_CWD_ERROR, NO_DENO_ERROR } from "../../scripts/sh_prologue.ts";

Deno.test("started in a working folder that was removed: one error line, exit 1", async () => {
  const box = await sandbox();
  try {
    const gone = join(box.work, "gone");
    await Deno.mkdir(gone);
    for (const args of ["version", "extract /bin/sh", "insert"]) {
      // The shell removes the folder it stands in, then starts chalk there.
      const r = await run("sh", [
        "-c",
        `cd '${gone}' && rmdir '${gone}' && exec '${CHALK}' ${args}`,
      ], {
        env: box.env,
      });
      assertEquals(r.code, 1, `${args}: ${r.stderr}`);
      // dash's own `getcwd() failed` at start-up may come first; chalk's line is the last.
      const lines = r.stderr.trimEnd().split("\n");
      assertEquals(lines.at(-1), GONE_CWD_ERROR, args);
      assert(!/backtrace|could not read current working directory/i.test(r.stderr), r.stderr);
      assertEquals(r.stdout, "", args);
      await Deno.mkdir(gone);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("a working folder reached through a stale $PWD still runs", async () => {
  const box = await sandbox();
  try {
    // PWD names no folder: sh finds the working folder itself, and chalk runs.
    const r = await run("sh", [
      "-c",
      `cd '${box.work}' && PWD=/no/such/folder exec '${CHALK}' version`,
    ], {
      env: box.env,
    });
    assertEquals(r.code, 0, r.stderr);
    assert(r.stdout.includes("Chalk Version"), r.stdout);
  } finally {
    await box.cleanup();
  }
});

Deno.test("stdout full: one line naming stdout, exit 1, whichever path prints", async () => {
  const box = await sandbox();
  try {
    const script = join(box.work, "s.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\n");
    const cases: [string[], number, string][] = [
      [["version"], 1, "error: stdout: no space left on device"],
      // With a configuration file, version goes through the console sink.
      [["--config-file", "/dev/null", "version"], 1, "error: stdout: no space left on device"],
      [["dump"], 1, "error: stdout: no space left on device"],
      [["help"], 1, "error: stdout: no space left on device"],
      [["completions", "bash"], 1, "error: stdout: no space left on device"],
      // A report's sink failing is not the run failing: exit 0, the report is cached.
      [["extract", script], 0, "warn:  stdout: no space left on device (sink conf="],
    ];
    for (const [args, code, line] of cases) {
      const quoted = args.map((a) => `'${a}'`).join(" ");
      const r = await run("sh", ["-c", `exec '${CHALK}' ${quoted} >/dev/full`], {
        env: box.env,
        cwd: box.work,
      });
      assertEquals(r.code, code, `${args}: ${r.stderr}`);
      assert(r.stderr.split("\n").some((l) => l.startsWith(line)), `${args}: ${r.stderr}`);
      assert(!/os error/.test(r.stderr), `${args}: ${r.stderr}`);
    }
  } finally {
    await box.cleanup();
  }
});

/** Runs chalk with its stderr a pipe whose reader is gone before chalk writes to it. */
async function withStderrGone(
  box: { env: Record<string, string>; work: string },
  args: string[],
): Promise<{ code: number; stdout: string }> {
  const child = new Deno.Command(CHALK, {
    args,
    cwd: box.work,
    env: box.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stderr.cancel(); // `2>&1 | head -1` once head has gone
  const out = await child.output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("stderr gone (2>&1 | head -1): insert marks, reports and exits 0", async () => {
  const box = await sandbox();
  try {
    const dir = join(box.work, "scripts");
    await Deno.mkdir(dir);
    for (let i = 0; i < 5; i++) await Deno.writeTextFile(join(dir, `s${i}.sh`), "#!/bin/sh\n");
    const r = await withStderrGone(box, ["--log-level", "info", "insert", dir]);
    assertEquals(r.code, 0);
    // Every file marked, and the run's reports written: stdout and chalk.log.
    for (let i = 0; i < 5; i++) {
      assert((await Deno.readTextFile(join(dir, `s${i}.sh`))).includes('"MAGIC"'), `s${i}.sh`);
    }
    assertEquals(JSON.parse(r.stdout)[0]._OPERATION, "insert");
    const log = await Deno.readTextFile(join(box.home, ".local", "chalk", "chalk.log"));
    assert(log.includes('"_OPERATION" : "insert"'), log.slice(0, 200));
    // A usage error keeps its exit code.
    assertEquals((await withStderrGone(box, ["bogus"])).code, 2);
  } finally {
    await box.cleanup();
  }
});

Deno.test("stdout gone (| head -1): the report is not printed again by the next run", async () => {
  const box = await sandbox();
  try {
    const a = join(box.work, "a.sh");
    const b = join(box.work, "b.sh");
    for (const f of [a, b]) await Deno.writeTextFile(f, "#!/bin/sh\n");
    const child = new Deno.Command(CHALK, {
      args: ["extract", a],
      cwd: box.work,
      env: box.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    await child.stdout.cancel(); // the reader has gone before chalk prints its report
    const first = await child.output();
    const stderr = new TextDecoder().decode(first.stderr);
    assertEquals(first.code, 0, stderr);
    assert(stderr.includes("warn:  stdout: broken pipe (sink conf='json_console_out')\n"), stderr);
    assert(!stderr.includes("for the next run"), stderr);
    // The next run's stdout has its own report only (it had a.sh's too, from the cache).
    const next = await box.chalk(["extract", b]);
    assertEquals(next.code, 0, next.stderr);
    const reports = JSON.parse(next.stdout) as { _UNMARKED?: string[] }[];
    assertEquals(reports.length, 1, next.stdout);
    assertEquals(reports[0]._UNMARKED, [b]);
  } finally {
    await box.cleanup();
  }
});

Deno.test("no deno on PATH: one error line saying so, exit 127", async () => {
  const box = await sandbox();
  try {
    const r = await run(CHALK, ["version"], { env: { ...box.env, PATH: "/nonexistent" } });
    assertEquals(r.code, 127, r.stderr);
    // It was sh's "<path>: 37: exec: deno: not found", naming a line of the prologue.
    assertEquals(r.stderr, `${NO_DENO_ERROR}\n`);
    assertEquals(r.stdout, "");
  } finally {
    await box.cleanup();
  }
});
