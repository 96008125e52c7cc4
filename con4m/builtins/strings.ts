/**
 * String builtins: tests, search, slicing, splitting, encodings, hashes, case mapping and char
 * classification. Lengths and indexes of strings are in UTF-8 **bytes** (`len`, `find`, `slice`),
 * as in the original (docs/con4m.md, "Compatibility notes").
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { type Con4mValue, formatFloat } from "../values.ts";
import { argInt, argList, argStr } from "./_args.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });
const ASCII = /^\p{ASCII}*$/u;

/** Length of `s` in UTF-8 bytes. */
export function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : encoder.encode(s).length;
}

/**
 * Python-style slice bounds for a sequence of `len` items: negatives count from the end,
 * everything is clamped to `[0, len]`, and an empty range has `end <= start`.
 */
export function sliceBounds(len: number, start: bigint, end?: bigint): [number, number] {
  const clamp = (i: bigint): number => {
    let n = i < 0n ? i + BigInt(len) : i;
    if (n < 0n) n = 0n;
    if (n > BigInt(len)) n = BigInt(len);
    return Number(n);
  };
  const a = clamp(start);
  const b = end === undefined ? len : clamp(end);
  return [a, Math.max(a, b)];
}

/**
 * `slice(s, start[, end])` on a string, in bytes, Python semantics (docs/con4m.md,
 * "Compatibility notes"). A cut in the middle of a multi-byte character yields U+FFFD for the
 * broken part.
 */
export function sliceString(s: string, start: bigint, end?: bigint): string {
  if (ASCII.test(s)) {
    const [a, b] = sliceBounds(s.length, start, end);
    return s.slice(a, b);
  }
  const bytes = encoder.encode(s);
  const [a, b] = sliceBounds(bytes.length, start, end);
  return decoder.decode(bytes.subarray(a, b));
}

/** Byte index of the first occurrence of `sub` in `s`, or -1. */
export function findBytes(s: string, sub: string): number {
  const i = s.indexOf(sub);
  return i < 0 ? -1 : byteLength(s.slice(0, i));
}

function formatTemplate(text: string, lookup: (name: string) => string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "}") {
      if (text[i + 1] !== "}") {
        throw new BuiltinError("Unescaped } w/o a matching { in format string");
      }
      out += "}";
      i += 2;
    } else if (ch === "{") {
      if (text[i + 1] === "{") {
        out += "{";
        i += 2;
        continue;
      }
      const close = text.indexOf("}", i + 1);
      if (close < 0) throw new BuiltinError("Unterminated { in format string");
      out += lookup(text.slice(i + 1, close));
      i = close + 1;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

function decodeBase64(s: string): string {
  const clean = s.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/\-_]*=*$/.test(clean) || clean.replace(/=+$/, "").length % 4 === 1) {
    throw new BuiltinError("Invalid base64 input");
  }
  const std = clean.replaceAll("-", "+").replaceAll("_", "/");
  return textOf(Buffer.from(std, "base64"));
}

/** UTF-8 bytes of a string. */
function bytesOf(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decode bytes as UTF-8; bytes that are not valid UTF-8 are kept one char per byte. */
function textOf(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return Buffer.from(bytes).toString("latin1");
  }
}

function decodeHex(s: string): string {
  if (s.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(s)) {
    throw new BuiltinError("Invalid hex string");
  }
  return textOf(Buffer.from(s, "hex"));
}

function charOf(args: readonly Con4mValue[]): string {
  const cp = argInt(args, 0);
  return cp >= 0n && cp <= 0x10ffffn ? String.fromCodePoint(Number(cp)) : "";
}

function isAsciiDigit(cp: bigint): boolean {
  return cp >= 48n && cp <= 57n;
}

const TAGS = ["string"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/** The string builtins. */
export const STRING_BUILTINS: readonly BuiltinDef[] = [
  def(
    "contains",
    "func(string, string) -> bool",
    (a) => argStr(a, 0).includes(argStr(a, 1)),
    "Is the second string a substring of the first?",
  ),
  def(
    "starts_with",
    "func(string, string) -> bool",
    (a) => argStr(a, 0).startsWith(argStr(a, 1)),
    "Does the first string start with the second?",
  ),
  def(
    "ends_with",
    "func(string, string) -> bool",
    (a) => argStr(a, 0).endsWith(argStr(a, 1)),
    "Does the first string end with the second?",
  ),
  def(
    "find",
    "func(string, string) -> int",
    (a) => BigInt(findBytes(argStr(a, 0), argStr(a, 1))),
    "Byte index of the first occurrence of the second string in the first, or -1.",
  ),
  def(
    "len",
    "func(string) -> int",
    (a) => BigInt(byteLength(argStr(a, 0))),
    "Length of a string in UTF-8 bytes.",
  ),
  def(
    "slice",
    "func(string, int) -> string",
    (a) => sliceString(argStr(a, 0), argInt(a, 1)),
    "The string from a byte index to the end; negative indexes count from the end.",
  ),
  def(
    "slice",
    "func(string, int, int) -> string",
    (a) => sliceString(argStr(a, 0), argInt(a, 1), argInt(a, 2)),
    "Python-style s[start:end] in bytes: end exclusive, negatives from the end, clamped.",
  ),
  def(
    "split",
    "func(string, string) -> list[string]",
    (a) => {
      const sep = argStr(a, 1);
      if (sep === "") throw new BuiltinError("split: empty separator");
      return argStr(a, 0).split(sep);
    },
    "Split on a separator string; empty pieces are kept.",
  ),
  def(
    "strip",
    "func(string) -> string",
    (a) => argStr(a, 0).trim(),
    "Remove Unicode white space at both ends.",
  ),
  def(
    "pad",
    "func(string, int) -> string",
    (a) => {
      const s = argStr(a, 0);
      const width = argInt(a, 1);
      const len = BigInt(byteLength(s));
      return len >= width ? s : s + " ".repeat(Number(width - len));
    },
    "Right-pad with spaces to the given width (in bytes).",
  ),
  def(
    "format",
    "func(string) -> string",
    (a, ctx) =>
      formatTemplate(argStr(a, 0), (name) => {
        const found = ctx.host.formatLookup(name);
        if (found === undefined) throw new BuiltinError(`Error in format: ${name} not found`);
        const v = found.value;
        switch (typeof v) {
          case "string":
            return v;
          case "bigint":
            return String(v);
          case "number":
            return formatFloat(v);
          case "boolean":
            return v ? "true" : "false";
        }
        throw new BuiltinError(
          "Error: Invalid type for format argument; container types not supported.",
        );
      }),
    "Replace {name} by the value of an attribute or variable; {{ and }} are literal braces.",
  ),
  def(
    "base64",
    "func(string) -> string",
    (a) => Buffer.from(bytesOf(argStr(a, 0))).toString("base64"),
    "Standard base64 encoding (with padding).",
  ),
  def(
    "base64_web",
    "func(string) -> string",
    (a) =>
      Buffer.from(bytesOf(argStr(a, 0))).toString("base64").replaceAll("+", "-").replaceAll(
        "/",
        "_",
      ),
    "URL-safe base64 encoding (- and _ instead of + and /, with padding).",
  ),
  def(
    "debase64",
    "func(string) -> string",
    (a) => decodeBase64(argStr(a, 0)),
    "Decode base64 (standard or URL-safe alphabet, padding optional).",
  ),
  def(
    "hex",
    "func(string) -> string",
    (a) => Buffer.from(bytesOf(argStr(a, 0))).toString("hex").toUpperCase(),
    "Upper-case hex encoding of the bytes of a string.",
  ),
  def(
    "hex",
    "func(int) -> string",
    (a) => BigInt.asUintN(64, argInt(a, 0)).toString(16).toUpperCase().padStart(16, "0"),
    "An int as 16 upper-case hex digits (two's complement for negatives).",
  ),
  def(
    "dehex",
    "func(string) -> string",
    (a) => decodeHex(argStr(a, 0)),
    "Decode a hex string.",
  ),
  def(
    "sha256",
    "func(string) -> string",
    (a) => createHash("sha256").update(bytesOf(argStr(a, 0))).digest("hex"),
    "Lower-case hex SHA-256 of the string.",
  ),
  def(
    "sha512",
    "func(string) -> string",
    (a) => createHash("sha512").update(bytesOf(argStr(a, 0))).digest("hex"),
    "Lower-case hex SHA-512 of the string.",
  ),
  def(
    "upper",
    "func(string) -> string",
    (a) => argStr(a, 0).toUpperCase(),
    "Unicode upper case.",
  ),
  def(
    "lower",
    "func(string) -> string",
    (a) => argStr(a, 0).toLowerCase(),
    "Unicode lower case.",
  ),
  def(
    "join",
    "func(list[string], string) -> string",
    (a) => (argList(a, 0) as readonly string[]).join(argStr(a, 1)),
    "Join strings with a separator.",
  ),
  def(
    "replace",
    "func(string, string, string) -> string",
    (a) => {
      const from = argStr(a, 1);
      return from === "" ? argStr(a, 0) : argStr(a, 0).replaceAll(from, argStr(a, 2));
    },
    "Replace every occurrence of the second string by the third.",
  ),
  def(
    "utf8_len",
    "func(char) -> int",
    (a) => BigInt(encoder.encode(charOf(a)).length),
    "Number of bytes needed to encode the char in UTF-8.",
  ),
  def(
    "is_combining",
    "func(char) -> bool",
    (a) => /^\p{M}$/u.test(charOf(a)),
    "Is the char a combining mark?",
  ),
  def(
    "is_lower",
    "func(char) -> bool",
    (a) => /^\p{Ll}$/u.test(charOf(a)),
    "Is the char a lower-case letter?",
  ),
  def(
    "is_upper",
    "func(char) -> bool",
    (a) => /^\p{Lu}$/u.test(charOf(a)),
    "Is the char an upper-case letter?",
  ),
  def(
    "is_space",
    "func(char) -> bool",
    (a) => /^\s$/u.test(charOf(a)),
    "Is the char Unicode white space?",
  ),
  def(
    "is_alpha",
    "func(char) -> bool",
    (a) => /^\p{L}$/u.test(charOf(a)),
    "Is the char a letter?",
  ),
  def(
    "is_num",
    "func(char) -> bool",
    (a) => isAsciiDigit(argInt(a, 0)),
    "Is the char an ASCII digit 0-9?",
  ),
  def(
    "is_alphanum",
    "func(char) -> bool",
    (a) => isAsciiDigit(argInt(a, 0)) || /^\p{L}$/u.test(charOf(a)),
    "Is the char a letter or an ASCII digit?",
  ),
];
