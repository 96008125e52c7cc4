/**
 * `log_level` from a configuration file, as the built program prints (or keeps quiet).
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { sandbox } from "./_chalk.ts";

Deno.test('a configuration\'s log_level "warn" hides the info lines of extract', async () => {
  const box = await sandbox();
  try {
    await Deno.copyFile("/bin/ls", join(box.work, "ls"));
    await Deno.writeTextFile(join(box.work, "warn.c4m"), 'log_level: "warn"\n');
    const loud = await box.chalk(["extract", "ls"]);
    assertEquals(loud.code, 0, loud.stderr);
    assertMatch(loud.stderr, /^info: {2}extract: /m);

    const quiet = await box.chalk(["--config-file", "warn.c4m", "extract", "ls"]);
    assertEquals(quiet.code, 0, quiet.stderr);
    assertMatch(quiet.stderr, /^warn: {2}.*ls: Artifact is unchalked$/m);
    // The line saying which file is loaded comes before the file can lower the level (as in Chalk).
    const infos = quiet.stderr.split("\n").filter((l) => l.startsWith("info:"));
    assertEquals(infos.filter((l) => !l.endsWith("Loading config file (--config-file)")), []);
  } finally {
    await box.cleanup();
  }
});
