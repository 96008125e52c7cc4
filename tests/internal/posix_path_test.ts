/** internal/posix_path.ts against node:path (the reference) on the inputs chalk passes. */
import { assertEquals } from "../_assert.ts";
import * as node from "node:path";
import * as mine from "../../internal/posix_path.ts";

const PATHS = [
  "/",
  "/a",
  "/a/",
  "/a/b",
  "a",
  "a/b/",
  "./a",
  "../a",
  "/a/../b",
  "a/./b//c",
  "",
  ".",
];

Deno.test("posix_path agrees with node:path on basename, dirname, normalize, isAbsolute", () => {
  for (const p of PATHS) {
    if (p !== "") {
      assertEquals(mine.basename(p), node.posix.basename(p), `basename ${p}`);
      assertEquals(mine.dirname(p), node.posix.dirname(p), `dirname ${p}`);
    }
    assertEquals(
      mine.normalize(p).replace(/\/$/, "") || "/",
      node.posix.normalize(p).replace(/\/$/, "") || "/",
      `normalize ${p}`,
    );
    assertEquals(mine.isAbsolute(p), node.posix.isAbsolute(p), `isAbsolute ${p}`);
  }
});

Deno.test("posix_path agrees with node:path on join and resolve", () => {
  const pairs: [string, string][] = [["/a", "b"], ["a", "../b"], ["/a/b", "/c"], ["", "x"], [
    ".",
    "x/y",
  ], ["/etc/", "chalk.c4m"]];
  for (const [a, b] of pairs) {
    assertEquals(mine.join(a, b), node.posix.join(a, b), `join ${a} ${b}`);
    assertEquals(mine.resolve(a, b), node.posix.resolve(a, b), `resolve ${a} ${b}`);
  }
  assertEquals(mine.resolve("x"), node.posix.resolve("x"));
  assertEquals(mine.fromFileUrl("file:///a%20b/c"), "/a b/c");
});
