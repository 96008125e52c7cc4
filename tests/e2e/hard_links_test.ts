/**
 * Hard-linked files: every name is a file of its own to the user, and insert and delete
 * replace a name by rename (which splits it from its other names). A walk that kept one name
 * per inode left the others unmarked (after insert) or still marked (after delete), silently.
 */
import { join } from "node:path";
import { assertEquals, assertMatch } from "../_assert.ts";
import { sandbox } from "./_chalk.ts";

const MAGIC = "dadfedabbadabbed";

async function marked(path: string): Promise<boolean> {
  return new TextDecoder().decode(await Deno.readFile(path)).includes(MAGIC);
}

Deno.test("insert and delete visit every name of a hard-linked file, once each", async () => {
  const box = await sandbox();
  try {
    const dir = join(box.work, "hl");
    await Deno.mkdir(dir);
    await Deno.copyFile("/bin/true", join(dir, "a"));
    await Deno.link(join(dir, "a"), join(dir, "b"));
    await Deno.writeTextFile(join(dir, "s.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    await Deno.link(join(dir, "s.sh"), join(dir, "t.sh"));
    // The same name reached twice (a folder and a file in it) is still one visit.
    const ins = await box.chalk(["insert", "hl", "hl/a"]);
    assertEquals(ins.code, 0, ins.stderr);
    assertMatch(ins.stderr, /4 chalked, 0 unchanged/);
    for (const name of ["a", "b", "s.sh", "t.sh"]) {
      assertEquals(await marked(join(dir, name)), true, `${name} is marked`);
    }
    const ext = await box.chalk(["extract", "hl"]);
    assertMatch(ext.stderr, /4 extracted/);
    await Deno.link(join(dir, "s.sh"), join(dir, "u.sh"));
    const del = await box.chalk(["delete", "hl"]);
    assertEquals(del.code, 0, del.stderr);
    for (const name of ["a", "b", "s.sh", "t.sh", "u.sh"]) {
      assertEquals(await marked(join(dir, name)), false, `${name} is unmarked`);
    }
    const run = await new Deno.Command(join(dir, "b")).output();
    assertEquals(run.code, 0);
  } finally {
    await box.cleanup();
  }
});
