import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { Con4mError } from "../../con4m/errors.ts";
import {
  bareFunc,
  copyType,
  dictOf,
  funcOf,
  isConcrete,
  listOf,
  newTypeVar,
  parseSignature,
  parseType,
  prune,
  resolveType,
  tBool,
  tInt,
  tString,
  typeEquals,
  typespecOf,
  typeToString,
  unifies,
  unify,
} from "../../con4m/types.ts";

Deno.test("parseType and typeToString round-trip con4m type syntax", () => {
  const cases: [string, string][] = [
    ["int", "int"],
    ["list[string]", "list[string]"],
    ["dict[string, list[int]]", "dict[string, list[int]]"],
    ["tuple[int,int]", "tuple[int, int]"],
    ["func(string, `x) -> list[`x]", "(string, `x) -> list[`x]"],
    ["(list[string]) -> void", "(list[string]) -> void"],
    ["func ()", "() -> void"],
    ["func", "func"],
    ["(*`a)", "(*`a) -> void"],
    ["typespec", "typespec"],
    ["typespec[`t]", "typespec[`t]"],
    ["typespec or string", "typespec or string"],
    ["int || string", "int or string"],
    ["Duration", "Duration"],
    ["list[(`x, `y)]", "list[(`x, `y) -> void]"],
  ];
  for (const [src, want] of cases) {
    assertEquals(typeToString(parseType(src)), want, src);
    assertEquals(typeToString(parseType(typeToString(parseType(src)))), want, `reparse ${src}`);
  }
});

Deno.test("parseType shares same-named type variables within one type", () => {
  const t = parseType("func(list[`x], `x) -> bool");
  assert(t.kind === "func");
  assert(unify(t.params[1], tInt));
  assertEquals(typeToString(t), "(list[int], int) -> bool");
});

Deno.test("parseType rejects malformed types with Con4mError", () => {
  for (
    const bad of ["[string]", "list[", "dict[int]", "tuple[int]", "foo", "(*int, int)", "int int"]
  ) {
    assertThrows(() => parseType(bad), Con4mError, bad);
  }
  assertThrows(() => parseType("int or int"), /Union type options must not overlap/);
  assertThrows(() => parseType("list[`x] or list[int]"), /must not overlap/);
});

Deno.test("unify binds type variables on success and nothing on failure", () => {
  const a = newTypeVar();
  const b = newTypeVar();
  assert(!unify(dictOf(a, b), dictOf(tString, listOf(tInt)).key));
  assert(prune(a) === a && prune(b) === b, "failed unify left bindings");
  assert(!unify(funcOf([a, b], tBool), funcOf([tInt, tString], tInt)));
  assert(prune(a) === a && prune(b) === b, "failed unify left bindings");
  assert(unify(dictOf(a, b), dictOf(tString, listOf(tInt))));
  assertEquals(typeToString(dictOf(a, b)), "dict[string, list[int]]");
});

Deno.test("unify refuses cyclic bindings", () => {
  const a = newTypeVar();
  assert(!unify(a, listOf(a)));
});

Deno.test("unify matches varargs signatures against fixed call types", () => {
  const echo = parseSignature("echo(*`a)").type;
  assert(unifies(copyType(echo), funcOf([tString, tString], newTypeVar())));
  assert(!unifies(copyType(echo), funcOf([tString, tInt], newTypeVar())));
  assert(unifies(copyType(echo), funcOf([], newTypeVar())));
});

Deno.test("unify lets a bare func match any function type", () => {
  assert(unifies(bareFunc(), parseType("(string) -> bool")));
  assert(!unifies(bareFunc(), tString));
});

Deno.test("unify picks the matching option of a union", () => {
  const u = parseType("typespec or string");
  assert(unifies(u, tString));
  assert(unifies(u, typespecOf(tInt)));
  assert(!unifies(u, tInt));
});

Deno.test("unify compares typespecs by their bound types", () => {
  assert(unifies(typespecOf(tInt), typespecOf()));
  assert(!unifies(typespecOf(tInt), typespecOf(tString)));
});

Deno.test("copyType instantiates generic signatures with fresh variables", () => {
  const sig = parseType("func(list[`x]) -> `x");
  const c1 = copyType(sig);
  const c2 = copyType(sig);
  assert(unify(c1, funcOf([listOf(tInt)], newTypeVar())));
  assert(unify(c2, funcOf([listOf(tString)], newTypeVar())));
  assertEquals(typeToString(sig), "(list[`x]) -> `x");
  assertEquals(typeToString(c1), "(list[int]) -> int");
});

Deno.test("resolveType, isConcrete and typeEquals follow links", () => {
  const v = newTypeVar();
  const t = listOf(v);
  assert(!isConcrete(t));
  unify(v, tString);
  assert(isConcrete(t));
  assertEquals(resolveType(t), listOf(tString));
  assert(typeEquals(t, parseType("list[string]")));
  assert(!typeEquals(t, parseType("list[int]")));
});

Deno.test("parseSignature splits a builtin signature into name and function type", () => {
  const s = parseSignature("subscribe(string, string) -> bool");
  assertEquals(s.name, "subscribe");
  assertEquals(typeToString(s.type), "(string, string) -> bool");
  assertEquals(typeToString(parseSignature("$(`t) -> string").type), "(`t) -> string");
  assertThrows(() => parseSignature("nope"), Con4mError);
});
