/**
 * Integer builtins: `high`, `low`, `rand`, and the bit operations `bitor`, `bitand`, `xor`, `shl`,
 * `shr`, `bitnot`. Shifts are logical (the operand is taken as an unsigned 64-bit value) and
 * results wrap to signed 64 bits.
 *
 * @module
 */

import { argInt, HIGH, LOW, wrapInt64 } from "./_args.ts";
import { type BuiltinDef, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["int"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

const U64 = (n: bigint): bigint => BigInt.asUintN(64, n);

/** A cryptographically secure random int64. */
export function secureRandomInt(): bigint {
  const buf = new BigInt64Array(1);
  crypto.getRandomValues(buf);
  return buf[0];
}

/** The integer builtins. */
export const INT_BUILTINS: readonly BuiltinDef[] = [
  def("high", "func() -> int", () => HIGH, "The largest int (2^63 - 1)."),
  def("low", "func() -> int", () => LOW, "The smallest int (-2^63)."),
  def("rand", "func() -> int", () => secureRandomInt(), "A secure random 64-bit int."),
  def(
    "bitor",
    "func(int, int) -> int",
    (a) => argInt(a, 0) | argInt(a, 1),
    "Bitwise or.",
  ),
  def(
    "bitand",
    "func(int, int) -> int",
    (a) => argInt(a, 0) & argInt(a, 1),
    "Bitwise and.",
  ),
  def(
    "xor",
    "func(int, int) -> int",
    (a) => argInt(a, 0) ^ argInt(a, 1),
    "Bitwise exclusive or.",
  ),
  def(
    "shl",
    "func(int, int) -> int",
    (a) => {
      const n = U64(argInt(a, 1));
      return n >= 64n ? 0n : wrapInt64(U64(argInt(a, 0)) << n);
    },
    "Logical shift left (0 for shifts of 64 or more).",
  ),
  def(
    "shr",
    "func(int, int) -> int",
    (a) => {
      const n = U64(argInt(a, 1));
      return n >= 64n ? 0n : wrapInt64(U64(argInt(a, 0)) >> n);
    },
    "Logical (unsigned) shift right (0 for shifts of 64 or more).",
  ),
  def("bitnot", "func(int) -> int", (a) => ~argInt(a, 0), "Bitwise complement."),
];
