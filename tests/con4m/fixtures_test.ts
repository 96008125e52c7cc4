/**
 * Conformance over the project's own con4m fixtures (fixtures/con4m/, see its README.md):
 * configs that must parse, check, run and validate, with the text they echo; configs that
 * must fail in a given phase at a given place; c42 specs; a stack of steps sharing exported
 * variables; and user layers over chalk-ts's base configuration. These always run; the
 * corpus tests (conformance_test.ts) need ../shared.
 */

import * as path from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import type { Con4mError } from "../../con4m/errors.ts";
import { countParses, tryParseCon4m } from "../../con4m/parser.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { ConfigStack, type StepResult } from "../../con4m/stack.ts";
import { keyProblems } from "../../config/key_checks.ts";
import { newChalkHostEnv, restoreBaseStack } from "../../config/base_snapshot.ts";
import { REPO_ROOT } from "../_shared.ts";

const FIXTURES = path.join(REPO_ROOT, "fixtures/con4m");

function read(rel: string): string {
  return Deno.readTextFileSync(path.join(FIXTURES, rel));
}

function files(dir: string, ext: RegExp): string[] {
  return [...Deno.readDirSync(path.join(FIXTURES, dir))]
    .filter((e) => e.isFile && ext.test(e.name))
    .map((e) => `${dir}/${e.name}`)
    .sort();
}

function describe(errors: readonly Con4mError[]): string {
  return errors.map((e) => e.message).join(" | ");
}

/** `# spec: FILE` and `# expect: PHASE LINE:COL TEXT` lines of a fixture's header. */
interface Header {
  spec?: string;
  expect?: { phase: string; line: number; col: number; text: string };
}

function header(text: string, file: string): Header {
  const h: Header = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    const spec = /^# spec: (\S+)$/.exec(line);
    if (spec) h.spec = spec[1];
    const ex = /^# expect: (parse|check|runtime|validate) (\d+):(\d+) (.+)$/.exec(line);
    if (ex) h.expect = { phase: ex[1], line: Number(ex[2]), col: Number(ex[3]), text: ex[4] };
    else if (line.startsWith("# expect:")) throw new Error(`${file}: malformed: ${line}`);
  }
  return h;
}

/** A standalone stack (library builtins), with the fixture's spec loaded; echo is captured. */
async function standalone(h: Header): Promise<{ stack: ConfigStack; out: () => string }> {
  let out = "";
  const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
  if (h.spec !== undefined) {
    const r = await stack.loadSpec(read(h.spec), h.spec);
    assert(r.ok, `${h.spec}: ${describe(r.errors)}`);
  }
  return { stack, out: () => out };
}

const VALID = files("valid", /\.c4m$/);
const INVALID = files("invalid", /\.c4m$/);

Deno.test("con4m fixtures: every valid/ config parses unambiguously, checks, runs and validates", async () => {
  assert(VALID.length >= 7, `only ${VALID.length} valid fixtures`);
  let withOutput = 0;
  for (const f of VALID) {
    const text = read(f);
    const h = header(text, f);
    assertEquals(h.expect, undefined, `${f} is valid: it has no # expect: line`);
    assertEquals(countParses(text, f), 1, `${f} has several parses`);
    const { stack, out } = await standalone(h);
    const r = await stack.loadConfig(text, f);
    assert(r.ok, `${f}: ${describe(r.errors)}`);
    const expected = f.replace(/\.c4m$/, ".out");
    if (VALID.length > 0 && files("valid", /\.out$/).includes(expected)) {
      assertEquals(out(), read(expected), `${f}: echo output`);
      withOutput++;
    } else assertEquals(out(), "", `${f} echoes, but has no ${expected}`);
  }
  assert(withOutput >= 4, `${withOutput} fixtures compare their output`);
});

Deno.test("con4m fixtures: every invalid/ config fails in its phase, at its place, for its reason", async () => {
  const phases = new Set<string>();
  for (const f of INVALID) {
    const text = read(f);
    const h = header(text, f);
    assert(h.expect !== undefined, `${f} has no # expect: line`);
    const { stack } = await standalone(h);
    const r: StepResult = await stack.loadConfig(text, f);
    assert(!r.ok, `${f} must fail (${h.expect.phase})`);
    const e = r.errors[0];
    const got = `${e.phase} ${e.line}:${e.col} ${e.message}`;
    assertEquals(e.phase, h.expect.phase, `${f}: ${got}`);
    assertEquals([e.line, e.col], [h.expect.line, h.expect.col], `${f}: ${got}`);
    assert(e.message.includes(h.expect.text), `${f}: "${e.message}" lacks "${h.expect.text}"`);
    phases.add(e.phase);
  }
  assertEquals([...phases].sort(), ["check", "parse", "runtime", "validate"]);
});

Deno.test("con4m fixtures: the parser and the checker agree with the stack on invalid/ files", () => {
  for (const f of INVALID) {
    const text = read(f);
    const h = header(text, f);
    const parsed = tryParseCon4m(text, f);
    if (h.expect?.phase === "parse") {
      assertEquals(parsed.program, undefined, f);
      continue;
    }
    assert(parsed.program !== undefined, `${f}: ${describe(parsed.errors)}`);
    assertEquals(countParses(text, f), 1, `${f} has several parses`);
  }
});

Deno.test("con4m fixtures: every c42 spec passes the meta-spec and parses unambiguously", async () => {
  const specs = files("specs", /\.c42spec$/);
  assert(specs.length >= 1);
  for (const f of specs) {
    const text = read(f);
    assertEquals(countParses(text, f), 1, f);
    const r = await new ConfigStack().loadSpec(text, f);
    assert(r.ok, `${f}: ${describe(r.errors)}`);
  }
});

Deno.test("con4m fixtures: stack/ steps share exported variables, functions and attributes", async () => {
  const steps = files("stack", /^\d+_.*\.c4m$/);
  assert(steps.length >= 3);
  let out = "";
  const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
  for (const f of steps) {
    const r = await stack.loadConfig(read(f), f);
    assert(r.ok, `${f}: ${describe(r.errors)}`);
  }
  assertEquals(out, read("stack/expected.out"));
  const rt = new Con4mRuntime(stack);
  assertEquals(rt.getInt("final_count"), 3n);
  // What a step did not export is gone for the next one.
  const gone = await stack.loadConfig(read("stack/unexported.c4m"), "stack/unexported.c4m");
  assert(!gone.ok);
  assertEquals(gone.errors[0].phase, "check");
  assert(
    /Variable scratch used before definition/.test(gone.errors[0].message),
    describe(gone.errors),
  );
});

/** chalk-ts's base stack (the committed snapshot of config/), as `chalk` starts with. */
async function chalkBase() {
  return await restoreBaseStack(newChalkHostEnv({ commandName: "insert" }));
}

Deno.test("con4m fixtures: layers/ validate fully, in order, over chalk-ts's base configuration", async () => {
  const layers = files("layers", /^\d+_.*\.c4m$/);
  assert(layers.length >= 3);
  const { stack, env } = await chalkBase();
  for (const f of layers) {
    const r = await stack.loadConfig(read(f), f, { check: "full" });
    assert(r.ok, `${f}: ${describe(r.errors)}`);
    assertEquals(keyProblems(new Con4mRuntime(stack)).map((e) => e.message), [], f);
  }
  const rt = new Con4mRuntime(stack);
  // Each layer's effect is visible after the whole stack ran.
  assertEquals(rt.getString("sink_config.fixture_log.sink"), "file");
  assert(env.subscriptions.has("report", "fixture_log"));
  assert(!env.subscriptions.has("report", "default_out"));
  assertEquals(rt.getBool("mark_template.mark_default.key.X_FIXTURE_TEAM.use"), true);
  assertEquals(rt.getString("keyspec.X_FIXTURE_TEAM.value"), "platform");
  assertEquals(rt.getString("log_level"), "warn");
});

Deno.test("con4m fixtures: layers/invalid/ are rejected over chalk-ts's base configuration", async () => {
  const bad = files("layers/invalid", /\.c4m$/);
  assert(bad.length >= 3);
  for (const f of bad) {
    const text = read(f);
    const h = header(text, f);
    assert(h.expect !== undefined, `${f} has no # expect: line`);
    const { stack } = await chalkBase();
    const r = await stack.loadConfig(text, f, { check: "full" });
    const errors = r.ok ? keyProblems(new Con4mRuntime(stack)) : r.errors;
    assert(errors.length > 0, `${f} must be rejected`);
    const e = errors[0];
    assertEquals(e.phase, h.expect.phase, `${f}: ${e.message}`);
    assertEquals([e.line, e.col], [h.expect.line, h.expect.col], `${f}: ${e.message}`);
    assert(e.message.includes(h.expect.text), `${f}: "${e.message}" lacks "${h.expect.text}"`);
  }
});
