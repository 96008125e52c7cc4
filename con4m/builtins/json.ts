/**
 * JSON ↔ con4m values, and the builtins chalk defines on top of it: `parse_json`,
 * `parse_jsonl`, `to_json` (chalk `src/con4mfuncs.nim`).
 *
 * Parsing keeps what `JSON.parse` loses: integers become `bigint` (exact up to int64; larger
 * ones become floats), `1.0` stays a float, and object member order is kept (objects become
 * {@linkcode Con4mDict}s with string keys, even for keys such as `"1"`). `null` stays `null`.
 * Printing is compact (`{"a":1,"b":[1.5,"x"]}`) and floats keep a `.0` when whole.
 *
 * @module
 */

import { Con4mDict, type Con4mValue, formatFloat, formatValue, isList } from "../values.ts";
import { typeToString } from "../types.ts";
import { argStr } from "./_args.ts";
import { type BuiltinDef, BuiltinError, defineBuiltin } from "./builtin_def.ts";

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
// deno-lint-ignore no-control-regex -- JSON forbids raw control characters in strings
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

class JsonReader {
  pos = 0;
  constructor(readonly text: string) {}

  fail(what: string): never {
    throw new BuiltinError(`Could not parse JSON: ${what} at offset ${this.pos}`);
  }

  ws(): void {
    WS.lastIndex = this.pos;
    WS.exec(this.text);
    this.pos = WS.lastIndex;
  }

  match(re: RegExp): RegExpExecArray | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.text);
    if (m !== null) this.pos = re.lastIndex;
    return m;
  }

  value(depth: number): Con4mValue {
    if (depth > 512) this.fail("nesting too deep");
    this.ws();
    const ch = this.text[this.pos];
    if (ch === "{") return this.object(depth);
    if (ch === "[") return this.array(depth);
    if (ch === '"') return this.string();
    for (const [word, v] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    const m = this.match(NUMBER);
    if (m === null) this.fail(ch === undefined ? "unexpected end" : `unexpected '${ch}'`);
    if (m[1] === undefined && m[2] === undefined) {
      const n = BigInt(m[0]);
      if (n >= INT64_MIN && n <= INT64_MAX) return n;
    }
    return Number(m[0]);
  }

  string(): string {
    const m = this.match(STRING);
    if (m === null) this.fail("invalid string");
    return JSON.parse(m[0]) as string;
  }

  array(depth: number): Con4mValue[] {
    this.pos++;
    const out: Con4mValue[] = [];
    this.ws();
    if (this.text[this.pos] === "]") {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.value(depth + 1));
      this.ws();
      const ch = this.text[this.pos++];
      if (ch === "]") return out;
      if (ch !== ",") this.fail("expected ',' or ']'");
    }
  }

  object(depth: number): Con4mDict {
    this.pos++;
    const out = new Con4mDict();
    this.ws();
    if (this.text[this.pos] === "}") {
      this.pos++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.text[this.pos] !== '"') this.fail("expected a string key");
      const key = this.string();
      this.ws();
      if (this.text[this.pos++] !== ":") this.fail("expected ':'");
      out.set(key, this.value(depth + 1));
      this.ws();
      const ch = this.text[this.pos++];
      if (ch === "}") return out;
      if (ch !== ",") this.fail("expected ',' or '}'");
    }
  }
}

/**
 * Parse one JSON document into a con4m value. Throws {@linkcode BuiltinError}
 * ("Could not parse JSON: …") on malformed input.
 *
 * @example
 * ```ts
 * jsonToValue('{"n": 1, "f": 1.0}'); // Con4mDict { n: 1n, f: 1 }
 * ```
 */
export function jsonToValue(text: string): Con4mValue {
  const r = new JsonReader(text);
  const v = r.value(0);
  r.ws();
  if (r.pos !== text.length) r.fail("trailing characters");
  return v;
}

/** Parse JSON lines (one document per non-blank line) into a list. */
export function jsonLinesToValue(text: string): Con4mValue[] {
  return text.split("\n").filter((l) => l.trim() !== "").map(jsonToValue);
}

function keyText(k: Con4mValue): string {
  return typeof k === "string" ? k : formatValue(k);
}

/**
 * Serialise a con4m value as compact JSON. Ints (also chars, Durations, Sizes) are numbers,
 * whole floats keep `.0`, non-finite floats are `null`, dict keys that are not strings are
 * printed with `$`, typespecs and callbacks become their text.
 *
 * @example
 * ```ts
 * valueToJson(new Con4mDict([["a", [1n, 2.5]]])); // '{"a":[1,2.5]}'
 * ```
 */
export function valueToJson(v: Con4mValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "bigint":
      return String(v);
    case "number":
      return Number.isFinite(v) ? formatFloat(v) : "null";
    case "boolean":
      return v ? "true" : "false";
    case "string":
      return JSON.stringify(v);
  }
  if (isList(v)) return `[${v.map(valueToJson).join(",")}]`;
  if (v instanceof Con4mDict) {
    const parts = [...v.entries()].map(([k, x]) =>
      `${JSON.stringify(keyText(k))}:${valueToJson(x)}`
    );
    return `{${parts.join(",")}}`;
  }
  if (v.kind === "typespec") return JSON.stringify(typeToString(v.type));
  return JSON.stringify(`func ${v.name}${v.sigText ?? ""}`);
}

const TAGS = ["json"];

/** `parse_json`, `parse_jsonl`, `to_json`. */
export const JSON_BUILTINS: readonly BuiltinDef[] = [
  // An empty document is an empty object: chalk's own configs pass "" as "no settings"
  // (corpus chalk/configs/co/profile.c4m: `parse_json(profile_config)` with default "").
  defineBuiltin("parse_json", "func(string) -> `x", (a) => {
    const text = argStr(a, 0);
    return text.trim() === "" ? new Con4mDict() : jsonToValue(text);
  }, {
    doc: "Parse a JSON document (objects become dict[string, …]; an empty text is {}).",
    tags: TAGS,
  }),
  defineBuiltin(
    "parse_jsonl",
    "func(string) -> `x",
    (a) => jsonLinesToValue(argStr(a, 0)),
    { doc: "Parse JSON lines into a list of values.", tags: TAGS },
  ),
  defineBuiltin("to_json", "func(`x) -> string", (a) => valueToJson(a[0]), {
    doc: "A value as compact JSON.",
    tags: TAGS,
  }),
];
