import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import {
  dropOldContent,
  dropOldContentNow,
  holdOldContent,
  retiredFilesGone,
} from "../../ops/retired_files.ts";

function chalkTemps(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.includes(".chalk-"));
}

Deno.test("retired files: the old content outlives the rename, then goes on another thread", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-retired-" });
  try {
    const target = join(dir, "big.bin");
    await Deno.writeTextFile(target, "old");
    const oldFile = await Deno.open(target);
    const link = holdOldContent(target);
    assert(link !== undefined && link.startsWith(join(dir, ".big.bin.chalk-")), link);
    assertEquals((await oldFile.stat()).nlink, 2);
    const fresh = join(dir, "fresh");
    await Deno.writeTextFile(fresh, "new");
    Deno.renameSync(fresh, target);
    assertEquals((await oldFile.stat()).nlink, 1, "the rename freed nothing: the link holds it");
    dropOldContent(link);
    await retiredFilesGone();
    assertEquals((await oldFile.stat()).nlink, 0);
    oldFile.close();
    assertEquals(await Deno.readTextFile(target), "new");
    assertEquals(chalkTemps(dir), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("retired files: nothing to link is undefined; a link whose rename failed goes at once", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-retired-" });
  try {
    assertEquals(holdOldContent(join(dir, "missing")), undefined);
    const target = join(dir, "a");
    await Deno.writeTextFile(target, "a");
    const link = holdOldContent(target)!;
    dropOldContentNow(link);
    assertEquals(chalkTemps(dir), []);
    assertEquals(await Deno.readTextFile(target), "a");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
