/**
 * Private helpers for builtin implementations: typed access to already type-checked
 * arguments, and small shared conversions.
 *
 * @module
 */

import { Con4mDict, type Con4mValue } from "../values.ts";
import { BuiltinError } from "./builtin_def.ts";

/** Argument `i` as a string. */
export function argStr(args: readonly Con4mValue[], i: number): string {
  return args[i] as string;
}

/** Argument `i` as a bigint (int, char, Duration, Size). */
export function argInt(args: readonly Con4mValue[], i: number): bigint {
  return args[i] as bigint;
}

/** Argument `i` as a list or tuple. */
export function argList(args: readonly Con4mValue[], i: number): readonly Con4mValue[] {
  return args[i] as readonly Con4mValue[];
}

/** Argument `i` as a dict. */
export function argDict(args: readonly Con4mValue[], i: number): Con4mDict {
  const d = args[i];
  if (!(d instanceof Con4mDict)) throw new BuiltinError("expected a dict argument");
  return d;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Wrap to signed 64-bit (two's complement), as Nim's int arithmetic does. */
export function wrapInt64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** Is `n` within the int64 range? */
export function inInt64(n: bigint): boolean {
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** Largest int64. */
export const HIGH = INT64_MAX;
/** Smallest int64. */
export const LOW = INT64_MIN;

/** Expand a leading `~` (alone or followed by `/`) to `$HOME`. */
export function expandTilde(path: string, home: string | undefined): string {
  if (home === undefined) return path;
  if (path === "~") return home;
  if (path.startsWith("~/")) return home + path.slice(1);
  return path;
}
