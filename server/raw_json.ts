/**
 * A lossless JSON reader for report bodies.
 *
 * Reports are untrusted and may carry integers beyond 2^53, so the server never
 * round-trips them through JS numbers: this reader validates the text and returns a
 * tree of spans into it. Numbers keep their source text; strings carry their
 * decoded value plus their span. Callers slice the source to serve a value back
 * byte for byte.
 *
 * @module
 */

/** Where a value sits in the source text: `source.slice(start, end)` is its text. */
export interface RawSpan {
  /** Offset of the first character of the value. */
  start: number;
  /** Offset just past the last character of the value. */
  end: number;
}

/** One `"key": value` pair of an object, in source order. */
export interface RawMember {
  /** The decoded key. */
  key: string;
  /** The member's value. */
  value: RawValue;
}

/** A JSON object; members keep source order (duplicates are kept too). */
export interface RawObject extends RawSpan {
  /** Discriminant. */
  kind: "object";
  /** The members in source order. */
  members: RawMember[];
}

/** A JSON array. */
export interface RawArray extends RawSpan {
  /** Discriminant. */
  kind: "array";
  /** The items in source order. */
  items: RawValue[];
}

/** A JSON string with its decoded value. */
export interface RawString extends RawSpan {
  /** Discriminant. */
  kind: "string";
  /** The decoded string. */
  value: string;
}

/** A JSON number, kept as text so that no digit is lost. */
export interface RawNumber extends RawSpan {
  /** Discriminant. */
  kind: "number";
  /** The number exactly as written. */
  text: string;
}

/** `true`, `false` or `null`. */
export interface RawLiteral extends RawSpan {
  /** Discriminant. */
  kind: "literal";
  /** The literal as written. */
  text: "true" | "false" | "null";
}

/** Any JSON value read by {@linkcode parseRawJson}. */
export type RawValue = RawObject | RawArray | RawString | RawNumber | RawLiteral;

/** Thrown for text that is not one well-formed JSON value. */
export class RawJsonError extends Error {
  /** Offset into the text where the problem was found. */
  readonly offset: number;
  /** 1-based line of {@linkcode offset}. */
  readonly line: number;
  /** 1-based column of {@linkcode offset}. */
  readonly column: number;

  /** Builds the error; the message names line and column. */
  constructor(reason: string, source: string, offset: number) {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < offset && i < source.length; i++) {
      if (source.charCodeAt(i) === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = offset - lineStart + 1;
    super(`malformed JSON at line ${line}, column ${column}: ${reason}`);
    this.name = "RawJsonError";
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

/** Nesting deeper than this is refused (protects the stack from hostile input). */
export const MAX_JSON_DEPTH = 256;

const NUMBER_RE = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

/**
 * Parses `source` as exactly one JSON value (surrounding whitespace allowed).
 *
 * @example
 * ```ts
 * const v = parseRawJson('{"n": 18446744073709551615}');
 * // v.kind === "object"; (v.members[0].value as RawNumber).text === "18446744073709551615"
 * ```
 * @throws {RawJsonError} with line and column when the text is malformed.
 */
export function parseRawJson(source: string): RawValue {
  const reader = new Reader(source);
  reader.skipSpace();
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.pos < source.length) {
    reader.fail("unexpected text after the JSON value");
  }
  return value;
}

/** Returns the source text of `value`. */
export function rawText(source: string, value: RawSpan): string {
  return source.slice(value.start, value.end);
}

/** Returns the last member of `object` named `key` (JSON's "last wins"), if any. */
export function rawMember(object: RawObject, key: string): RawValue | undefined {
  for (let i = object.members.length - 1; i >= 0; i--) {
    if (object.members[i].key === key) return object.members[i].value;
  }
  return undefined;
}

/** Returns the member `key` of `object` when it is a string, else `undefined`. */
export function rawStringMember(object: RawObject, key: string): string | undefined {
  const v = rawMember(object, key);
  return v?.kind === "string" ? v.value : undefined;
}

class Reader {
  pos = 0;
  constructor(readonly src: string) {}

  fail(reason: string, at: number = this.pos): never {
    throw new RawJsonError(reason, this.src, at);
  }

  skipSpace(): void {
    const s = this.src;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  value(depth: number): RawValue {
    if (depth > MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
    const s = this.src;
    if (this.pos >= s.length) this.fail("unexpected end of input");
    const c = s[this.pos];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    for (const text of ["true", "false", "null"] as const) {
      if (s.startsWith(text, this.pos)) {
        const start = this.pos;
        this.pos += text.length;
        return { kind: "literal", text, start, end: this.pos };
      }
    }
    return this.fail(`unexpected character ${JSON.stringify(c)}`);
  }

  object(depth: number): RawObject {
    const start = this.pos++;
    const members: RawMember[] = [];
    this.skipSpace();
    if (this.src[this.pos] === "}") {
      this.pos++;
      return { kind: "object", members, start, end: this.pos };
    }
    for (;;) {
      this.skipSpace();
      if (this.src[this.pos] !== '"') this.fail("expected a string key");
      const key = this.string().value;
      this.skipSpace();
      if (this.src[this.pos] !== ":") this.fail("expected ':' after an object key");
      this.pos++;
      this.skipSpace();
      members.push({ key, value: this.value(depth + 1) });
      this.skipSpace();
      const sep = this.src[this.pos];
      if (sep === ",") {
        this.pos++;
        continue;
      }
      if (sep === "}") {
        this.pos++;
        return { kind: "object", members, start, end: this.pos };
      }
      this.fail(sep === undefined ? "unexpected end of input" : "expected ',' or '}'");
    }
  }

  array(depth: number): RawArray {
    const start = this.pos++;
    const items: RawValue[] = [];
    this.skipSpace();
    if (this.src[this.pos] === "]") {
      this.pos++;
      return { kind: "array", items, start, end: this.pos };
    }
    for (;;) {
      this.skipSpace();
      items.push(this.value(depth + 1));
      this.skipSpace();
      const sep = this.src[this.pos];
      if (sep === ",") {
        this.pos++;
        continue;
      }
      if (sep === "]") {
        this.pos++;
        return { kind: "array", items, start, end: this.pos };
      }
      this.fail(sep === undefined ? "unexpected end of input" : "expected ',' or ']'");
    }
  }

  string(): RawString {
    const s = this.src;
    const start = this.pos;
    let i = start + 1;
    let simple = true;
    for (;;) {
      if (i >= s.length) this.fail("unterminated string", start);
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail("control character in string", i);
      if (c === 0x5c) {
        simple = false;
        i += 2;
        continue;
      }
      i++;
    }
    const end = i + 1;
    let value: string;
    if (simple) {
      value = s.slice(start + 1, i);
    } else {
      try {
        value = JSON.parse(s.slice(start, end));
      } catch {
        this.fail("invalid escape in string", start);
      }
    }
    this.pos = end;
    return { kind: "string", value, start, end };
  }

  number(): RawNumber {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.src);
    if (!m) this.fail("invalid number");
    const start = this.pos;
    this.pos += m[0].length;
    return { kind: "number", text: m[0], start, end: this.pos };
  }
}
