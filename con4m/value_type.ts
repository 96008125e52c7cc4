/**
 * Whether a runtime value fits a declared type, all the way down. The checker types expressions
 * statically, but a host that calls a function with an inferred or generic return type (a keyspec
 * callback, say) only learns at run time what came back, and one representation serves several
 * types (`bigint` is an int, a char, a Duration or a Size), so this looks at the type, not only
 * at the value.
 *
 * @module
 */

import { type PrimName, prune, type Type } from "./types.ts";
import { type Con4mValue, isCallback, isDict, isList, isTypespec } from "./values.ts";

/**
 * True when `v` can be a value of type `t`: type variables accept anything, unions any option,
 * lists, tuples and dicts every member.
 *
 * @example
 * ```ts
 * valueHasType(["a", "b"], parseType("list[string]")); // true
 * valueHasType(["a", 1n], parseType("list[string]"));  // false
 * ```
 */
export function valueHasType(v: Con4mValue, t: Type): boolean {
  const type = prune(t);
  switch (type.kind) {
    case "var":
      return true;
    case "union":
      return type.options.some((o) => valueHasType(v, o));
    case "prim":
      return valueHasPrim(v, type.name);
    case "list":
      return isList(v) && v.every((x) => valueHasType(x, type.item));
    case "tuple":
      return isList(v) && v.length === type.items.length &&
        v.every((x, i) => valueHasType(x, type.items[i]));
    case "dict":
      if (!isDict(v)) return false;
      for (const [k, x] of v.entries()) {
        if (!valueHasType(k, type.key) || !valueHasType(x, type.value)) return false;
      }
      return true;
    case "typespec":
      return isTypespec(v);
    case "func":
      return isCallback(v);
  }
}

function valueHasPrim(v: Con4mValue, name: PrimName): boolean {
  switch (name) {
    case "bool":
      return typeof v === "boolean";
    case "int":
    case "char":
    case "Duration":
    case "Size":
      return typeof v === "bigint";
    case "float":
      return typeof v === "number";
    case "void":
      return false;
    default:
      // string, IPAddr, CIDR, Date, Time, DateTime
      return typeof v === "string";
  }
}
