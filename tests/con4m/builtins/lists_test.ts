import { assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { callSync } from "./_call.ts";

Deno.test("list len, contains (deep) and array_add", () => {
  assertStrictEquals(callSync("len", "func(list[`x]) -> int", [["a", "b"]]), 2n);
  assertStrictEquals(callSync("len", "func(list[`x]) -> int", [[]]), 0n);
  const c = "func(list[`x], `x) -> bool";
  assertStrictEquals(callSync("contains", c, [["a", "b"], "b"]), true);
  assertStrictEquals(callSync("contains", c, [[["x", 1n]], ["x", 1n]]), true);
  assertStrictEquals(callSync("contains", c, [[1n, 2n], 3n]), false);
  assertEquals(
    callSync("array_add", "func(list[`x], list[`x]) -> list[`x]", [["/bin"], ["."]]),
    ["/bin", "."],
  );
});

Deno.test("list set copies and checks the index", () => {
  const sig = "func(list[`x], int, `x) -> list[`x]";
  const orig = ["a", "b", "c"];
  assertEquals(callSync("set", sig, [orig, 1n, "B"]), ["a", "B", "c"]);
  assertEquals(callSync("set", sig, [orig, -1n, "C"]), ["a", "b", "C"]);
  assertEquals(orig, ["a", "b", "c"]);
  assertThrows(() => callSync("set", sig, [orig, 3n, "x"]), BuiltinError);
  assertThrows(() => callSync("set", sig, [orig, -4n, "x"]), BuiltinError);
});

Deno.test("list delete removes all equal items and remove drops one index", () => {
  assertEquals(
    callSync("delete", "func(list[`x], `x) -> list[`x]", [["a", "b", "a"], "a"]),
    ["b"],
  );
  const rm = "func(list[`x], int) -> list[`x]";
  assertEquals(callSync("remove", rm, [["a", "b", "c"], 1n]), ["a", "c"]);
  assertEquals(callSync("remove", rm, [["a"], 5n]), ["a"]);
});

Deno.test("list slice is Python-style and clamped", () => {
  const sig = "func(list[`x], int, int) -> list[`x]";
  const l = [1n, 2n, 3n, 4n];
  assertEquals(callSync("slice", sig, [l, 1n, 3n]), [2n, 3n]);
  assertEquals(callSync("slice", sig, [l, 0n, -1n]), [1n, 2n, 3n]);
  assertEquals(callSync("slice", sig, [l, -2n, 100n]), [3n, 4n]);
  assertEquals(callSync("slice", sig, [l, 3n, 1n]), []);
});
