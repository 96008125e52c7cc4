import { deepStrictEqual, equal, throws } from "node:assert/strict";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { callSync } from "./_call.ts";

Deno.test("list len, contains (deep) and array_add", () => {
  equal(callSync("len", "func(list[`x]) -> int", [["a", "b"]]), 2n);
  equal(callSync("len", "func(list[`x]) -> int", [[]]), 0n);
  const c = "func(list[`x], `x) -> bool";
  equal(callSync("contains", c, [["a", "b"], "b"]), true);
  equal(callSync("contains", c, [[["x", 1n]], ["x", 1n]]), true);
  equal(callSync("contains", c, [[1n, 2n], 3n]), false);
  deepStrictEqual(
    callSync("array_add", "func(list[`x], list[`x]) -> list[`x]", [["/bin"], ["."]]),
    ["/bin", "."],
  );
});

Deno.test("list set copies and checks the index", () => {
  const sig = "func(list[`x], int, `x) -> list[`x]";
  const orig = ["a", "b", "c"];
  deepStrictEqual(callSync("set", sig, [orig, 1n, "B"]), ["a", "B", "c"]);
  deepStrictEqual(callSync("set", sig, [orig, -1n, "C"]), ["a", "b", "C"]);
  deepStrictEqual(orig, ["a", "b", "c"]);
  throws(() => callSync("set", sig, [orig, 3n, "x"]), BuiltinError);
  throws(() => callSync("set", sig, [orig, -4n, "x"]), BuiltinError);
});

Deno.test("list delete removes all equal items and remove drops one index", () => {
  deepStrictEqual(
    callSync("delete", "func(list[`x], `x) -> list[`x]", [["a", "b", "a"], "a"]),
    ["b"],
  );
  const rm = "func(list[`x], int) -> list[`x]";
  deepStrictEqual(callSync("remove", rm, [["a", "b", "c"], 1n]), ["a", "c"]);
  deepStrictEqual(callSync("remove", rm, [["a"], 5n]), ["a"]);
});

Deno.test("list slice is Python-style and clamped", () => {
  const sig = "func(list[`x], int, int) -> list[`x]";
  const l = [1n, 2n, 3n, 4n];
  deepStrictEqual(callSync("slice", sig, [l, 1n, 3n]), [2n, 3n]);
  deepStrictEqual(callSync("slice", sig, [l, 0n, -1n]), [1n, 2n, 3n]);
  deepStrictEqual(callSync("slice", sig, [l, -2n, 100n]), [3n, 4n]);
  deepStrictEqual(callSync("slice", sig, [l, 3n, 1n]), []);
});
