import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { WalkAhead, walkArtifacts } from "../../ops/walk.ts";

Deno.test("walkArtifacts: WalkAhead counts the entries read and not visited yet", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-walk-ahead-" });
  try {
    for (const name of ["a", "b", "c"]) await Deno.writeTextFile(join(dir, name), name);
    await Deno.mkdir(join(dir, "d"));
    for (const name of ["1", "2", "3", "4", "5"]) {
      await Deno.writeTextFile(join(dir, "d", name), "");
    }
    const ahead = new WalkAhead();
    const seen: [string, number][] = [];
    const report = { error() {}, warn() {}, skipped() {}, self() {}, selfTree() {} };
    const options = { recursive: true, ignore: [], fileLinks: "skip" as const, selfPath: "" };
    for await (const path of walkArtifacts([dir], options, report, ahead)) {
      seen.push([path.slice(dir.length + 1), ahead.entries]);
    }
    assertEquals(seen, [
      ["a", 3],
      ["b", 2],
      ["c", 1],
      ["d/1", 4],
      ["d/2", 3],
      ["d/3", 2],
      ["d/4", 1],
      ["d/5", 0],
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
