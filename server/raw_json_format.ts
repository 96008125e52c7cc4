/**
 * Writing {@linkcode RawValue} trees back out as text without losing digits:
 * a canonical form (for identity hashes), an indented form (for people) and
 * object assembly from members (for merged chalk rows).
 *
 * @module
 */

import type { RawLiteral, RawMember, RawNumber, RawString, RawValue } from "./raw_json.ts";

/**
 * The canonical text of a value: object keys sorted by UTF-16 code units, no
 * whitespace, strings re-escaped the way `JSON.stringify` does, numbers as written.
 * Two reports that differ only in formatting, key order or string escaping have the
 * same canonical text.
 *
 * For duplicate keys the last member wins, as in `JSON.parse`.
 */
export function canonicalJson(source: string, value: RawValue): string {
  if (value.kind === "array") {
    return `[${value.items.map((v) => canonicalJson(source, v)).join(",")}]`;
  }
  if (value.kind !== "object") return scalarJson(value);
  const last = new Map<string, RawValue>();
  for (const m of value.members) last.set(m.key, m.value);
  const keys = [...last.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(source, last.get(k)!)}`);
  return `{${parts.join(",")}}`;
}

/** JSON text of a scalar: a string re-escaped, a number or literal exactly as written. */
export function scalarJson(value: RawString | RawNumber | RawLiteral): string {
  return value.kind === "string" ? JSON.stringify(value.value) : value.text;
}

/**
 * An indented rendering of a value for display, keeping member order and the
 * exact digits of every number.
 */
export function prettyJson(source: string, value: RawValue, indent = ""): string {
  const inner = indent + "  ";
  switch (value.kind) {
    case "string":
    case "number":
    case "literal":
      return scalarJson(value);
    case "array":
      if (value.items.length === 0) return "[]";
      return `[\n${
        value.items.map((v) => inner + prettyJson(source, v, inner)).join(",\n")
      }\n${indent}]`;
    case "object":
      if (value.members.length === 0) return "{}";
      return `{\n${
        value.members
          .map((m) => `${inner}${JSON.stringify(m.key)}: ${prettyJson(source, m.value, inner)}`)
          .join(",\n")
      }\n${indent}}`;
  }
}

/**
 * Builds the text of one JSON object from members whose values are copied verbatim
 * from `source`.
 */
export function objectFromMembers(source: string, members: readonly RawMember[]): string {
  const parts = members.map((m) =>
    `${JSON.stringify(m.key)}: ${source.slice(m.value.start, m.value.end)}`
  );
  return `{${parts.join(", ")}}`;
}
