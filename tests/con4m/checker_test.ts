import { assert, assertEquals } from "../_assert.ts";
import type { CallExpr, FuncRef, Stmt } from "../../con4m/ast.ts";
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "../../con4m/builtins/mod.ts";
import {
  analyzeProgram,
  type AttrSlot,
  type CheckEnv,
  checkProgram,
  type GlobalVar,
} from "../../con4m/checker.ts";
import { parseCon4m } from "../../con4m/parser.ts";
import { parseSignature, parseType, type Type, typeToString } from "../../con4m/types.ts";
import { BASE_UNIT, CHALK_STUBS as CHALK_HOST_SIGS, LATER_LAYERS } from "./_chalk_corpus.ts";
import { CORPUS_URL, sharedTest } from "../_shared.ts";

const CORPUS = CORPUS_URL;
const corpus = { needs: "corpus" } as const;

/** A stack-like host state: functions, attribute slots and globals accumulated per file. */
class TestState {
  funcs = new Map<string, FuncRef[]>();
  attrs = new Map<string, AttrSlot>();
  globals = new Map<string, GlobalVar>();

  constructor() {
    for (const b of [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS]) {
      this.addFunc({ name: b.name, type: parseType(b.sig), builtin: true, impl: b });
    }
    for (const s of CHALK_HOST_SIGS) {
      const { name, type } = parseSignature(s);
      if (!this.funcs.has(name)) this.addFunc({ name, type, builtin: true });
    }
  }

  addFunc(f: FuncRef): void {
    const l = this.funcs.get(f.name) ?? [];
    l.push(f);
    this.funcs.set(f.name, l);
  }

  get env(): CheckEnv {
    return {
      functions: (n) => this.funcs.get(n),
      attr: (p) => this.attrs.get(p.join(".")),
      globals: this.globals,
    };
  }

  /** Check one file; on success keep what it defined, as the stack would. */
  run(file: string, text: string): string[] {
    const r = analyzeProgram(parseCon4m(text, file), this.env);
    const errs = r.errors.map((e) => e.message);
    if (errs.length > 0) return errs;
    for (const f of r.functions) this.addFunc(f);
    for (const s of r.sections) this.attrs.set(s, { kind: "section" });
    for (const [k, t] of r.attrs) this.attrs.set(k, { kind: "attr", type: t });
    for (const [k, g] of r.globals) this.globals.set(k, g);
    return [];
  }
}

function read(path: string): Promise<string> {
  return Deno.readTextFile(new URL(path, CORPUS));
}

function errors(src: string, env: CheckEnv = new TestState().env): string[] {
  return checkProgram(parseCon4m(src, "t.c4m"), env).map((e) => e.message);
}

const BASE = BASE_UNIT;
const LATER = LATER_LAYERS;

async function chalkConfigState(): Promise<TestState> {
  const st = new TestState();
  // A field default chalk.c42spec gives the root; the runtime creates it during validation.
  st.attrs.set("skip_summary_report", { kind: "attr", type: parseType("bool") });
  const base = (await Promise.all(BASE.map((f) => read(`chalk/src-configs/${f}.c4m`)))).join("\n");
  assertEquals(st.run("base", base), []);
  for (const f of LATER) {
    assertEquals(st.run(`${f}.c4m`, await read(`chalk/src-configs/${f}.c4m`)), [], f);
  }
  return st;
}

// ---------------------------------------------------------------------------- corpus

sharedTest("checkProgram accepts chalk's spec files in the validation state", corpus, async () => {
  const st = new TestState();
  assertEquals(st.run("getopts.c42spec", await read("con4m/builtin-specs/getopts.c42spec")), []);
  assertEquals(st.run("chalk.c42spec", await read("chalk/src-configs/chalk.c42spec")), []);
  const other = new TestState();
  assertEquals(
    other.run("compiler-config", await read("con4m/builtin-specs/compiler-config.c42spec")),
    [],
  );
});

sharedTest("checkProgram accepts chalk's base configuration stack", corpus, async () => {
  const st = await chalkConfigState();
  // Functions of earlier files are callable later, attributes and exports persist.
  assert(st.funcs.get("with_timeout")?.some((f) => !f.builtin));
  assert(st.attrs.get("keyspec.CHALK_ID.type")?.kind === "attr");
  assert(st.globals.has("reports_seen"));
});

sharedTest("checkProgram gives every corpus user config its INDEX.md outcome", corpus, async () => {
  const st = await chalkConfigState();
  const index = await read("INDEX.md");
  let clean = 0;
  let failing = 0;
  for (const line of index.split("\n")) {
    const m = /^\| `(chalk\/(?:configs|tests)\/[^`]+\.c4m)` \|.*\| ([^|]+) \|$/.exec(line);
    if (!m) continue;
    const [, path, expect] = m;
    if (expect.startsWith("FAIL-parse")) continue;
    // Files meant to follow another file in the same stack.
    if (path.endsWith("build_observables.c4m") || path.endsWith("curiosity_logs.c4m")) continue;
    const got = errors(await read(path), st.env).map((e) => e.replace(/^t\.c4m:/, ""));
    const failCheck = /FAIL-check[^"]*"([^"]+)"/.exec(expect);
    if (failCheck) {
      assert(got.some((e) => e.includes(failCheck[1])), `${path}: ${got.join("; ")}`);
      failing++;
    } else {
      assertEquals(got, [], path);
      clean++;
    }
  }
  assertEquals([clean, failing], [91, 2]);
});

sharedTest(
  "checkProgram accepts a keyspec file followed by the template using it",
  corpus,
  async () => {
    const st = await chalkConfigState();
    for (
      const pair of [["build_observables_key", "build_observables"], [
        "curiosity_logs_key",
        "curiosity_logs",
      ]]
    ) {
      for (const f of pair) {
        assertEquals(st.run(f, await read(`chalk/configs/co/${f}.c4m`)), [], f);
      }
    }
  },
);

sharedTest("checkProgram handles con4m's own basic tests as INDEX.md says", corpus, async () => {
  for (const t of ["t1-hello", "t3-attr-basic", "t4-enum", "t5-func", "t7-fwref"]) {
    assertEquals(errors(await read(`con4m/tests/basics/${t}.c4m`)), [], t);
  }
  assertEquals(errors(await read("con4m/tests/basics/t6-dupe.c4m")), [
    "t.c4m:20:1: Duplicate implementation of function 'fact'",
  ]);
  for (const t of ["t2-grabbag", "t8-attr-mem"]) {
    const errs = errors(await read(`con4m/tests/basics/${t}.c4m`));
    assert(
      errs.length > 0 && errs.every((e) => e.includes("No function with the name 'string'")),
      t,
    );
  }
  assertEquals(errors(await read("con4m/tests/samibase.c4m")), []);
});

sharedTest(
  "checkProgram reports the stale stack test's use of an unexported variable",
  corpus,
  async () => {
    const st = new TestState();
    assertEquals(st.run("1.c4m", await read("con4m/tests/stack/1/1.c4m")), []);
    assertEquals(st.run("2.c4m", await read("con4m/tests/stack/1/2.c4m")), [
      "2.c4m:1:6: Variable s used before definition",
    ]);
    // The 0.2.0 spelling works: export, then read it from a function in a later step.
    assertEquals(st.run("1b.c4m", 's := "hello, world!"\nexport s\n'), []);
    assertEquals(st.run("3b.c4m", "func f() { echo(s) }\n"), []);
    assertEquals(st.run("4b.c4m", "f()\n"), []);
  },
);

// ------------------------------------------------------------------------------ units

Deno.test("checkProgram infers variable types and rejects mismatched reassignment", () => {
  assertEquals(errors("x := 1\nx := 2\ny := [1, 2]\ny := []\n"), []);
  assertEquals(errors('x := 1\nx := "a"\n'), [
    "t.c4m:2:1: Assignment of x doesn't match its previous type ('int' vs 'string')",
  ]);
});

Deno.test("checkProgram types operators as con4m does", () => {
  assertEquals(
    errors(
      'a := 1 + 2 * 3\nb := "x" + "y"\nc := 1 / 2\nd := <<1 sec>> + <<2 sec>>\ne := <<1mb>> - <<1kb>>\n',
    ),
    [],
  );
  assertEquals(errors("x := 1 + 1.0\n"), [
    "t.c4m:1:6: Types of left and right side of binary ops must match ('int' vs 'float')",
  ]);
  assertEquals(errors('x := "a" * "b"\n'), [
    "t.c4m:1:6: Invalid type for bianry operator ('string')",
  ]);
  assertEquals(errors("x := [1] < [2]\n"), [
    "t.c4m:1:6: Comparison ops only work on numbers and strings ('list[int]')",
  ]);
  assertEquals(errors("x := 1 and true\n"), [
    "t.c4m:1:6: Each side of || and && expressions must eval to a bool",
  ]);
  assertEquals(errors('x := -"a"\n'), ["t.c4m:1:6: Unary operator only works on numeric types"]);
  const prog = parseCon4m("x := 1 / 2\n", "t.c4m");
  checkProgram(prog, new TestState().env);
  const s = prog.body.stmts[0];
  assert(s.kind === "VarAssign" && s.value.ty !== undefined);
  assertEquals(typeToString(s.value.ty), "float");
});

Deno.test("checkProgram requires bool conditions and int loop bounds", () => {
  assertEquals(errors('if 1 { x := 1 }\nfor i from 0 to "a" { }\n'), [
    "t.c4m:1:4: If conditional must evaluate to a boolean",
    "t.c4m:2:17: For index ranges must be integers.",
  ]);
  assertEquals(errors("for i from 0 to 3 { i := 2 }\n"), [
    "t.c4m:1:21: Cannot assign to the (locked) value i",
  ]);
});

Deno.test("checkProgram resolves overloads by argument types and records the target", () => {
  const prog = parseCon4m('a := len("abc")\nb := len([1, 2])\nc := "a,b".split(",")\n', "t.c4m");
  assertEquals(checkProgram(prog, new TestState().env), []);
  const sigs = prog.body.stmts.map((s: Stmt) => {
    assert(s.kind === "VarAssign");
    // Type-variable names are the builtin author's choice: normalise them.
    return typeToString((s.value as CallExpr).target!.type).replace(/`\w+/g, "`T");
  });
  assertEquals(sigs, ["(string) -> int", "(list[`T]) -> int", "(string, string) -> list[string]"]);
});

Deno.test("checkProgram reports unknown functions and impossible calls", () => {
  assertEquals(errors("nope(1)\n"), ["t.c4m:1:1: No function with the name 'nope' was found."]);
  const [e] = errors("x := len(1)\n");
  assert(
    e.startsWith("t.c4m:1:6: Could not find an implementation for the function 'len(int)'"),
    e,
  );
  assertEquals(errors('echo("a", 1, [2])\n'), []);
});

Deno.test("checkProgram reports ambiguous calls on untyped parameters", () => {
  const [e] = errors("func f(x) { return len(x) }\n");
  assert(e.startsWith("t.c4m:1:20: Ambiguous call (matched multiple implementations): len(`"), e);
  assertEquals(errors("func f(x: string) { return len(x) }\n"), []);
});

Deno.test("checkProgram allows calls before the definition (second pass)", () => {
  const prog = parseCon4m("x := g(2)\ny := x + 1\nfunc g(n) { return n * 2 }\n", "t.c4m");
  const r = analyzeProgram(prog, new TestState().env);
  assertEquals(r.errors.map(String), []);
  assertEquals(typeToString(r.functions[0].type), "(int) -> int");
  assertEquals(errors('x := g(2) + "a"\nfunc g(n) { return n * 2 }\n').length, 1);
});

Deno.test("checkProgram infers function signatures, result and void", () => {
  const r = analyzeProgram(
    parseCon4m(
      'func a(x) { result := x }\nfunc b() { echo("x") }\nfunc c(s) { result := ""\n if s == "" { return "e" }\n return }\n',
      "t.c4m",
    ),
    new TestState().env,
  );
  assertEquals(r.errors, []);
  assertEquals(r.functions.map((f) => typeToString(f.type)), [
    "(`t) -> `t",
    "() -> void",
    "(string) -> string",
  ]);
});

Deno.test("checkProgram instantiates generic user functions per call", () => {
  assertEquals(errors('func id(x) { return x }\na := id(1) + 1\nb := id("s") + "t"\n'), []);
});

Deno.test("checkProgram hides ordinary globals from functions but shows exports", () => {
  assertEquals(errors("x := 1\nfunc f() { return x }\n"), [
    "t.c4m:2:19: Variable x used before definition",
  ]);
  assertEquals(
    errors("x := 1\nexport x\nfunc f() { return x }\nenum A, B\nfunc g() { return B }\n"),
    [],
  );
});

Deno.test("checkProgram resolves attributes in the current section, then the root", () => {
  const prog = parseCon4m("a: 1\ns { b: 2\n c: a + b }\nd: s.b\n", "t.c4m");
  const r = analyzeProgram(prog, new TestState().env);
  assertEquals(r.errors, []);
  assertEquals([...r.attrs.keys()], ["a", "s.b", "s.c", "d"]);
  assertEquals([...r.sections], ["s"]);
  const d = prog.body.stmts[2];
  assert(d.kind === "AttrAssign" && d.value.kind === "Member");
  assertEquals(d.value.ref, { kind: "attr", path: ["s", "b"] });
  assertEquals(errors("d: s.b\n"), ["t.c4m:1:4: Attribute s.b used before definition"]);
  assertEquals(errors("s { b: 1 }\nx := s\n"), ["t.c4m:2:6: s is a section, not an attribute"]);
});

Deno.test("checkProgram keeps attribute types and the section/attribute split", () => {
  assertEquals(errors('a: 1\na: "x"\n'), [
    "t.c4m:2:1: Attribute assignment of a doesn't match previous type ('int' vs 'string')",
  ]);
  assertEquals(errors("a: 1\na.b: 2\n"), [
    "t.c4m:2:1: a: should be a section, but already have it as an attr",
  ]);
  assertEquals(errors("a { }\na: 2\n"), [
    "t.c4m:2:1: a: should be an attr, but already have it as a section",
  ]);
  const env = new TestState().env;
  const seen: string[] = [];
  const withTree: CheckEnv = {
    ...env,
    attr: (p) => {
      seen.push(p.join("."));
      return p.join(".") === "exec.heartbeat.rate"
        ? { kind: "attr", type: parseType("Duration") }
        : p.join(".") === "exec" || p.join(".") === "exec.heartbeat"
        ? { kind: "section" }
        : undefined;
    },
  };
  assertEquals(errors("exec.heartbeat.rate: <<1 seconds>>\n", withTree), []);
  assertEquals(errors("exec.heartbeat.rate: 5\n", withTree), [
    "t.c4m:1:1: Attribute assignment of exec.heartbeat.rate doesn't match previous type ('Duration' vs 'int')",
  ]);
  assert(seen.includes("exec.heartbeat.rate"));
});

Deno.test("checkProgram enforces placement and naming rules", () => {
  assertEquals(errors("return 1\n"), ["t.c4m:1:1: Return not allowed outside function definition"]);
  assertEquals(errors("func f() { s { } }\n"), [
    "t.c4m:1:12: Cannot introduce a section within a function",
  ]);
  assertEquals(errors("result := 1\n"), [
    "t.c4m:1:1: Cannot assign to special variable 'result' outside a function definition.",
  ]);
  assertEquals(errors("func len(x) { }\n"), [
    "t.c4m:1:1: Function name conflicts with a builtin function",
  ]);
  assertEquals(errors('echo "blah"\n'), [
    "t.c4m:1:1: Can't re-define name echo: Conflicts with existing function",
  ]);
  assertEquals(errors("result: 1\n"), [
    "t.c4m:1:1: 'result' is a reserved word in con4m, and cannot be used for attributes",
  ]);
  assertEquals(errors("enum A\nA := 2\n"), ["t.c4m:2:1: Cannot assign to the (locked) value A"]);
});

Deno.test("checkProgram checks literals, containers and indexing", () => {
  assertEquals(errors("x := 9223372036854775808\n"), ["t.c4m:1:6: Number too large for int type."]);
  assertEquals(errors("x := <<not a thing>>\n"), ["t.c4m:1:6: Invalid literal: <<not a thing>>"]);
  assertEquals(errors('x := [1, "a"]\n'), ["t.c4m:1:10: List items must all be the same type"]);
  assertEquals(errors('x := {"a": 1, "b": "c"}\n'), [
    "t.c4m:1:15: Dict items must all be the same type.",
  ]);
  assertEquals(errors('t := (1, "a")\na := t[0] + 1\nb := t[1] + "x"\n'), []);
  assertEquals(errors("t := (1, 2)\ni := 0\nx := t[i]\n"), [
    "t.c4m:3:6: Tuple index must be an integer literal for static type checking",
  ]);
  assertEquals(errors("t := (1, 2)\nx := t[2]\n"), ["t.c4m:2:6: Tuple index out of bounds"]);
  assertEquals(errors('s := "abc"\nc := s[0]\nd := {"k": [1]}\ne := d["k"][0] + 1\n'), []);
  const prog = parseCon4m("x := <<250mb>>\n", "t.c4m");
  assertEquals(checkProgram(prog, new TestState().env), []);
  const s = prog.body.stmts[0];
  assert(s.kind === "VarAssign" && s.value.kind === "Other");
  assertEquals([typeToString(s.value.ty!), s.value.value], ["Size", 250000000n]);
});

Deno.test("checkProgram types tuple unpacking", () => {
  assertEquals(errors('a, b := path_split("/x/y")\nc := a + b\n'), []);
  assertEquals(errors("a, b := 1\n"), ["t.c4m:1:1: Trying to unpack a value that is not a tuple."]);
  assertEquals(errors("a, b, c := (1, 2)\n"), [
    "t.c4m:1:1: Trying to unpack a tuple of the wrong size.",
  ]);
});

Deno.test("checkProgram types var declarations, type literals and callbacks", () => {
  assertEquals(errors("var x: float\nx := 1.5\nt := list[string]\ncb := func f(int) -> int\n"), []);
  assertEquals(errors("var x: float\nx := 1\n"), [
    "t.c4m:2:1: Assignment of x doesn't match its previous type ('float' vs 'int')",
  ]);
  const prog = parseCon4m('t := attr_get("a", list[string])\n', "t.c4m");
  assertEquals(checkProgram(prog, new TestState().env), []);
  const s = prog.body.stmts[0];
  assert(s.kind === "VarAssign");
  assertEquals(typeToString(s.value.ty as Type), "list[string]");
});

Deno.test("checkProgram checks parameter properties", () => {
  assertEquals(
    errors(
      'parameter var x { default: 1\n doc: "d"\n validator: func v(int) -> string }\ny := x + 1\n',
    ),
    [],
  );
  assertEquals(errors("parameter var x { colour: 1 }\n"), [
    "t.c4m:1:19: Parameter properties must be one of: doc, shortdoc, default, validator, sensitive",
  ]);
  assertEquals(errors('parameter var x { doc: "a"\n doc: "b" }\n'), [
    "t.c4m:2:2: Dupliciate parameter property setting not allowed.",
  ]);
});
