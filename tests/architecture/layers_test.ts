/** The rooms of docs/architecture.md: every import points down, and the check notices when not. */
import { join, resolve } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { arrowProblem, checkLayers, importSpecifiers, RANKS } from "../../scripts/check_layers.ts";

const ROOT = resolve(import.meta.dirname!, "../..");

Deno.test("every import between the program's rooms points down", () => {
  const found = checkLayers(ROOT).map((v) => `${v.from} → ${v.to}: ${v.reason}`);
  assertEquals(found, []);
});

Deno.test("the layer check rejects an upward, a sideways and a server arrow", () => {
  assert(arrowProblem("codecs/elf.ts", "ops/scan.ts")?.includes("below"));
  assert(arrowProblem("docker/run_docker.ts", "exec/run_exec.ts")?.includes("equal rank"));
  assert(arrowProblem("ops/insert.ts", "cli/main.ts")?.includes("below"));
  assert(arrowProblem("sinks/post.ts", "server/app.ts")?.includes("nothing imports"));
  assert(arrowProblem("server/app.ts", "ops/scan.ts")?.includes("server/"));
  assertEquals(arrowProblem("ops/insert.ts", "codecs/elf.ts"), undefined);
  assertEquals(arrowProblem("tests/x_test.ts", "cli/main.ts"), undefined);
});

Deno.test("the layer check reads static, type-only and dynamic imports, not comments", () => {
  const text = [
    'import { a } from "../ops/a.ts";',
    'import type { B } from "./b.ts";',
    'export { c } from "../c.ts";',
    'import "../side.ts";',
    'const d = await import("../exec/d.ts");',
    '// import { e } from "../cli/e.ts";',
    '/* import { f } from "../cli/f.ts"; */',
    'import { g } from "node:path";',
  ].join("\n");
  assertEquals(importSpecifiers(text), [
    "../ops/a.ts",
    "./b.ts",
    "../c.ts",
    "../side.ts",
    "../exec/d.ts",
  ]);
});

Deno.test("a file placed in the wrong room fails the check", () => {
  const dir = Deno.makeTempDirSync();
  try {
    for (const room of ["codecs", "ops"]) Deno.mkdirSync(join(dir, room));
    Deno.writeTextFileSync(join(dir, "ops/scan.ts"), "export const x = 1;\n");
    Deno.writeTextFileSync(join(dir, "codecs/bad.ts"), 'import { x } from "../ops/scan.ts";\n');
    const found = checkLayers(dir);
    assertEquals(found.map((v) => [v.from, v.to]), [["codecs/bad.ts", "ops/scan.ts"]]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("every room of the program is published (deno.json publish.include)", () => {
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  const included = new Set<string>(config.publish.include);
  const missing = Object.keys(RANKS).filter((room) =>
    !included.has(room === "mod.ts" ? room : `${room}/`)
  );
  assertEquals(missing, []);
});
