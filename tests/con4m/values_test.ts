import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { parseType, tChar, tDuration, tFloat, tInt, tSize, tString } from "../../con4m/types.ts";
import {
  callbackValue,
  canonicalKey,
  Con4mDict,
  formatFloat,
  formatItem,
  formatValue,
  isCallback,
  isDict,
  isList,
  isTypespec,
  quoteString,
  typespecValue,
  valuesEqual,
} from "../../con4m/values.ts";

Deno.test("Con4mDict keeps insertion order and replaces in place", () => {
  const d = new Con4mDict([["b", 1n], ["a", 2n]]);
  d.set("c", 3n).set("b", 10n);
  assertEquals([...d.keys()], ["b", "a", "c"]);
  assertEquals([...d.values()], [10n, 2n, 3n]);
  assertEquals([...d.entries()], [["b", 10n], ["a", 2n], ["c", 3n]]);
  assertEquals([...d], [...d.entries()]);
  assertStrictEquals(d.size, 3);
  assert(d.delete("a"));
  assert(!d.delete("a"));
  assert(!d.has("a"));
  assertStrictEquals(d.get("zz"), undefined);
});

Deno.test("Con4mDict keys of different kinds never collide", () => {
  const d = new Con4mDict();
  d.set("1", "string key").set(1n, "int key").set(1, "float key").set(true, "bool key");
  assertStrictEquals(d.size, 4);
  assertStrictEquals(d.get("1"), "string key");
  assertStrictEquals(d.get(1n), "int key");
  assertStrictEquals(d.get(1), "float key");
  assertStrictEquals(d.get(true), "bool key");
  d.set(["x", 1n], "list key");
  assertStrictEquals(d.get(["x", 1n]), "list key");
  assert(canonicalKey("i1") !== canonicalKey(1n));
});

Deno.test("Con4mDict.clone is independent of the original", () => {
  const d = new Con4mDict([["a", 1n]]);
  const c = d.clone();
  c.set("b", 2n);
  assertStrictEquals(d.size, 1);
  assertStrictEquals(c.size, 2);
});

Deno.test("valuesEqual compares containers deeply and dicts regardless of order", () => {
  assert(valuesEqual([1n, ["a", true]], [1n, ["a", true]]));
  assert(!valuesEqual([1n, 2n], [1n, 2n, 3n]));
  assert(!valuesEqual([1n], [1]));
  const a = new Con4mDict([["x", [1n]], ["y", 2n]]);
  const b = new Con4mDict([["y", 2n], ["x", [1n]]]);
  assert(valuesEqual(a, b));
  assert(!valuesEqual(a, new Con4mDict([["x", [1n]], ["y", 3n]])));
  assert(!valuesEqual(a, [1n]));
  assert(valuesEqual(0, -0));
  assert(valuesEqual(null, null));
  assert(!valuesEqual(null, ""));
});

Deno.test("valuesEqual compares typespecs by type and callbacks by name and signature", () => {
  assert(valuesEqual(typespecValue(parseType("list[int]")), typespecValue(parseType("list[int]"))));
  assert(
    !valuesEqual(typespecValue(parseType("list[int]")), typespecValue(parseType("list[char]"))),
  );
  assert(valuesEqual(callbackValue("f"), callbackValue("f")));
  assert(!valuesEqual(callbackValue("f", "(int) -> int"), callbackValue("f")));
  assert(!valuesEqual(callbackValue("f"), typespecValue(tInt)));
});

Deno.test("kind predicates tell the representations apart", () => {
  assert(isList([]));
  assert(isDict(new Con4mDict()));
  assert(isTypespec(typespecValue(tInt)));
  assert(isCallback(callbackValue("f")));
  assert(!isTypespec(callbackValue("f")));
  assert(!isCallback(null));
  assert(!isList("abc"));
});

Deno.test("formatValue prints top-level scalars bare", () => {
  assertStrictEquals(formatValue("hi", tString), "hi");
  assertStrictEquals(formatValue(65n, tChar), "A");
  assertStrictEquals(formatValue(65n, tInt), "65");
  assertStrictEquals(formatValue(65n), "65");
  assertStrictEquals(formatValue(true), "true");
  assertStrictEquals(formatValue(2.0, tFloat), "2.0");
  assertStrictEquals(formatValue(0.1, tFloat), "0.1");
  assertStrictEquals(formatValue(3_000_000n, tDuration), "3 secs");
  assertStrictEquals(formatValue(250_000_000n, tSize), "250MB");
  assertStrictEquals(formatValue("10.0.0.1", parseType("IPAddr")), "10.0.0.1");
});

Deno.test("formatValue quotes items inside containers by their type", () => {
  assertStrictEquals(formatValue(["a", 'b"c'], parseType("list[string]")), '["a", "b\\"c"]');
  assertStrictEquals(formatValue([97n, 39n], parseType("list[char]")), "['a', '\\'']");
  assertStrictEquals(formatValue(["x", 1n], parseType("tuple[string, int]")), '("x", 1)');
  assertStrictEquals(formatValue([1n], parseType("list[Duration]")), "[<<1 usec>>]");
  assertStrictEquals(formatValue(["2024-01-01"], parseType("list[Date]")), "[<<2024-01-01>>]");
  const d = new Con4mDict([["k", [1.5]]]);
  assertStrictEquals(formatValue(d, parseType("dict[string, list[float]]")), '{"k" : [1.5]}');
  assertStrictEquals(formatValue(new Con4mDict()), "{}");
  assertStrictEquals(formatValue([]), "[]");
});

Deno.test("formatValue prints typespecs as types and callbacks with their signature", () => {
  assertStrictEquals(
    formatValue(typespecValue(parseType("dict[string, int]"))),
    "dict[string, int]",
  );
  assertStrictEquals(formatValue(callbackValue("f", "(int) -> string")), "func f(int) -> string");
  assertStrictEquals(formatValue(callbackValue("g")), "func g");
  assertStrictEquals(formatValue(null), "null");
});

Deno.test("formatFloat uses nan and inf and keeps .0 on whole numbers", () => {
  assertStrictEquals(formatFloat(NaN), "nan");
  assertStrictEquals(formatFloat(Infinity), "inf");
  assertStrictEquals(formatFloat(-Infinity), "-inf");
  assertStrictEquals(formatFloat(-3), "-3.0");
  assertStrictEquals(formatFloat(1e21), "1e+21");
});

Deno.test("quoteString and formatItem escape control characters", () => {
  assertStrictEquals(quoteString("a\nb\t\\\x01"), '"a\\nb\\t\\\\\\x01"');
  assertStrictEquals(formatItem("x", tString), '"x"');
  assertStrictEquals(formatItem(7n, tInt), "7");
});
