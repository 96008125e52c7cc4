/** Evaluation budgets: runaway configurations stop with a located error (issue 13, item 2). */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { DEFAULT_EVAL_LIMITS, type EvalLimits } from "../../con4m/budget.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { ConfigStack } from "../../con4m/stack.ts";

/** Loads `text` as `f.c4m` under `limits`; returns the one error line and the time taken. */
async function stopped(
  text: string,
  limits: Partial<EvalLimits> = {},
): Promise<{ error: string; ms: number }> {
  const stack = new ConfigStack();
  stack.limits = { ...DEFAULT_EVAL_LIMITS, ...limits };
  const started = performance.now();
  const r = await stack.loadConfig(text, "f.c4m");
  const ms = performance.now() - started;
  assert(!r.ok, "the configuration must not finish");
  assertEquals(r.errors.length, 1, r.errors.map(String).join("\n"));
  return { error: String(r.errors[0]), ms };
}

/** How many processes have `cmdline` (arguments joined by NUL) in their /proc cmdline. */
function processesRunning(cmdline: string): number {
  let n = 0;
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      if (Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).includes(cmdline)) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

const STEPS = /Evaluation stopped: more than 20,000 steps \(a runaway loop or recursion\?\)$/;

Deno.test("budget stops a for loop to 2·10⁹ at the step limit, at the loop's line", async () => {
  const { error } = await stopped("x := 0\nfor i from 0 to 2000000000 {\n  x := x + 1\n}\n", {
    maxSteps: 20_000,
  });
  assertMatch(error, /^f\.c4m:[23]:\d+: /);
  assertMatch(error, STEPS);
});

Deno.test("budget counts iterations of an empty loop body", async () => {
  const { error } = await stopped("for i from 0 to 2000000000 {\n}\n", { maxSteps: 20_000 });
  assertMatch(error, /^f\.c4m:1:1: /);
  assertMatch(error, STEPS);
});

Deno.test("budget stops 10⁵ × 10⁵ nested loops", async () => {
  const text = "n := 0\nfor i from 0 to 100000 {\n  for j from 0 to 100000 {\n" +
    "    n := n + 1\n  }\n}\n";
  assertMatch((await stopped(text, { maxSteps: 20_000 })).error, STEPS);
});

Deno.test("budget stops exponential recursion within the call-depth limit", async () => {
  const text = "func f(n) {\n  if n == 0 { return 1 }\n  return f(n - 1) + f(n - 1)\n}\n" +
    "x := f(60)\n";
  const { error } = await stopped(text, { maxSteps: 20_000 });
  assertMatch(error, /^f\.c4m:[23]:\d+: /);
  assertMatch(error, STEPS);
});

Deno.test("budget stops a runaway spec validator: validation spends the same budget", async () => {
  const stack = new ConfigStack();
  stack.limits = { ...DEFAULT_EVAL_LIMITS, maxSteps: 20_000 };
  const spec = 'func spin(path, value) {\n  for i from 0 to 2000000000 { }\n  return ""\n}\n' +
    "root {\n  user_def_ok: false\n  field x {\n    type: int\n    require: false\n" +
    "    validator: func spin\n  }\n}\n";
  const loaded = await stack.loadSpec(spec, "s.c42spec");
  assert(loaded.ok, loaded.errors.map(String).join("\n"));
  const r = await stack.loadConfig("x: 1\n", "f.c4m");
  assert(!r.ok);
  assertMatch(String(r.errors[0]), STEPS);
});

Deno.test("budget stops at the wall-clock limit, killing a command that waits", async () => {
  const marker = `${1000 + Math.floor(Math.random() * 1000)}.5`;
  const { error, ms } = await stopped(`x := run("sleep ${marker} & sleep ${marker}")\n`, {
    maxMillis: 500,
  });
  assertMatch(error, /^f\.c4m:1:6: Evaluation stopped: still running after 0\.5 s$/);
  assert(ms < 5000, `stopped after ${ms} ms`);
  assertStrictEquals(processesRunning(`sleep\0${marker}`), 0, "no sleep left behind");
});

Deno.test("budget's clock also stops pure computation", async () => {
  const { error, ms } = await stopped("for i from 0 to 2000000000 {\n}\n", {
    maxSteps: Infinity,
    maxMillis: 300,
  });
  assertMatch(error, /^f\.c4m:1:1: Evaluation stopped: still running after 0\.3 s$/);
  assert(ms < 3000, `stopped after ${ms} ms`);
});

Deno.test("budget bounds string growth by + and by builtins", async () => {
  const doubling = await stopped('s := "x"\nfor i from 0 to 40 {\n  s := s + s\n}\n');
  assertMatch(
    doubling.error,
    /^f\.c4m:3:8: Evaluation stopped: a string of 33554432 characters \(at most 16777216\)$/,
  );
  const joined = await stopped(
    'l := ["xxxxxxxx"]\nfor i from 0 to 40 {\n  l := array_add(l, l)\n}\n',
    { maxItems: 5000 },
  );
  assertMatch(
    joined.error,
    /^f\.c4m:3:8: Evaluation stopped: a list or dict holding 8192 items \(at most 5000\)$/,
  );
  const replaced = await stopped(
    's := "ab"\nfor i from 0 to 40 {\n  s := replace(s, "a", s)\n}\n',
    { maxStringLength: 1000 },
  );
  assertMatch(replaced.error, /^f\.c4m:3:8: Evaluation stopped: a string of \d+ characters/);
});

Deno.test("budget counts the items of nested lists, shared ones each time", async () => {
  const text = 'l := ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]\nm := [l]\n' +
    "for i from 0 to 40 {\n  m := array_add(m, m)\n}\n";
  const grown = await stopped(text, { maxItems: 5000 });
  // 512 lists of 10: 512 + 5,120 items.
  assertMatch(grown.error, /^f\.c4m:4:8: Evaluation stopped: a list or dict holding 5632 items/);
  const literal = await stopped(
    'l := ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]\nm := [l, l, l, l, l, l]\n',
    { maxItems: 50 },
  );
  assertMatch(literal.error, /^f\.c4m:2:6: Evaluation stopped: a list or dict holding 66 items/);
});

Deno.test("each load gets a fresh budget; work below the limits is untouched", async () => {
  const stack = new ConfigStack();
  stack.limits = { ...DEFAULT_EVAL_LIMITS, maxSteps: 1000 };
  const text = "n := 0\nfor i from 0 to 300 {\n  n := n + 1\n}\nout: n\n";
  for (const file of ["1.c4m", "2.c4m", "3.c4m"]) {
    const r = await stack.loadConfig(text, file);
    assert(r.ok, r.errors.map(String).join("\n"));
  }
  assertEquals(new Con4mRuntime(stack).getInt("out"), 300n);
});

Deno.test("a host call of a con4m function is budgeted too", async () => {
  const stack = new ConfigStack();
  stack.limits = { ...DEFAULT_EVAL_LIMITS, maxSteps: 20_000 };
  const r = await stack.loadConfig(
    "func spin() {\n  for i from 0 to 2000000000 { }\n  return 1\n}\n",
    "f.c4m",
  );
  assert(r.ok, r.errors.map(String).join("\n"));
  const e = await new Con4mRuntime(stack).callFunction("spin", []).catch((x) => x);
  assertMatch(String(e), STEPS);
});
