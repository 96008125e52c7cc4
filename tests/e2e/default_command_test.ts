/**
 * `default_command`: the command a command line without one runs, from a configuration file or
 * the embedded configuration; help when none names it.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { privateChalk, run, sandbox } from "./_chalk.ts";

Deno.test("default_command runs when the command line names no command", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const bare = await run(chalk, [], { cwd: box.work, env: box.env });
    assertEquals(bare.code, 0, bare.stderr);
    assertMatch(bare.stdout, /^Usage: chalk \[options\] \[command\]/);

    const conf = join(box.work, "dc.c4m");
    await Deno.writeTextFile(conf, 'default_command: "version"\n');
    const fromFile = await run(chalk, ["--config-file", conf], { cwd: box.work, env: box.env });
    assertEquals(fromFile.code, 0, fromFile.stderr);
    assertMatch(fromFile.stdout, /^Chalk Version +\d/);

    const loaded = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
    assertEquals(loaded.code, 0, loaded.stderr);
    const embedded = await run(chalk, [], { cwd: box.work, env: box.env });
    assertEquals(embedded.code, 0, embedded.stderr);
    assertMatch(embedded.stdout, /^Chalk Version +\d/);
    // A command typed still wins, and global flags alone take the default.
    const typed = await run(chalk, ["dump"], { cwd: box.work, env: box.env });
    assertEquals(typed.stdout, 'default_command: "version"\n');
    const flagsOnly = await run(chalk, ["--no-color"], { cwd: box.work, env: box.env });
    assertMatch(flagsOnly.stdout, /^Chalk Version +\d/);

    await Deno.writeTextFile(conf, 'default_command: "help"\n');
    const help = await run(chalk, ["--no-use-embedded-config", "-f", conf], {
      cwd: box.work,
      env: box.env,
    });
    assertEquals(help.code, 0, help.stderr);
    assertMatch(help.stdout, /^Usage: chalk \[options\] \[command\]/);
  } finally {
    await box.cleanup();
  }
});
