/** valueHasType: runtime values against declared types, all the way down. */
import { assert } from "../_assert.ts";
import { valueHasType } from "../../con4m/value_type.ts";
import { parseType } from "../../con4m/types.ts";
import { callbackValue, Con4mDict, typespecValue } from "../../con4m/values.ts";
import { tInt } from "../../con4m/types.ts";

const fits = (v: Parameters<typeof valueHasType>[0], t: string) => valueHasType(v, parseType(t));

Deno.test("valueHasType matches primitives by type, not only by representation", () => {
  assert(fits("a", "string") && fits("10.0.0.1", "IPAddr"));
  assert(fits(3n, "int") && fits(3n, "Duration") && fits(3n, "Size") && fits(97n, "char"));
  assert(fits(1.5, "float") && fits(true, "bool"));
  assert(!fits("3", "int") && !fits(3n, "float") && !fits(1.5, "int") && !fits(1n, "bool"));
  assert(!fits(null, "string") && !fits("x", "void"));
});

Deno.test("valueHasType checks every member of lists, tuples and dicts", () => {
  assert(fits(["a", "b"], "list[string]") && fits([], "list[int]"));
  assert(!fits(["a", 1n], "list[string]") && !fits("a", "list[string]"));
  assert(fits(["a", 1n], "tuple[string, int]") && !fits(["a"], "tuple[string, int]"));
  const dict = new Con4mDict([["a", 1n], ["b", 2n]]);
  assert(fits(dict, "dict[string, int]") && !fits(dict, "dict[string, string]"));
  assert(!fits(new Con4mDict([[1n, 1n]]), "dict[string, int]"));
  assert(fits(new Con4mDict([["a", [1n]]]), "dict[string, list[int]]"));
});

Deno.test("valueHasType: type variables take anything, unions any option", () => {
  assert(fits(new Con4mDict([["a", "x"], ["b", 2n]]), "dict[string, `x]"));
  assert(fits("a", "`x") && fits(null, "`x"));
  assert(fits(1n, "int or string") && fits("a", "int or string") && !fits(1.5, "int or string"));
  assert(fits(typespecValue(tInt), "typespec") && fits(callbackValue("f"), "func"));
  assert(!fits("int", "typespec") && !fits("f", "func"));
});
