/**
 * List builtins. Lists are immutable: every "modifying" builtin returns a new list.
 *
 * @module
 */

import { valuesEqual } from "../values.ts";
import { argInt, argList } from "./_args.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";
import { sliceBounds } from "./strings.ts";

const TAGS = ["list"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** The list builtins. */
export const LIST_BUILTINS: readonly BuiltinDef[] = [
  def(
    "len",
    "func(list[`x]) -> int",
    (a) => BigInt(argList(a, 0).length),
    "Number of items in a list.",
  ),
  def(
    "contains",
    "func(list[`x], `x) -> bool",
    (a) => argList(a, 0).some((x) => valuesEqual(x, a[1])),
    "Is an item equal (deep equality) to the value in the list?",
  ),
  def(
    "set",
    "func(list[`x], int, `x) -> list[`x]",
    (a) => {
      const list = argList(a, 0);
      let ix = argInt(a, 1);
      if (ix < 0n) ix += BigInt(list.length);
      if (ix < 0n || ix >= BigInt(list.length)) {
        throw new BuiltinError(`index ${argInt(a, 1)} out of bounds (length ${list.length})`);
      }
      const copy = [...list];
      copy[Number(ix)] = a[2];
      return copy;
    },
    "A copy of the list with the item at an index replaced (negative indexes from the end).",
  ),
  def(
    "delete",
    "func(list[`x], `x) -> list[`x]",
    (a) => argList(a, 0).filter((x) => !valuesEqual(x, a[1])),
    "A copy of the list without every item equal to the value.",
  ),
  def(
    "remove",
    "func(list[`x], int) -> list[`x]",
    (a) => {
      const ix = argInt(a, 1);
      return argList(a, 0).filter((_, i) => BigInt(i) !== ix);
    },
    "A copy of the list without the item at the index (unchanged when out of range).",
  ),
  def(
    "array_add",
    "func(list[`x], list[`x]) -> list[`x]",
    (a) => [...argList(a, 0), ...argList(a, 1)],
    "Concatenation of two lists.",
  ),
  def(
    "slice",
    "func(list[`x], int, int) -> list[`x]",
    (a) => {
      const list = argList(a, 0);
      const [s, e] = sliceBounds(list.length, argInt(a, 1), argInt(a, 2));
      return list.slice(s, e);
    },
    "Python-style l[start:end]: end exclusive, negatives from the end, clamped.",
  ),
];
