/** Evaluator semantics, run through the real parser and checker. */

import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { ConfigStack, type StepResult } from "../../con4m/stack.ts";
import { AttrScope } from "../../con4m/attributes.ts";
import { runFuzz } from "../../bench/con4m_fuzz.ts";
import * as path from "node:path";
import { CORPUS_DIR, REPO_ROOT, sharedTest } from "../_shared.ts";

async function run(text: string): Promise<{ rt: Con4mRuntime; r: StepResult; out: string }> {
  let out = "";
  const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
  const r = await stack.loadConfig(text, "t.c4m");
  return { rt: new Con4mRuntime(stack), r, out };
}

async function ok(text: string): Promise<{ rt: Con4mRuntime; out: string }> {
  const { rt, r, out } = await run(text);
  assert(r.ok, r.errors.map(String).join("\n"));
  return { rt, out };
}

Deno.test("evaluator sets root attributes, sections and dotted paths", async () => {
  const { rt } = await ok(`
a: 1
b = "two"
s {
  c: true
  inner { d: 2.5 }
}
x.y.z = 10
sink_config foo { enabled: true }
`);
  assertEquals(rt.getInt("a"), 1n);
  assertEquals(rt.getString("b"), "two");
  assertEquals(rt.getBool("s.c"), true);
  assertEquals(rt.getFloat("s.inner.d"), 2.5);
  assertEquals(rt.getInt("x.y.z"), 10n);
  assertEquals(rt.sectionNames("sink_config"), ["foo"]);
  assertEquals(rt.attrNames(""), ["a", "b"]);
});

Deno.test("evaluator re-enters an open section and keeps earlier attributes", async () => {
  const { rt } = await ok(`
sink_config foo { a: 1 }
sink_config bar { a: 2 }
sink_config foo { b: 3 }
`);
  assertEquals(rt.sectionNames("sink_config"), ["foo", "bar"]);
  assertEquals(rt.attrNames("sink_config.foo"), ["a", "b"]);
});

Deno.test("evaluator runs the first true if/elif branch", async () => {
  const { rt } = await ok(`
x := 5
if x > 10 { r: "big" } elif x > 3 { r: "mid" } elif x > 1 { r: "small" } else { r: "tiny" }
`);
  assertEquals(rt.getString("r"), "mid");
});

Deno.test("evaluator counts for loops up and down, end-exclusive", async () => {
  const { out } = await ok(`
for i from 1 to 4 { echo($(i)) }
for i from 4 to 1 { echo($(i)) }
for i from 3 to 3 { echo("never") }
`);
  assertEquals(out.trim().split("\n"), ["1", "2", "3", "3", "2", "1"]);
});

Deno.test("evaluator honours break and continue", async () => {
  const { rt } = await ok(`
total := 0
for i from 0 to 10 {
  if i == 2 { continue }
  if i == 5 { break }
  total := total + i
}
t: total
`);
  assertEquals(rt.getInt("t"), 0n + 1n + 3n + 4n);
});

Deno.test("evaluator calls recursive and forward-referenced functions", async () => {
  const { rt } = await ok(`
f5: fact(5)
func fact(n) {
  if n <= 1 { return 1 }
  return n * fact(n - 1)
}
`);
  assertEquals(rt.getInt("f5"), 120n);
});

Deno.test("evaluator returns result on a bare return", async () => {
  const { rt } = await ok(`
func check(s) {
  result := ""
  if s == "bad" { return "refused" }
  return
}
a: check("bad")
b: check("fine")
`);
  assertEquals(rt.getString("a"), "refused");
  assertEquals(rt.getString("b"), "");
});

Deno.test("evaluator keeps greedy not", async () => {
  const { rt } = await ok(`
path := "chalk.key"
r: not ends_with(path, ".key") or not ends_with(path, ".pub")
`);
  // not (ends_with(.key) or not ends_with(.pub)) = not (true or ...) = false
  assertEquals(rt.getBool("r"), false);
});

Deno.test("evaluator shares exported variables with functions as true globals", async () => {
  const { rt } = await ok(`
counter := 0
export counter
func bump() { counter := counter + 1 }
bump()
bump()
n: counter
`);
  assertEquals(rt.getInt("n"), 2n);
});

Deno.test("evaluator gives enum members consecutive ints visible in functions", async () => {
  const { rt } = await ok(`
enum A, B, C
func third() { return C }
c: third()
`);
  assertEquals(rt.getInt("c"), 2n);
});

Deno.test("evaluator unpacks tuples into variables", async () => {
  const { rt } = await ok(`
d, f := path_split("/usr/bin/env")
dir: d
file: f
`);
  assertEquals(rt.getString("dir"), "/usr/bin");
  assertEquals(rt.getString("file"), "env");
});

Deno.test("evaluator divides ints to a float and indexes strings by character", async () => {
  const { rt } = await ok(`
q: 7 / 2
c := "héllo"[1]
ch: $(c)
`);
  assertEquals(rt.getFloat("q"), 3.5);
  assertEquals(rt.getString("ch"), "é");
});

Deno.test("evaluator reports index errors with position", async () => {
  const { r } = await run(`l := [1, 2]\nx: l[5]\n`);
  assert(!r.ok);
  assertEquals(r.errors[0].phase, "runtime");
  assertEquals([r.errors[0].line, r.errors[0].col], [2, 4]);
  assertMatch(r.errors[0].message, /^t\.c4m:2:4: .*index out of bounds/);
});

Deno.test("evaluator names the function a runtime error happened in", async () => {
  const { r } = await run(`func pick(l: list[int]) {\n  return l[3]\n}\nx: pick([1])\n`);
  assert(!r.ok);
  assertMatch(r.errors[0].message, /^t\.c4m:2:\d+: .*in function 'pick'/);
});

Deno.test("evaluator refuses to change a ~locked attribute but accepts the same value", async () => {
  const good = await run(`~a: 1\na: 1\n`);
  assert(good.r.ok, good.r.errors.map(String).join());
  const { r } = await run(`~a: 1\na: 2\n`);
  assert(!r.ok);
  assertMatch(r.errors[0].message, /t\.c4m:2:1: a: attribute is locked and can't be set/);
});

Deno.test("evaluator raises a runtime error on int64 overflow", async () => {
  const { r } = await run(`x: high() + 1\n`);
  assert(!r.ok);
  assertMatch(r.errors[0].message, /Integer overflow/);
});

Deno.test("evaluator reports a section/attribute clash", async () => {
  const { r } = await run(`a: 1\na { b: 2 }\n`);
  assert(!r.ok);
  assertMatch(r.errors[0].message, /a: should be a section, but already have it as an attr/);
});

Deno.test("evaluator creates slots for sections in branches that did not run", async () => {
  const { rt } = await ok(`if false { never { x: 1 } }\n`);
  assert(rt.lookup("never") instanceof AttrScope);
  assertEquals(rt.isSet("never.x"), false);
});

Deno.test("evaluator lets the host call callbacks stored in attributes", async () => {
  const { rt } = await ok(`
func greet(name: string) { return "hello " + name }
hook: func greet(string) -> string
`);
  const res = await rt.callCallback("hook", ["con4m"]);
  assertEquals(res, { found: true, value: "hello con4m" });
  assertEquals(await rt.callFunction("missing", []), { found: false });
});

Deno.test("evaluator reads other literals as Duration and Size", async () => {
  const { rt } = await ok(`d: << 3 sec >>\ns: <<250mb>>\n`);
  assertEquals(rt.getInt("d"), 3_000_000n);
  assertEquals(rt.getInt("s"), 250_000_000n);
});

sharedTest("evaluator survives random mutations of the corpus without crashing", {
  needs: "corpus",
}, async () => {
  const s = await runFuzz({ cases: 1500, seed: 7, roots: [CORPUS_DIR] });
  assertEquals(s.cases, 1500);
  assertEquals(s.crashes, []);
  // The mutations really exercise every outcome.
  assert(s.ok > 0 && (s.errors.parse ?? 0) > 0 && (s.errors.check ?? 0) > 0, JSON.stringify(s));
});

Deno.test("evaluator survives random mutations of chalk-ts's own con4m files without crashing", async () => {
  const roots = ["fixtures/con4m", "config", "docs/configs"].map((d) => path.join(REPO_ROOT, d));
  const s = await runFuzz({ cases: 1500, seed: 7, roots });
  assertEquals(s.cases, 1500);
  assertEquals(s.crashes, []);
  assert(s.ok > 0 && (s.errors.parse ?? 0) > 0 && (s.errors.check ?? 0) > 0, JSON.stringify(s));
});

Deno.test("evaluator reports input nested too deeply instead of crashing", async () => {
  const { r } = await run("if true {".repeat(5000) + "}".repeat(5000) + "\n");
  assert(!r.ok);
  assertMatch(r.errors[0].message, /Nesting too deep in t\.c4m/);
  const rec = await run("func f(n) { return f(n) }\nx: f(1)\n");
  assertMatch(rec.r.errors[0].message, /t\.c4m:1:\d+: Call depth limit reached when calling 'f'/);
});
