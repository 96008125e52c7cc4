import { assert, assertEquals } from "../_assert.ts";
import type { Expr, Stmt } from "../../con4m/ast.ts";
import { compileGrammar } from "../../scripts/build_grammar.ts";
import { type Con4mError, Con4mErrorList, formatCon4mError } from "../../con4m/errors.ts";
import { countParses, parseCon4m, tryParseCon4m } from "../../con4m/parser.ts";
import { CORPUS_URL, sharedTest } from "../_shared.ts";

const CORPUS = CORPUS_URL;

/** Render an expression as an s-expression, to compare trees compactly. */
function show(e: Expr): string {
  switch (e.kind) {
    case "Binary":
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case "Not":
      return `(not ${show(e.operand)})`;
    case "Unary":
      return `(${e.op}u ${show(e.operand)})`;
    case "Ident":
      return e.name;
    case "Member":
      return e.path.join(".");
    case "Index":
      return `(idx ${show(e.base)} ${show(e.index)})`;
    case "Call":
      return `(${e.method ? "." : ""}${e.name}${e.args.map((a) => " " + show(a)).join("")})`;
    case "Int":
    case "Float":
      return e.text;
    case "String":
      return JSON.stringify(e.value);
    case "Char":
      return `'${e.value}'`;
    case "Bool":
      return String(e.value);
    case "Other":
      return `<<${e.text}>>`;
    case "List":
      return `[${e.items.map(show).join(", ")}]`;
    case "Dict":
      return `{${e.entries.map((x) => `${show(x.key)}: ${show(x.value)}`).join(", ")}}`;
    case "Tuple":
      return `(tuple ${e.items.map(show).join(" ")})`;
    case "TypeLit":
      return `(type ${JSON.stringify(e.syntax)})`;
    case "Callback":
      return `(func ${e.name}${e.sig ? " " + JSON.stringify(e.sig) : ""})`;
  }
}

function expr(src: string): string {
  const prog = parseCon4m(`x := ${src}\n`, "e.c4m");
  const s = prog.body.stmts[0];
  if (s.kind !== "VarAssign") throw new Error(`not an assignment: ${s.kind}`);
  assertEquals(countParses(`x := ${src}\n`), 1, `ambiguous: ${src}`);
  return show(s.value);
}

function stmts(src: string): Stmt[] {
  assertEquals(countParses(src), 1, `ambiguous: ${src}`);
  return parseCon4m(src, "s.c4m").body.stmts;
}

function parseError(src: string): Con4mError {
  const r = tryParseCon4m(src, "bad.c4m");
  assert(r.program === undefined, `expected a parse error for ${JSON.stringify(src)}`);
  return r.errors[0];
}

// ------------------------------------------------------------------------------- grammar

Deno.test("grammar.generated.ts is up to date with grammar.ne", async () => {
  const src = await Deno.readTextFile(new URL("../../con4m/grammar.ne", import.meta.url));
  const out = await Deno.readTextFile(new URL("../../con4m/grammar.generated.ts", import.meta.url));
  assert(compileGrammar(src) === out, "run `deno task grammar` and commit grammar.generated.ts");
});

// ---------------------------------------------------------------------------- precedence

Deno.test("parseCon4m groups arithmetic conventionally and left to right", () => {
  assertEquals(expr("a - b - c"), "(- (- a b) c)");
  assertEquals(expr("a * b / c"), "(/ (* a b) c)");
  assertEquals(expr("a + b - c"), "(- (+ a b) c)");
  assertEquals(expr("a + b * c % d"), "(+ a (% (* b c) d))");
  assertEquals(expr("(a + b) * c"), "(* (+ a b) c)");
});

Deno.test("parseCon4m ranks comparison above and, and above or", () => {
  assertEquals(expr("a or b and c"), "(|| a (&& b c))");
  assertEquals(expr("a == b and c < d"), "(&& (== a b) (< c d))");
  assertEquals(expr("a + 1 >= b * 2 || c != d"), "(|| (>= (+ a 1) (* b 2)) (!= c d))");
  assertEquals(expr("a is b"), "(== a b)");
});

Deno.test("parseCon4m makes not greedy: it takes the rest of the expression", () => {
  assertEquals(expr("not a and not b"), "(not (&& a (not b)))");
  assertEquals(expr("x and not y or z"), "(&& x (not (|| y z)))");
  assertEquals(expr("!a == b"), "(not (== a b))");
  assertEquals(expr("(not a) and (not b)"), "(&& (not a) (not b))");
  assertEquals(expr("f(not a, b)"), "(f (not a) b)");
  // chalk.c42spec validate_key_name depends on this reading.
  assertEquals(
    expr('not ends_with(path, ".key") or not ends_with(path, ".pub")'),
    '(not (|| (ends_with path ".key") (not (ends_with path ".pub"))))',
  );
});

Deno.test("parseCon4m binds unary signs and postfix operators tightest", () => {
  assertEquals(expr("-a * b"), "(* (-u a) b)");
  assertEquals(expr("-f(x)[0]"), "(-u (idx (f x) 0))");
  assertEquals(expr("- 1"), "(-u 1)");
  assertEquals(expr("a - -1"), "(- a (-u 1))");
});

Deno.test("parseCon4m reads method calls as calls with the receiver first", () => {
  assertEquals(expr('val.contains("all")'), '(.contains val "all")');
  assertEquals(expr('sections("keyspec").contains(name)'), '(.contains (sections "keyspec") name)');
  assertEquals(expr("a.b.c(x)"), "(.c a.b x)");
  assertEquals(expr("a.b.c"), "a.b.c");
  assertEquals(expr("a.b[1].len()"), "(.len (idx a.b 1))");
});

Deno.test("parseCon4m reads literals", () => {
  assertEquals(expr("[1, 2]"), "[1, 2]");
  assertEquals(expr("[]"), "[]");
  assertEquals(expr('{"a": 1, "b": 2}'), '{"a": 1, "b": 2}');
  assertEquals(expr("{}"), "{}");
  assertEquals(expr('(1, "a", 2.5)'), '(tuple 1 "a" 2.5)');
  assertEquals(expr("(1)"), "1");
  assertEquals(expr("<<10 minutes>>"), "<<10 minutes>>");
  assertEquals(expr("true"), "true");
  assertEquals(expr("False"), "false");
  assertEquals(expr("'x'"), "'120'");
});

Deno.test("parseCon4m reads type literals and tells them from conversion calls", () => {
  assertEquals(expr("list[string]"), '(type {"tag":"list","item":{"tag":"prim","name":"string"}})');
  assertEquals(expr("int(x)"), "(int x)");
  assertEquals(expr("typecmp(t, bool)"), '(typecmp t (type {"tag":"prim","name":"bool"}))');
  assertEquals(
    expr("dict[string, `x]"),
    '(type {"tag":"dict","key":{"tag":"prim","name":"string"},"value":{"tag":"tvar","name":"x"}})',
  );
  assertEquals(
    expr("func (list[string]) -> void"),
    '(type {"tag":"func","params":[{"tag":"list","item":{"tag":"prim","name":"string"}}],' +
      '"varargs":false,"ret":{"tag":"prim","name":"void"}})',
  );
  assertEquals(expr("func"), '(type {"tag":"func","params":null,"varargs":false,"ret":null})');
  assertEquals(expr("typespec[`t]"), '(type {"tag":"typespec","tvar":"t"})');
  assertEquals(
    expr("tuple[int, int]"),
    '(type {"tag":"tuple","items":[{"tag":"prim","name":"int"},{"tag":"prim","name":"int"}]})',
  );
});

Deno.test("parseCon4m reads callback literals with and without signatures", () => {
  assertEquals(expr("func set_enabled_reports"), "(func set_enabled_reports)");
  assertEquals(
    expr("func find_syft(string) -> string"),
    '(func find_syft {"tag":"func","params":[{"tag":"prim","name":"string"}],"varargs":false,' +
      '"ret":{"tag":"prim","name":"string"}})',
  );
});

// ---------------------------------------------------------------------------- statements

Deno.test("parseCon4m dispatches statements by their first tokens", () => {
  const s = stmts(
    [
      "a: 1",
      "b.c = 2",
      "~d.e: 3",
      "x := 4",
      "p, q := f()",
      "sec lab { y: 1 }",
      "allow getopts",
      'echo "blah"',
      "sing { }",
      "f(1)",
      'use foo from "https://x"',
      "use bar",
      "var v, w: int",
      "export x",
      "enum A, B",
      "parameter var pv { default: 1 }",
      "parameter a.b.c",
    ].join("\n"),
  );
  assertEquals(s.map((x) => x.kind), [
    "AttrAssign",
    "AttrAssign",
    "AttrAssign",
    "VarAssign",
    "Unpack",
    "Section",
    "Section",
    "Section",
    "Section",
    "ExprStmt",
    "Use",
    "Use",
    "VarDecl",
    "Export",
    "Enum",
    "Parameter",
    "Parameter",
  ]);
  const lock = s[2];
  assert(lock.kind === "AttrAssign" && lock.lock && lock.path.join(".") === "d.e");
  const echo = s[7];
  assert(
    echo.kind === "Section" && echo.name === "echo" && echo.label === "blah" && echo.labelIsString,
  );
  assertEquals(echo.body, null);
  const param = s[15];
  assert(param.kind === "Parameter" && param.isVar && param.props[0].name === "default");
});

Deno.test("parseCon4m reads if/elif/else over several lines", () => {
  const [s] = stmts("if a {\n  x: 1\n}\nelif b\n  or c {\n  x: 2\n}\nelse {\n  x: 3\n}\n");
  assert(s.kind === "If");
  assertEquals(s.branches.length, 2);
  assertEquals(show(s.branches[1].cond), "(|| b c)");
  assert(s.elseBody !== undefined && s.elseBody.stmts.length === 1);
});

Deno.test("parseCon4m reads functions, for loops and bare returns", () => {
  const [f] = stmts(
    "func fact(n: int, acc)\n{\n  for i from 0 to n { if i > 3 { break } continue }\n  if n < 1 { return }\n  return n\n}\n",
  );
  assert(f.kind === "FuncDef");
  assertEquals(f.formals.map((x) => [x.name, x.type?.tag]), [["n", "prim"], ["acc", undefined]]);
  assertEquals(f.body.stmts.map((x) => x.kind), ["For", "If", "Return"]);
});

Deno.test("parseCon4m keeps a section header and a brace on the next line apart", () => {
  const s = stmts("name label\n{ a: 1 }\n");
  assertEquals(s.map((x) => x.kind), ["Section", "ExprStmt"]);
});

Deno.test("parseCon4m accepts statements separated by semicolons and after blocks", () => {
  const s = stmts("a: 1; b: 2;; c { d: 1 } e: 3\nvar x: int; y := 1\n");
  assertEquals(s.map((x) => x.kind), [
    "AttrAssign",
    "AttrAssign",
    "Section",
    "AttrAssign",
    "VarDecl",
    "VarAssign",
  ]);
});

Deno.test("parseCon4m records positions of statements and expressions", () => {
  const [, s] = parseCon4m("# c\n  x := 1 +\n    foo\n", "p.c4m").body.stmts.concat(
    parseCon4m("# c\n  x := 1 +\n    foo\n", "p.c4m").body.stmts,
  );
  assert(s.kind === "VarAssign" && s.value.kind === "Binary");
  assertEquals(s.pos, { file: "p.c4m", line: 2, col: 3 });
  assertEquals(s.value.right.pos, { file: "p.c4m", line: 3, col: 5 });
});

Deno.test("parseCon4m accepts empty and comment-only files", () => {
  assertEquals(stmts("").length, 0);
  assertEquals(stmts("# just a comment\n\n").length, 0);
});

// -------------------------------------------------------------------------------- errors

Deno.test("parseCon4m reports a stray token with line, column and expectations", () => {
  const e = parseError("\nblah blah blah\n");
  assertEquals([e.line, e.col, e.phase], [2, 11, "parse"]);
  assertEquals(e.reason, "Parse error: Expected either end of statement or: '{' (found 'blah')");
});

Deno.test("formatCon4mError prints the source line and a caret under the column", () => {
  const src = "a: 1\nx := (1 +\n  * 2)\n";
  const e = parseError(src);
  assertEquals(
    formatCon4mError(e, { source: src }),
    "bad.c4m:3:3: Parse error: Expected an expression (found '*')\n    * 2)\n    ^",
  );
});

Deno.test("parseCon4m reports errors for malformed input", () => {
  const cases: [string, string, number, number][] = [
    ["x := ()\n", "Parse error: Tuples must have two or more items.", 1, 7],
    ["x := f(1,)\n", "Parse error: Expected an expression (found ')')", 1, 10],
    ["x := [1, 2,]\n", "Parse error: Expected an expression (found ']')", 1, 12],
    ["x :=\n", "Parse error: unexpected end of file; Expected an expression", 1, 5],
    ["x.y\n", "Parse error: unexpected end of file; Expected one of: '.', ':', '='", 1, 4],
    ["x.y\nz: 1", "Parse error: Expected one of: '.', ':', '=' (found end of line)", 1, 4],
    ["var x: [string]\n", "Parse error: Invalid syntax for a type declaration. (found '[')", 1, 8],
    ["x := --1\n", "Parse error: Expected an expression (found '-')", 1, 7],
    [
      "if x { y: 1 ",
      "Parse error: unexpected end of file; Expected either end of statement or: '.', '}', an operator",
      1,
      12,
    ],
  ];
  for (const [src, msg, line, col] of cases) {
    const e = parseError(src);
    assertEquals([e.reason, e.line, e.col], [msg, line, col], src);
  }
});

Deno.test("parseCon4m enforces top-level-only and loop-only statements", () => {
  const cases: [string, string][] = [
    ["if x { func f() { } }\n", "Functions are only allowed at the top level"],
    ["s { enum A }\n", "Enums are only allowed at the top level of the config"],
    ["func f() { export x }\n", "'export' is only valid at the top-level."],
    ["func f() { break }\n", "Break not allowed outside of a loop"],
    ["if x { continue }\n", "Continue not allowed outside of a loop"],
  ];
  for (const [src, msg] of cases) assertEquals(parseError(src).reason, msg, src);
  assert(tryParseCon4m("for i from 0 to 3 { if i == 1 { continue } }\n", "t").program);
});

Deno.test("parseCon4m throws Con4mErrorList for bad input", () => {
  try {
    parseCon4m('x := "open\n', "e.c4m");
    throw new Error("no error");
  } catch (e) {
    assert(e instanceof Con4mErrorList);
    assertEquals(e.errors[0].message, "e.c4m:1:6: Unterminated string");
  }
});

// ------------------------------------------------------------------- corpus conformance

interface IndexRow {
  path: string;
  expect: string;
}

async function corpusRows(): Promise<IndexRow[]> {
  const index = await Deno.readTextFile(new URL("INDEX.md", CORPUS));
  const rows: IndexRow[] = [];
  for (const line of index.split("\n")) {
    const m = /^\| `([^`]+\.(?:c4m|c42spec))` \|.*\| ([^|]+) \|$/.exec(line);
    if (m) rows.push({ path: m[1], expect: m[2].trim() });
  }
  return rows;
}

sharedTest("parseCon4m parses every corpus file INDEX.md says must parse, unambiguously", {
  needs: "corpus",
}, async () => {
  const rows = await corpusRows();
  assert(rows.length >= 130, `only ${rows.length} corpus rows found`);
  let parsed = 0;
  let failedAsExpected = 0;
  for (const row of rows) {
    const text = await Deno.readTextFile(new URL(row.path, CORPUS));
    const r = tryParseCon4m(text, row.path);
    const failParse = /FAIL-parse at (\d+):(\d+) "([^"]+)"/.exec(row.expect);
    if (failParse) {
      assert(r.program === undefined, `${row.path} should fail to parse`);
      const e = r.errors[0];
      assertEquals([e.line, e.col], [Number(failParse[1]), Number(failParse[2])], row.path);
      const want = failParse[3].replace("TtLBrace", "'{'").replace(/^Parse error: /, "");
      assert(e.reason.includes(want), `${row.path}: "${e.reason}" lacks "${want}"`);
      failedAsExpected++;
      continue;
    }
    assert(r.program !== undefined, `${row.path}: ${r.errors.map(String).join("; ")}`);
    assertEquals(countParses(text, row.path), 1, `${row.path} has several parses`);
    parsed++;
  }
  assertEquals([parsed, failedAsExpected], [132, 2]);
});
