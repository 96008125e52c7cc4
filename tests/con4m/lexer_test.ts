import { assertEquals, assertThrows } from "../_assert.ts";
import { Con4mError } from "../../con4m/errors.ts";
import { filterTokens, lexCon4m, type Token } from "../../con4m/lexer.ts";

function kinds(toks: readonly Token[]): string[] {
  return toks.map((t) => t.type === "sep" ? "sep" : `${t.type}:${t.value}`);
}

function lexError(text: string): Con4mError {
  try {
    lexCon4m(text, "t.c4m");
  } catch (e) {
    if (e instanceof Con4mError) return e;
    throw e;
  }
  throw new Error("expected a lexical error");
}

Deno.test("lexCon4m continues a line after a binary operator", () => {
  const toks = lexCon4m("x := 1 +\n   2\ny := 3", "t.c4m");
  assertEquals(kinds(toks), [
    "ident:x",
    "walrus::=",
    "intlit:1",
    "plus:+",
    "intlit:2",
    "sep",
    "ident:y",
    "walrus::=",
    "intlit:3",
  ]);
  assertEquals(toks[4].pos, { file: "t.c4m", line: 2, col: 4 });
});

Deno.test("lexCon4m keeps the newline when a comment follows the operator", () => {
  const toks = lexCon4m("x := 1 + # note\n2", "t.c4m");
  assertEquals(kinds(toks), ["ident:x", "walrus::=", "intlit:1", "plus:+", "sep", "intlit:2"]);
});

Deno.test("lexCon4m does not continue after a closing bracket or a word operator", () => {
  assertEquals(kinds(lexCon4m("f(x)\ny", "t")), [
    "ident:f",
    "lparen:(",
    "ident:x",
    "rparen:)",
    "sep",
    "ident:y",
  ]);
  assertEquals(kinds(lexCon4m("a and\nb", "t")), ["ident:a", "and:&&", "sep", "ident:b"]);
});

Deno.test("lexCon4m normalises word operators and boolean spellings", () => {
  assertEquals(kinds(lexCon4m("a or b and not c is True", "t")), [
    "ident:a",
    "or:||",
    "ident:b",
    "and:&&",
    "not:!",
    "ident:c",
    "eq:==",
    "kw_true:True",
  ]);
});

Deno.test("lexCon4m decodes string escapes including hex and unicode", () => {
  const [t] = lexCon4m(String.raw`"a\tb\n\x41\u00e9\U0001F600\"q\\"`, "t");
  assertEquals(t.type, "strlit");
  assertEquals(t.value, 'a\tb\nAé😀"q\\');
});

Deno.test("lexCon4m reads triple-quoted strings across lines", () => {
  const toks = lexCon4m('doc: """\nline 1\n"quoted"\n"""\nx: 1', "t");
  assertEquals(toks[2].value, '\nline 1\n"quoted"\n');
  assertEquals(toks[4].pos.line, 5);
});

Deno.test("lexCon4m reads char literals as code points", () => {
  const toks = lexCon4m(String.raw`'a' '\n' '' 'é'`, "t");
  assertEquals(toks.map((t) => t.value), ["97", "10", "0", "233"]);
});

Deno.test("lexCon4m reads other-literals and bare dotted numbers", () => {
  const toks = lexCon4m("a: << 3 sec >>\nb: 10.0.0.1\nc: 1.5\nd: 2e3", "t");
  assertEquals(kinds(toks).filter((k) => k !== "sep"), [
    "ident:a",
    "colon::",
    "otherlit:3 sec",
    "ident:b",
    "colon::",
    "otherlit:10.0.0.1",
    "ident:c",
    "colon::",
    "floatlit:1.5",
    "ident:d",
    "colon::",
    "floatlit:2e3",
  ]);
});

Deno.test("lexCon4m lexes an unquoted time as an other-literal instead of hanging", () => {
  const toks = lexCon4m("t: 12:30:00\nu: 1:2", "t");
  assertEquals(kinds(toks), [
    "ident:t",
    "colon::",
    "otherlit:12:30:00",
    "sep",
    "ident:u",
    "colon::",
    "intlit:1",
    "colon::",
    "intlit:2",
  ]);
});

Deno.test("lexCon4m accepts $ in identifiers and unicode letters", () => {
  assertEquals(kinds(lexCon4m("$(x) $s größe", "t")), [
    "ident:$",
    "lparen:(",
    "ident:x",
    "rparen:)",
    "ident:$s",
    "ident:größe",
  ]);
});

Deno.test("lexCon4m drops all three comment forms", () => {
  assertEquals(kinds(lexCon4m("a # x\nb // y\nc /* multi\nline */ d", "t")), [
    "ident:a",
    "sep",
    "ident:b",
    "sep",
    "ident:c",
    "ident:d",
  ]);
});

Deno.test("lexCon4m reports lexical errors with their position", () => {
  const cases: [string, string, number, number][] = [
    ['x := "abc\ny', "Unterminated string", 1, 6],
    ["x /* never closed\n", "Unterminated comment", 1, 3],
    ["a: << 3 sec", "Unterminated literal", 1, 4],
    ["a: 1 & 2", "Invalid character found", 1, 6],
    ["a: 1\rb: 2", "Invalid character found", 1, 5],
    ["x: @", "Invalid character found", 1, 4],
    ["x: 1.", "Invalid float literal: a '.' must be followed by a digit", 1, 4],
    ["c: 'ab'", "Invalid char literal", 1, 4],
    [String.raw`s: "\x4"`, "Unterminated escape sequence in string literal", 1, 4],
    [String.raw`s: "\xZZ"`, "Invalid unicode escape in string literal", 1, 4],
  ];
  for (const [src, msg, line, col] of cases) {
    const e = lexError(src);
    assertEquals([e.reason, e.line, e.col], [msg, line, col], src);
    assertEquals(e.phase, "parse");
  }
});

Deno.test("lexCon4m stops at a NUL character", () => {
  assertEquals(kinds(lexCon4m("a: 1\0 garbage @@@", "t")), ["ident:a", "colon::", "intlit:1"]);
});

Deno.test("filterTokens drops newlines inside brackets and if headers", () => {
  const raw = lexCon4m("x := f(1,\n 2\n)\nif a\n   == b\n{\n y := [1\n, 2]\n}\n", "t");
  const out = filterTokens(raw).map((t) => t.type);
  assertEquals(out, [
    "ident",
    "walrus",
    "ident",
    "lparen",
    "intlit",
    "comma",
    "intlit",
    "rparen",
    "sep",
    "kw_if",
    "ident",
    "eq",
    "ident",
    "lbrace",
    "ident",
    "walrus",
    "lbrack",
    "intlit",
    "comma",
    "intlit",
    "rbrack",
    "rbrace",
  ]);
});

Deno.test("filterTokens tells dict braces from block braces", () => {
  const out = filterTokens(lexCon4m('x := {"a": 1}\ns { y: {} }\n', "t")).map((t) => t.type);
  assertEquals(out, [
    "ident",
    "walrus",
    "ldict",
    "strlit",
    "colon",
    "intlit",
    "rdict",
    "sep",
    "ident",
    "lbrace",
    "ident",
    "colon",
    "ldict",
    "rdict",
    "rbrace",
  ]);
});

Deno.test("filterTokens joins a closing brace with a following else or elif", () => {
  const out = filterTokens(lexCon4m("if a {\n}\n\nelif b {\n}\nelse\n{\n}\n", "t"));
  assertEquals(out.map((t) => t.type), [
    "kw_if",
    "ident",
    "lbrace",
    "rbrace",
    "kw_elif",
    "ident",
    "lbrace",
    "rbrace",
    "kw_else",
    "lbrace",
    "rbrace",
  ]);
});

Deno.test("filterTokens keeps the newline between a section header and a brace", () => {
  const out = filterTokens(lexCon4m("sink_config x\n{ a: 1 }", "t")).map((t) => t.type);
  assertEquals(out.slice(0, 4), ["ident", "ident", "sep", "ldict"]);
});

Deno.test("filterTokens retypes statement-leading use/parameter/func and type names", () => {
  const out = filterTokens(
    lexCon4m('use x from "y"\nparameter var p\nfunc f() { }\nt := list[int]\nn := int(t)', "t"),
  );
  assertEquals(
    out.filter((t) => t.type.startsWith("kw_") || t.type.startsWith("type")).map((t) => t.type),
    [
      "kw_use",
      "kw_from",
      "kw_parameter",
      "kw_var",
      "kw_funcdef",
      "typeapp",
      "typename",
    ],
  );
  // `int(` stays an identifier (a call), `use` later in a statement stays an identifier.
  const late = filterTokens(lexCon4m("x: use", "t"));
  assertEquals(late[2].type, "ident");
});

Deno.test("filterTokens inserts a separator after a block that ends a statement", () => {
  const out = filterTokens(lexCon4m("a { } b: 1", "t")).map((t) => t.type);
  assertEquals(out, ["ident", "lbrace", "rbrace", "sep", "ident", "colon", "intlit"]);
});

Deno.test("lexCon4m raises Con4mError, not a raw exception", () => {
  assertThrows(() => lexCon4m("x: ^", "t"), Con4mError);
  const e = lexError("x: ^");
  assertEquals(e.message, "t.c4m:1:4: Invalid character found");
});
