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

Deno.test("posix_path agrees with node:path on generated paths (join, normalize, resolve, relative, dirname, basename)", () => {
  const parts = ["", ".", "..", "a", "b/", "/", "/c", "d/../e", "f//g", "./h", "../i/", "j/."];
  // Every pair and a spread of triples: enough to reach trailing slashes, roots and `..` above them.
  const lists: string[][] = [];
  for (const x of parts) for (const y of parts) lists.push([x, y]);
  for (let i = 0; i < 200; i++) {
    lists.push([i % 12, (i * 5) % 12, (i * 7 + 3) % 12].map((k) => parts[k]));
  }
  for (const list of lists) {
    const label = JSON.stringify(list);
    assertEquals(mine.join(...list), node.posix.join(...list), `join ${label}`);
    assertEquals(mine.resolve(...list), node.posix.resolve(...list), `resolve ${label}`);
    const whole = list.join("");
    assertEquals(mine.normalize(whole), node.posix.normalize(whole), `normalize ${whole}`);
    if (whole !== "") {
      assertEquals(mine.dirname(whole), node.posix.dirname(whole), `dirname ${whole}`);
      assertEquals(mine.basename(whole), node.posix.basename(whole), `basename ${whole}`);
    }
    assertEquals(
      mine.relative(list[0], list[1]),
      node.posix.relative(list[0], list[1]),
      `relative ${label}`,
    );
  }
});
