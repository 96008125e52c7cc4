/**
 * A jar whose root `chalk.json` is the project's own file, not a mark: insert used to replace it
 * and delete could not bring it back (docs/codecs.md, "Zip archives"). Now the archive is left
 * byte for byte as it was, with one warning.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { must, sandbox, sha256sum } from "./_chalk.ts";

Deno.test("a jar whose chalk.json is no mark is skipped with a warning and never changed", async () => {
  const sb = await sandbox();
  try {
    const dir = join(sb.work, "d");
    await Deno.mkdir(dir);
    const jar = join(dir, "lib.jar");
    await must("python3", [
      "-c",
      `import zipfile
z = zipfile.ZipFile(${JSON.stringify(jar)}, 'w')
z.writestr('chalk.json', '{"project":"settings"}\\n')
z.writestr('A.class', 'x')
z.close()`,
    ]);
    const before = await sha256sum(jar);
    const named = await sb.chalk(["insert", "d/lib.jar"]);
    assertEquals(named.code, 1, named.stderr);
    assertMatch(
      named.stderr,
      /warn: {2}\S+\/d\/lib\.jar: skipped: zip: its root chalk\.json is not a chalk mark; marking would replace that file/,
    );
    // Exit 1, so the summary counts it as failed (it said "1 skipped" and no failure).
    assertMatch(named.stderr, /insert: 0 chalked, 0 unchanged, 0 skipped, 1 failed in /);
    assertEquals(await sha256sum(jar), before);
    // Found by a walk: the same line, and the run succeeds.
    const walk = await sb.chalk(["insert", "d"]);
    assertEquals(walk.code, 0, walk.stderr);
    assertMatch(walk.stderr, /lib\.jar: skipped: zip: its root chalk\.json is not a chalk mark/);
    assertMatch(walk.stderr, /insert: 0 chalked, 0 unchanged, 1 skipped in /);
    const del = await sb.chalk(["delete", "d/lib.jar"]);
    assertEquals(del.code, 0, del.stderr);
    assertEquals(await sha256sum(jar), before, "byte for byte");
    assertEquals((await must("unzip", ["-p", jar, "chalk.json"])).trim(), '{"project":"settings"}');
    const leftovers = [...Deno.readDirSync(dir)].map((e) => e.name);
    assertEquals(leftovers, ["lib.jar"]);
  } finally {
    await sb.cleanup();
  }
});
