import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { Con4mDict, valuesEqual } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

const entries = (d: unknown): unknown => [...(d as Con4mDict).entries()];

Deno.test("dict keys, values, items and len keep insertion order", () => {
  const d = new Con4mDict([["z", 1n], ["a", 2n]]);
  assertEquals(callSync("keys", "func(dict[`x, `y]) -> list[`x]", [d]), ["z", "a"]);
  assertEquals(callSync("values", "func(dict[`x, `y]) -> list[`y]", [d]), [1n, 2n]);
  assertEquals(
    callSync("items", "func(dict[`x, `y]) -> list[tuple[`x, `y]]", [d]),
    [["z", 1n], ["a", 2n]],
  );
  assertStrictEquals(callSync("len", "func(dict[`x, `y]) -> int", [d]), 2n);
  assertStrictEquals(callSync("contains", "func(dict[`x, `y], `x) -> bool", [d, "a"]), true);
  assertStrictEquals(callSync("contains", "func(dict[`x, `y], `x) -> bool", [d, "q"]), false);
});

Deno.test("dict get returns the value and fails on a missing key", () => {
  const sig = "func(dict[`k, `v], `k) -> `v";
  const d = new Con4mDict([["runs", [1n]]]);
  assertEquals(callSync("get", sig, [d, "runs"]), [1n]);
  assertThrows(
    () => callSync("get", sig, [d, "nope"], { types: ["dict[string, list[int]]", "string"] }),
    (e: unknown) => e instanceof BuiltinError && e.message === 'dict key "nope" not found',
  );
});

Deno.test("dict set and delete return copies and leave aliases untouched", () => {
  const orig = new Con4mDict([["a", 1n]]);
  const alias = orig;
  const set = callSync("set", "func(dict[`k, `v], `k, `v) -> dict[`k, `v]", [orig, "b", 2n]);
  assertEquals(entries(set), [["a", 1n], ["b", 2n]]);
  assertEquals(entries(alias), [["a", 1n]]);
  const replaced = callSync("set", "func(dict[`k, `v], `k, `v) -> dict[`k, `v]", [orig, "a", 9n]);
  assertEquals(entries(replaced), [["a", 9n]]);
  const del = callSync("delete", "func(dict[`k, `v], `k) -> dict[`k, `v]", [set!, "a"]);
  assertEquals(entries(del), [["b", 2n]]);
  assertEquals(entries(set), [["a", 1n], ["b", 2n]]);
  assert(valuesEqual(del!, new Con4mDict([["b", 2n]])));
});
