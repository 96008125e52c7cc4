/**
 * Dict builtins. Dicts are immutable: `set` and `delete` return a copy, and `get` on a missing
 * key is a runtime error (docs/con4m.md, "Compatibility notes").
 *
 * @module
 */

import { formatItem } from "../values.ts";
import { argDict } from "./_args.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["dict"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** The dict builtins. */
export const DICT_BUILTINS: readonly BuiltinDef[] = [
  def(
    "len",
    "func(dict[`x, `y]) -> int",
    (a) => BigInt(argDict(a, 0).size),
    "Number of entries in a dict.",
  ),
  def(
    "keys",
    "func(dict[`x, `y]) -> list[`x]",
    (a) => [...argDict(a, 0).keys()],
    "Keys in insertion order.",
  ),
  def(
    "values",
    "func(dict[`x, `y]) -> list[`y]",
    (a) => [...argDict(a, 0).values()],
    "Values in insertion order.",
  ),
  def(
    "items",
    "func(dict[`x, `y]) -> list[tuple[`x, `y]]",
    (a) => [...argDict(a, 0).entries()],
    "(key, value) pairs in insertion order.",
  ),
  def(
    "contains",
    "func(dict[`x, `y], `x) -> bool",
    (a) => argDict(a, 0).has(a[1]),
    "Is the key present?",
  ),
  def(
    "get",
    "func(dict[`k, `v], `k) -> `v",
    (a, ctx) => {
      const v = argDict(a, 0).get(a[1]);
      if (v === undefined) {
        throw new BuiltinError(`dict key ${formatItem(a[1], ctx.argTypes[1])} not found`);
      }
      return v;
    },
    "The value stored under the key; a missing key is a runtime error.",
  ),
  def(
    "set",
    "func(dict[`k, `v], `k, `v) -> dict[`k, `v]",
    (a) => argDict(a, 0).clone().set(a[1], a[2]),
    "A copy of the dict with the key set to the value.",
  ),
  def(
    "delete",
    "func(dict[`k, `v], `k) -> dict[`k, `v]",
    (a) => {
      const copy = argDict(a, 0).clone();
      copy.delete(a[1]);
      return copy;
    },
    "A copy of the dict without the key.",
  ),
];
