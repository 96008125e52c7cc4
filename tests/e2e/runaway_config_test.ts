/**
 * Configurations that never finish (issue 13, item 2), through the built
 * program: `--config-file`, `load` and an embedded configuration stop within
 * the evaluation budget with exit code 2 and the file and line; `load` leaves
 * the program byte-identical. Prints one line per case with its time.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, privateChalk, run, sandbox, sha256sum } from "./_chalk.ts";

/**
 * [file, text, where and why it must stop]. Computation stops at the step limit, or at the
 * clock first when the machine is loaded.
 */
const RUNAWAYS: [string, string, RegExp][] = [
  [
    "loop.c4m",
    "x := 0\nfor i from 0 to 2000000000 {\n  x := x + 1\n}\n",
    /loop\.c4m:[23]:\d+: Evaluation stopped: (more than 2,000,000 steps|still running after 5 s)/,
  ],
  [
    "nested.c4m",
    "n := 0\nfor i from 0 to 100000 {\n  for j from 0 to 100000 {\n    n := n + 1\n  }\n}\n",
    /nested\.c4m:[34]:\d+: Evaluation stopped: (more than 2,000,000 steps|still running after 5 s)/,
  ],
  [
    "recursion.c4m",
    "func f(n) {\n  if n == 0 { return 1 }\n  return f(n - 1) + f(n - 1)\n}\nx := f(60)\n",
    /recursion\.c4m:[23]:\d+: Evaluation stopped: (more than 2,000,000 steps|still running after 5 s)/,
  ],
  [
    "string_bomb.c4m",
    's := "x"\nfor i from 0 to 40 {\n  s := s + s\n}\n',
    /string_bomb\.c4m:3:8: Evaluation stopped: a string of 33554432 characters/,
  ],
  [
    "sleeper.c4m",
    'x := run("sleep 600")\n',
    /sleeper\.c4m:1:6: Evaluation stopped: still running after 5 s/,
  ],
];

/** The evaluation's 5 s clock plus start-up on a loaded machine. */
const BOUND_MS = 15_000;

Deno.test("runaway configurations stop within the budget via --config-file and load", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    const timed = async (args: string[]) => {
      const started = performance.now();
      const r = await run(chalk, args, { cwd: box.work, env: box.env });
      return { r, ms: Math.round(performance.now() - started) };
    };
    const results = await Promise.all(RUNAWAYS.map(async ([name, text, reason]) => {
      const path = join(box.work, name);
      await Deno.writeTextFile(path, text);
      const version = await timed(["version", "--config-file", path]);
      const load = await timed(["load", path]);
      return { name, reason, version, load };
    }));
    for (const { name, reason, version, load } of results) {
      console.log(
        `${name.padEnd(16)} version --config-file: exit ${version.r.code} in ${version.ms} ms;` +
          ` load: exit ${load.r.code} in ${load.ms} ms`,
      );
      for (const { r, ms } of [version, load]) {
        assertEquals(r.code, 2, `${name}: ${r.stderr}`);
        assertMatch(errorLines(r.stderr)[0], reason);
        assert(!/\n\s+at /.test(r.stderr), `${name}: no stack trace`);
        assert(ms < BOUND_MS, `${name}: took ${ms} ms`);
      }
    }
    assertEquals(await sha256sum(chalk), pristine, "load left the program byte-identical");
  } finally {
    await box.cleanup();
  }
});

Deno.test("an embedded configuration that runs away stops; --no-use-embedded-config recovers", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const conf = join(box.work, "sometimes.c4m");
    await Deno.writeTextFile(
      conf,
      'if env("CHALK_TEST_RUNAWAY") == "1" {\n  for i from 0 to 2000000000 {\n  }\n}\n',
    );
    const loaded = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
    assertEquals(loaded.code, 0, loaded.stderr);
    const env = { ...box.env, CHALK_TEST_RUNAWAY: "1" };
    const started = performance.now();
    const stuck = await run(chalk, ["env"], { cwd: box.work, env });
    assert(performance.now() - started < BOUND_MS, "bounded");
    assertEquals(stuck.code, 2, stuck.stderr);
    assertMatch(
      errorLines(stuck.stderr)[0],
      /\[embedded config\]:2:3: Evaluation stopped: (more than 2,000,000 steps|still running)/,
    );
    const repaired = await run(chalk, ["--no-use-embedded-config", "version"], {
      cwd: box.work,
      env,
    });
    assertEquals(repaired.code, 0, repaired.stderr);
  } finally {
    await box.cleanup();
  }
});
