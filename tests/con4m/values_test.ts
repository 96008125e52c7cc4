import { deepStrictEqual, equal, ok } from "node:assert/strict";
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
  deepStrictEqual([...d.keys()], ["b", "a", "c"]);
  deepStrictEqual([...d.values()], [10n, 2n, 3n]);
  deepStrictEqual([...d.entries()], [["b", 10n], ["a", 2n], ["c", 3n]]);
  deepStrictEqual([...d], [...d.entries()]);
  equal(d.size, 3);
  ok(d.delete("a"));
  ok(!d.delete("a"));
  ok(!d.has("a"));
  equal(d.get("zz"), undefined);
});

Deno.test("Con4mDict keys of different kinds never collide", () => {
  const d = new Con4mDict();
  d.set("1", "string key").set(1n, "int key").set(1, "float key").set(true, "bool key");
  equal(d.size, 4);
  equal(d.get("1"), "string key");
  equal(d.get(1n), "int key");
  equal(d.get(1), "float key");
  equal(d.get(true), "bool key");
  d.set(["x", 1n], "list key");
  equal(d.get(["x", 1n]), "list key");
  ok(canonicalKey("i1") !== canonicalKey(1n));
});

Deno.test("Con4mDict.clone is independent of the original", () => {
  const d = new Con4mDict([["a", 1n]]);
  const c = d.clone();
  c.set("b", 2n);
  equal(d.size, 1);
  equal(c.size, 2);
});

Deno.test("valuesEqual compares containers deeply and dicts regardless of order", () => {
  ok(valuesEqual([1n, ["a", true]], [1n, ["a", true]]));
  ok(!valuesEqual([1n, 2n], [1n, 2n, 3n]));
  ok(!valuesEqual([1n], [1]));
  const a = new Con4mDict([["x", [1n]], ["y", 2n]]);
  const b = new Con4mDict([["y", 2n], ["x", [1n]]]);
  ok(valuesEqual(a, b));
  ok(!valuesEqual(a, new Con4mDict([["x", [1n]], ["y", 3n]])));
  ok(!valuesEqual(a, [1n]));
  ok(valuesEqual(0, -0));
  ok(valuesEqual(null, null));
  ok(!valuesEqual(null, ""));
});

Deno.test("valuesEqual compares typespecs by type and callbacks by name and signature", () => {
  ok(valuesEqual(typespecValue(parseType("list[int]")), typespecValue(parseType("list[int]"))));
  ok(!valuesEqual(typespecValue(parseType("list[int]")), typespecValue(parseType("list[char]"))));
  ok(valuesEqual(callbackValue("f"), callbackValue("f")));
  ok(!valuesEqual(callbackValue("f", "(int) -> int"), callbackValue("f")));
  ok(!valuesEqual(callbackValue("f"), typespecValue(tInt)));
});

Deno.test("kind predicates tell the representations apart", () => {
  ok(isList([]));
  ok(isDict(new Con4mDict()));
  ok(isTypespec(typespecValue(tInt)));
  ok(isCallback(callbackValue("f")));
  ok(!isTypespec(callbackValue("f")));
  ok(!isCallback(null));
  ok(!isList("abc"));
});

Deno.test("formatValue prints top-level scalars bare", () => {
  equal(formatValue("hi", tString), "hi");
  equal(formatValue(65n, tChar), "A");
  equal(formatValue(65n, tInt), "65");
  equal(formatValue(65n), "65");
  equal(formatValue(true), "true");
  equal(formatValue(2.0, tFloat), "2.0");
  equal(formatValue(0.1, tFloat), "0.1");
  equal(formatValue(3_000_000n, tDuration), "3 secs");
  equal(formatValue(250_000_000n, tSize), "250MB");
  equal(formatValue("10.0.0.1", parseType("IPAddr")), "10.0.0.1");
});

Deno.test("formatValue quotes items inside containers by their type", () => {
  equal(formatValue(["a", 'b"c'], parseType("list[string]")), '["a", "b\\"c"]');
  equal(formatValue([97n, 39n], parseType("list[char]")), "['a', '\\'']");
  equal(formatValue(["x", 1n], parseType("tuple[string, int]")), '("x", 1)');
  equal(formatValue([1n], parseType("list[Duration]")), "[<<1 usec>>]");
  equal(formatValue(["2024-01-01"], parseType("list[Date]")), "[<<2024-01-01>>]");
  const d = new Con4mDict([["k", [1.5]]]);
  equal(formatValue(d, parseType("dict[string, list[float]]")), '{"k" : [1.5]}');
  equal(formatValue(new Con4mDict()), "{}");
  equal(formatValue([]), "[]");
});

Deno.test("formatValue prints typespecs as types and callbacks with their signature", () => {
  equal(formatValue(typespecValue(parseType("dict[string, int]"))), "dict[string, int]");
  equal(formatValue(callbackValue("f", "(int) -> string")), "func f(int) -> string");
  equal(formatValue(callbackValue("g")), "func g");
  equal(formatValue(null), "null");
});

Deno.test("formatFloat uses nan and inf and keeps .0 on whole numbers", () => {
  equal(formatFloat(NaN), "nan");
  equal(formatFloat(Infinity), "inf");
  equal(formatFloat(-Infinity), "-inf");
  equal(formatFloat(-3), "-3.0");
  equal(formatFloat(1e21), "1e+21");
});

Deno.test("quoteString and formatItem escape control characters", () => {
  equal(quoteString("a\nb\t\\\x01"), '"a\\nb\\t\\\\\\x01"');
  equal(formatItem("x", tString), '"x"');
  equal(formatItem(7n, tInt), "7");
});
