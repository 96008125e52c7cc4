/**
 * Indented JSON for people (the `pretty_json` filter), over mark values so
 * that int64 values and floats print exactly.
 */
import type { MarkValue } from "../codecs/mark_value.ts";

function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return "null";
  return Number.isInteger(n) && Math.abs(n) < 1e21 ? `${n}.0` : String(n);
}

/** Renders `value` as JSON indented by two spaces per level. */
export function prettyJson(value: MarkValue, indent = ""): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return value.toString();
    case "number":
      return formatFloat(value);
    case "boolean":
      return String(value);
  }
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    let out = "[\n";
    for (let i = 0; i < value.length; i++) {
      out += (i === 0 ? "" : ",\n") + inner + prettyJson(value[i], inner);
    }
    return out + "\n" + indent + "]";
  }
  if (value.size === 0) return "{}";
  let out = "{\n";
  let first = true;
  value.forEach((v, k) => {
    out += (first ? "" : ",\n") + inner + JSON.stringify(k) + ": " + prettyJson(v, inner);
    first = false;
  });
  return out + "\n" + indent + "}";
}
