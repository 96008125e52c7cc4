/**
 * A `chalk.c4m` in the working folder is code (issue 13, item 7): under CI it
 * is refused, with a warning naming the file and the evidence of CI, unless
 * the embedded configuration or `--trust-working-folder-config` trusts it.
 * Outside CI it loads as it always did. The configuration used here runs a
 * command, as an attacker's would, so whether it ran is visible on disk.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, run, type Sandbox, sandbox } from "./_chalk.ts";

const HOSTILE = 'x := run("touch pwned")\n';

async function ran(box: Sandbox): Promise<boolean> {
  try {
    await Deno.remove(join(box.work, "pwned"));
    return true;
  } catch {
    return false;
  }
}

Deno.test("under CI a working-folder chalk.c4m is refused and says why; outside CI it loads", async () => {
  const box = await sandbox();
  try {
    const conf = join(box.work, "chalk.c4m");
    await Deno.writeTextFile(conf, HOSTILE);

    const plain = await box.chalk(["version"]);
    assertEquals(plain.code, 0, plain.stderr);
    assertMatch(plain.stderr, new RegExp(`info: +${conf}: Found config file`));
    assert(await ran(box), "outside CI the working-folder configuration runs");

    for (const [name, value] of [["CI", "true"], ["GITHUB_ACTIONS", "true"], ["GITLAB_CI", "1"]]) {
      const r = await run(CHALK, ["version"], {
        cwd: box.work,
        env: { ...box.env, [name]: value },
      });
      assertEquals(r.code, 0, r.stderr);
      assert(!(await ran(box)), `${name}=${value}: the configuration must not run`);
      assertMatch(
        r.stderr,
        new RegExp(
          `warn: +${conf}: not loaded: a configuration in the working folder is not trusted ` +
            `when CI is detected \\(${name}=${value}\\); trust it with ` +
            "trust_working_folder_config in the embedded configuration or " +
            "--trust-working-folder-config\n",
        ),
      );
      assert(!r.stderr.includes("Found config file"), r.stderr);
    }

    const notCi = await run(CHALK, ["version"], {
      cwd: box.work,
      env: { ...box.env, CI: "false" },
    });
    assertEquals(notCi.code, 0, notCi.stderr);
    assert(await ran(box), "CI=false is not CI");
  } finally {
    await box.cleanup();
  }
});

Deno.test("under CI a flag, the embedded configuration or --config-file trusts the file", async () => {
  const box = await sandbox({ CI: "true" });
  try {
    const conf = join(box.work, "chalk.c4m");
    await Deno.writeTextFile(conf, HOSTILE);

    const flagged = await box.chalk(["--trust-working-folder-config", "version"]);
    assertEquals(flagged.code, 0, flagged.stderr);
    assert(await ran(box), "the flag trusts it");

    const named = await box.chalk(["version", "--config-file", "chalk.c4m"]);
    assertEquals(named.code, 0, named.stderr);
    assertMatch(
      named.stderr,
      new RegExp(`info: +${conf}: Loading config file \\(--config-file\\)`),
    );
    assert(await ran(box), "a file named by --config-file is the user's explicit choice");

    const chalk = join(box.home, "chalk");
    await Deno.copyFile(CHALK, chalk);
    const trusting = join(box.home, "trusting.c4m");
    await Deno.writeTextFile(trusting, "trust_working_folder_config: true\n");
    const loaded = await run(chalk, ["load", trusting], { cwd: box.home, env: box.env });
    assertEquals(loaded.code, 0, loaded.stderr);
    const embedded = await run(chalk, ["version"], { cwd: box.work, env: box.env });
    assertEquals(embedded.code, 0, embedded.stderr);
    assert(await ran(box), "the embedded configuration trusts it");
  } finally {
    await box.cleanup();
  }
});

Deno.test("under CI the search passes over the working folder to the next chalk.c4m", async () => {
  const box = await sandbox({ GITHUB_ACTIONS: "true" });
  try {
    await Deno.writeTextFile(join(box.work, "chalk.c4m"), HOSTILE);
    const trusted = join(box.home, ".config", "chalk", "chalk.c4m");
    await Deno.mkdir(join(box.home, ".config", "chalk"), { recursive: true });
    await Deno.writeTextFile(trusted, 'log_level: "warn"\n');
    const r = await box.chalk(["version"]);
    assertEquals(r.code, 0, r.stderr);
    assert(!(await ran(box)));
    assertMatch(r.stderr, /chalk\.c4m: not loaded: .*\(GITHUB_ACTIONS=true\)/);
    assertMatch(r.stderr, new RegExp(`info: +${trusted}: Found config file`));
  } finally {
    await box.cleanup();
  }
});

Deno.test("under CI a working folder that is also HOME does not let files in through ~", async () => {
  const box = await sandbox({ CI: "true" });
  try {
    await Deno.writeTextFile(join(box.work, "chalk.c4m"), HOSTILE);
    await Deno.mkdir(join(box.work, ".config", "chalk"), { recursive: true });
    await Deno.writeTextFile(join(box.work, ".config", "chalk", "chalk.c4m"), HOSTILE);
    const r = await run(CHALK, ["version"], {
      cwd: box.work,
      env: { ...box.env, HOME: box.work },
    });
    assertEquals(r.code, 0, r.stderr);
    assert(!(await ran(box)), "refused through '.', not loaded through '~'");
    // ./chalk.c4m (reached through '.' and '~') and ./.config/chalk/chalk.c4m.
    assertEquals(r.stderr.match(/not loaded/g)?.length, 2, r.stderr);
  } finally {
    await box.cleanup();
  }
});
