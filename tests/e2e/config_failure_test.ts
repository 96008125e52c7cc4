/**
 * A configuration layer that fails, through the built program: the way out named is the failing
 * layer's own (`--no-use-embedded-config` only for the embedded configuration).
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, privateChalk, run, sandbox } from "./_chalk.ts";

/** A configuration that loads, and fails at run time when CHALK_TEST_BREAK is 1. */
const BREAKS_ON_DEMAND = 'if env("CHALK_TEST_BREAK") == "1" {\n  l := [1]\n  y := l[5]\n}\n';

Deno.test("a failing configuration layer names its own way out", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const missing = await run(chalk, ["--config-file", "/nonexistent.c4m", "env"], {
      cwd: box.work,
      env: box.env,
    });
    assertEquals(missing.code, 2, missing.stderr);
    assertEquals(errorLines(missing.stderr), [
      "error: /nonexistent.c4m: could not open configuration file: no such file",
      "error: Could not load configuration files.",
    ]);

    const folder = join(box.work, "folder");
    await Deno.mkdir(folder);
    await Deno.writeTextFile(join(folder, "chalk.c4m"), "x := 1 +\n");
    const found = await run(chalk, ["env"], { cwd: folder, env: box.env });
    assertEquals(found.code, 2, found.stderr);
    assertMatch(errorLines(found.stderr)[0], /folder\/chalk\.c4m:1:\d+: Parse error/);
    assertEquals(
      errorLines(found.stderr).at(-1),
      "error: Could not load configuration files; fix that file, or run with --no-use-external-config.",
    );

    const conf = join(box.work, "breaks.c4m");
    await Deno.writeTextFile(conf, BREAKS_ON_DEMAND);
    const loaded = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
    assertEquals(loaded.code, 0, loaded.stderr);
    const env = { ...box.env, CHALK_TEST_BREAK: "1" };
    const embedded = await run(chalk, ["env"], { cwd: box.work, env });
    assertEquals(embedded.code, 2, embedded.stderr);
    assertMatch(errorLines(embedded.stderr)[0], /\[embedded config\]:3:\d+: .*index/);
    assertEquals(
      errorLines(embedded.stderr).at(-1),
      "error: Could not load configuration files; run with --no-use-embedded-config to recover.",
    );
    for (const r of [missing, found]) assert(!r.stderr.includes("--no-use-embedded-config"));
  } finally {
    await box.cleanup();
  }
});

Deno.test("version and dump answer, with a warning, when the embedded configuration fails", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const conf = join(box.work, "breaks.c4m");
    await Deno.writeTextFile(conf, BREAKS_ON_DEMAND);
    const loaded = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
    assertEquals(loaded.code, 0, loaded.stderr);
    const env = { ...box.env, CHALK_TEST_BREAK: "1" };
    const version = await run(chalk, ["version"], { cwd: box.work, env });
    assertEquals(version.code, 0, version.stderr);
    assertMatch(version.stdout, /^Chalk Version +\d/);
    assertEquals(version.stderr.split("\n").filter((l) => l !== ""), [
      "warn:  [embedded config]:3:8: Runtime error in config: array index out of bounds",
      "warn:  The embedded configuration does not load; version runs without it " +
      "(chalk --no-use-embedded-config load default repairs the program).",
    ]);
    const dump = await run(chalk, ["dump"], { cwd: box.work, env });
    assertEquals(dump.code, 0, dump.stderr);
    assertEquals(dump.stdout, BREAKS_ON_DEMAND);
    const saved = join(box.work, "saved.c4m");
    const dumpFile = await run(chalk, ["dump", saved], { cwd: box.work, env });
    assertEquals(dumpFile.code, 0, dumpFile.stderr);
    assertEquals(await Deno.readTextFile(saved), BREAKS_ON_DEMAND);
    // Other commands run what the configuration says, so they stop.
    assertEquals((await run(chalk, ["extract", "."], { cwd: box.work, env })).code, 2);
  } finally {
    await box.cleanup();
  }
});
