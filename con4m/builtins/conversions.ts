/**
 * Conversion builtins: `bool`, `int`, `float`, `char`, `$`, the other-literal constructors
 * (`Duration("3 sec")`...), `to_usec`/`to_msec`/`to_sec`, `to_type`, `to_chars`, `to_bytes`,
 * `to_string`.
 *
 * @module
 */

import { Con4mError } from "../errors.ts";
import {
  parseCIDR,
  parseDate,
  parseDateTime,
  parseDuration,
  parseIPAddr,
  parseSize,
  parseTime,
} from "../other_literals.ts";
import { parseType } from "../types.ts";
import { charText, formatValue, typespecValue } from "../values.ts";
import { argDict, argInt, argList, argStr, inInt64 } from "./_args.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";

const TAGS = ["conversion"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

function literal<T>(
  name: string,
  parse: (s: string) => T | undefined,
  message: string,
): BuiltinDef {
  return def(
    name,
    `func(string) -> ${name}`,
    (a) => {
      const v = parse(argStr(a, 0));
      if (v === undefined) throw new BuiltinError(`${message}: ${argStr(a, 0)}`);
      return v as string | bigint;
    },
    `Parse a ${name} from text; invalid text is a runtime error.`,
  );
}

/** Convert a float to an int, truncating toward zero; NaN, ±inf and overflow are errors. */
export function floatToInt(f: number): bigint {
  if (!Number.isFinite(f)) throw new BuiltinError(`Cannot convert ${f} to int`);
  const n = BigInt(Math.trunc(f));
  if (!inInt64(n)) throw new BuiltinError(`Float ${f} is out of the int range`);
  return n;
}

/** The conversion builtins. */
export const CONVERSION_BUILTINS: readonly BuiltinDef[] = [
  def("bool", "func(int) -> bool", (a) => argInt(a, 0) !== 0n, "Non-zero is true."),
  def("bool", "func(float) -> bool", (a) => (a[0] as number) !== 0, "Non-zero is true."),
  def("bool", "func(string) -> bool", (a) => argStr(a, 0) !== "", "Non-empty is true."),
  def("bool", "func(list[`x]) -> bool", (a) => argList(a, 0).length > 0, "Non-empty is true."),
  def(
    "bool",
    "func(dict[`x, `y]) -> bool",
    (a) => argDict(a, 0).size > 0,
    "Non-empty is true.",
  ),
  def("float", "func(int) -> float", (a) => Number(argInt(a, 0)), "Widen an int to a float."),
  def(
    "int",
    "func(float) -> int",
    (a) => floatToInt(a[0] as number),
    "Truncate a float toward zero.",
  ),
  def("int", "func(char) -> int", (a) => argInt(a, 0), "The code point of a char."),
  def("char", "func(int) -> char", (a) => argInt(a, 0), "The char with that code point."),
  def(
    "$",
    "func(`t) -> string",
    (a, ctx) => formatValue(a[0], ctx.argTypes[0]),
    "Any value as text (strings unquoted at top level, quoted inside containers).",
  ),
  literal("Duration", parseDuration, "Invalid duration"),
  literal("IPAddr", parseIPAddr, "Invalid IP address"),
  literal("CIDR", parseCIDR, "Invalid CIDR spec"),
  literal("Size", parseSize, "Invalid size spec"),
  literal("Date", parseDate, "Invalid date syntax"),
  literal("Time", parseTime, "Invalid time syntax"),
  literal("DateTime", parseDateTime, "Invalid date/time"),
  def("to_usec", "func(Duration) -> int", (a) => argInt(a, 0), "A duration in microseconds."),
  def(
    "to_msec",
    "func(Duration) -> int",
    (a) => argInt(a, 0) / 1000n,
    "A duration in milliseconds (truncated).",
  ),
  def(
    "to_sec",
    "func(Duration) -> int",
    (a) => argInt(a, 0) / 1_000_000n,
    "A duration in seconds (truncated).",
  ),
  def(
    "to_type",
    "func(string) -> typespec",
    (a) => {
      try {
        return typespecValue(parseType(argStr(a, 0)));
      } catch (e) {
        if (e instanceof Con4mError) {
          throw new BuiltinError(`Invalid type: ${argStr(a, 0)} (${e.reason})`);
        }
        throw e;
      }
    },
    "Parse a type expression into a typespec; invalid text is a runtime error.",
  ),
  def(
    "to_chars",
    "func(string) -> list[char]",
    (a) => Array.from(argStr(a, 0), (ch) => BigInt(ch.codePointAt(0)!)),
    "The code points of a string.",
  ),
  def(
    "to_bytes",
    "func(string) -> list[char]",
    (a) => Array.from(new TextEncoder().encode(argStr(a, 0)), (b) => BigInt(b)),
    "The UTF-8 bytes of a string.",
  ),
  def(
    "to_string",
    "func(list[char]) -> string",
    (a) => (argList(a, 0) as readonly bigint[]).map(charText).join(""),
    "Code points back to text.",
  ),
];
