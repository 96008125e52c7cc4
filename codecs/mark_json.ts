/**
 * The chalk mark JSON format: a tolerant, streaming, byte-level reader that
 * keeps int vs float, int64 precision and member order, and a byte-exact
 * writer in the Nim reference's style (docs/decisions.md, "Byte-exact mark
 * writer").
 *
 * @module
 */

import { compareUtf8, decodeUtf8Strict } from "./_utf8.ts";
import { keyOrder } from "./key_order.ts";
import type { MarkDict, MarkValue } from "./mark_value.ts";

/** Malformed mark JSON: `offset` is the byte where reading failed. */
export class MarkJsonError extends Error {
  /** Byte offset (into the parsed buffer) where the problem was found. */
  readonly offset: number;

  /** Builds the error; the message is one line naming the offset and the reason. */
  constructor(offset: number, reason: string) {
    super(`invalid mark JSON at byte ${offset}: ${reason}`);
    this.name = "MarkJsonError";
    this.offset = offset;
  }
}

/** What {@link parseMarkJson} returns: the value and the offset just after it. */
export interface ParsedMarkJson {
  /** The parsed value (dicts are `Map`s in member order). */
  value: MarkValue;
  /** Offset of the first byte after the value (trailing whitespace is not consumed). */
  end: number;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
/** Guard against stack exhaustion on hostile input; real marks nest a few levels. */
const MAX_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

class Reader {
  pos: number;
  depth = 0;

  constructor(readonly bytes: Uint8Array, start: number) {
    this.pos = start;
  }

  /** The byte at `pos`, or 0 past the end (Nim streams read NUL at EOF). */
  peek(): number {
    return this.pos < this.bytes.length ? this.bytes[this.pos] : 0;
  }

  read(): number {
    const c = this.peek();
    this.pos++;
    return c;
  }

  fail(reason: string, at = this.pos): never {
    throw new MarkJsonError(Math.min(at, this.bytes.length), reason);
  }

  ws(): void {
    while (this.pos < this.bytes.length && isWs(this.bytes[this.pos])) this.pos++;
  }

  value(): MarkValue {
    const c = this.peek();
    switch (c) {
      case 0x7b: // {
        return this.object();
      case 0x5b: // [
        return this.array();
      case QUOTE:
        return this.string();
      case 0x74: // t
        return this.literal("true", true);
      case 0x66: // f
        return this.literal("false", false);
      case 0x6e: // n
        return this.literal("null", null);
      default:
        if (c === 0x2d || isDigit(c)) return this.number();
        return this.fail(this.pos >= this.bytes.length ? "unexpected end of input" : "bad value");
    }
  }

  literal<T extends MarkValue>(text: string, value: T): T {
    for (let i = 0; i < text.length; i++) {
      if (this.read() !== text.charCodeAt(i)) {
        this.fail(`bad literal, expected ${text}`, this.pos - 1);
      }
    }
    return value;
  }

  number(): bigint | number {
    const start = this.pos;
    if (this.peek() === 0x2d) {
      this.pos++;
      if (this.peek() === 0x2d) this.fail("double negative in number");
    }
    const first = this.read();
    if (first >= 0x31 && first <= 0x39) {
      while (isDigit(this.peek())) this.pos++;
    } else if (first !== 0x30) {
      this.fail("invalid number", this.pos - 1);
    }
    let isFloat = false;
    let exponent = false;
    const c = this.peek();
    if (c === 0x2e) { // .
      isFloat = true;
      this.pos++;
      while (isDigit(this.peek())) this.pos++;
      const e = this.peek();
      if (e === 0x45 || e === 0x65) {
        this.pos++;
        exponent = true;
      }
    } else if (c === 0x45 || c === 0x65) {
      isFloat = true;
      this.pos++;
      exponent = true;
    }
    if (exponent) {
      const s = this.read();
      if (s === 0x2b || s === 0x2d) {
        if (!isDigit(this.peek())) this.fail("exponent expected");
        this.pos++;
      } else if (!isDigit(s)) {
        this.fail("exponent expected", this.pos - 1);
      }
      while (isDigit(this.peek())) this.pos++;
    }
    const len = this.pos - start;
    if (!isFloat && len <= 15) {
      // Fast path: at most 15 characters always fit a double exactly.
      let n = 0;
      const neg = this.bytes[start] === 0x2d;
      for (let i = neg ? start + 1 : start; i < this.pos; i++) n = n * 10 + (this.bytes[i] - 0x30);
      return BigInt(neg ? -n : n);
    }
    const text = String.fromCharCode.apply(
      null,
      this.bytes.subarray(start, this.pos) as unknown as number[],
    );
    if (isFloat) return Number(text);
    const n = BigInt(text);
    if (n < INT64_MIN || n > INT64_MAX) this.fail("integer outside the int64 range", start);
    return n;
  }

  /** Decodes the raw (escape-free) string bytes [from, to); `ascii` when all are < 0x80. */
  run(from: number, to: number, ascii: boolean, opening: number): string {
    if (from === to) return "";
    if (ascii && to - from <= 32) {
      let text = "";
      for (let i = from; i < to; i++) text += String.fromCharCode(this.bytes[i]);
      return text;
    }
    const text = decodeUtf8Strict(this.bytes.subarray(from, to));
    return text ?? this.fail("invalid UTF-8 in string", opening);
  }

  /** Reads a string; like chalk, the opening byte is skipped without being checked. */
  string(): string {
    const opening = this.pos;
    const bytes = this.bytes;
    const len = bytes.length;
    let pos = opening + 1;
    let out = "";
    let run = pos;
    let ascii = true;
    for (;;) {
      if (pos >= len) {
        this.pos = pos;
        this.fail("end of file in string");
      }
      const c = bytes[pos];
      if (c === QUOTE) {
        out += this.run(run, pos, ascii, opening);
        this.pos = pos + 1;
        return out;
      }
      if (c === 0) {
        this.pos = pos;
        this.fail("end of file in string (NUL byte)");
      }
      if (c !== BACKSLASH) {
        if (c >= 0x80) ascii = false;
        pos++;
        continue;
      }
      out += this.run(run, pos, ascii, opening);
      ascii = true;
      this.pos = pos + 1;
      out += this.escape();
      pos = run = this.pos;
    }
  }

  /** Decodes one escape after a backslash (at `pos`). */
  escape(): string {
    const e = this.read();
    switch (e) {
      case QUOTE:
        return '"';
      case BACKSLASH:
        return "\\";
      case 0x2f:
        return "/";
      case 0x62:
        return "\b";
      case 0x66:
        return "\f";
      case 0x6e:
        return "\n";
      case 0x72:
        return "\r";
      case 0x74:
        return "\t";
      case 0x75: { // u
        let cp = 0;
        for (let i = 0; i < 4; i++) {
          const h = this.read();
          let v: number;
          if (h >= 0x30 && h <= 0x39) v = h - 0x30;
          else if (h >= 0x61 && h <= 0x66) v = h - 0x61 + 10;
          else if (h >= 0x41 && h <= 0x46) v = h - 0x41 + 10;
          else return this.fail("invalid \\u escape", this.pos - 1);
          cp = (cp << 4) | v;
        }
        // Each escape is one UTF-16 unit here; an escaped surrogate pair
        // therefore combines into one code point (Nim keeps two CESU-8
        // sequences; see the docs of parseMarkJson).
        return String.fromCharCode(cp);
      }
      default:
        return this.fail("invalid escape after backslash", this.pos - 1);
    }
  }

  enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail("nesting too deep");
  }

  array(): MarkValue[] {
    this.enter();
    this.pos++;
    this.ws();
    const items: MarkValue[] = [];
    if (this.peek() === 0x5d) {
      this.pos++;
      this.depth--;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.peek();
      if (c === 0x5d) {
        this.pos++;
        this.depth--;
        return items;
      }
      if (c !== 0x2c) this.fail("expected comma or end of array");
      this.pos++;
      this.ws();
    }
  }

  object(): MarkDict {
    this.enter();
    this.pos++;
    this.ws();
    const dict: MarkDict = new Map();
    const c = this.peek();
    if (c === 0x7d) {
      this.pos++;
      this.depth--;
      return dict;
    }
    if (c !== QUOTE) this.fail("bad object, expected } or a string key");
    for (;;) {
      // [quirk] like chalk, the byte where a key should start is skipped unchecked.
      const key = this.string();
      this.ws();
      if (this.read() !== 0x3a) this.fail("colon expected", this.pos - 1);
      this.ws();
      const v = this.value();
      dict.set(key, v); // a duplicate key keeps its first position, takes the new value
      this.ws();
      const d = this.read();
      if (d === 0x7d) {
        this.depth--;
        return dict;
      }
      if (d !== 0x2c) this.fail("expected ',' or '}' in object", this.pos - 1);
      this.ws();
    }
  }
}

/**
 * Parses one JSON value starting at byte `start` (leading whitespace is
 * skipped, trailing whitespace is not) with chalk's tolerant rules: ints
 * stay `bigint` (int64 range, else an error), numbers with `.`/`e` are
 * floats, member order is kept and a duplicate key replaces the value at
 * its first position, strings must be valid UTF-8 without raw NUL bytes.
 *
 * Known differences from the Nim reader, both on malformed input only:
 * an escaped surrogate pair (`\ud83d\ude00`) becomes one code point (Nim
 * keeps two 3-byte sequences), and invalid UTF-8 is judged by the WHATWG
 * strict decoder.
 *
 * @throws {MarkJsonError} on malformed input.
 * @example
 * ```ts
 * const { value, end } = parseMarkJson(new TextEncoder().encode('x {"A" : 1.0}'), 1);
 * // value = Map { "A" => 1 (float) }, end = 13
 * ```
 */
export function parseMarkJson(bytes: Uint8Array, start: number): ParsedMarkJson {
  const r = new Reader(bytes, start);
  r.ws();
  const value = r.value();
  return { value, end: r.pos };
}

/** Options of {@link writeMarkJson}. */
export interface WriteMarkJsonOptions {
  /** Top-level key order; defaults to the keyspec `normalized_order` ({@link keyOrder}). */
  order?: (key: string) => bigint;
}

/**
 * Serializes a mark exactly as chalk writes it: `{ "K" : v, ... }` on one
 * line, top-level keys sorted by (order, byte-wise name), nested dicts in
 * insertion order, Nim string escaping and float formatting.
 *
 * @example
 * ```ts
 * writeMarkJson(new Map([["B", 1n], ["CHALK_ID", "X"]]));
 * // '{ "CHALK_ID" : "X", "B" : 1 }'
 * ```
 */
export function writeMarkJson(value: MarkDict, options: WriteMarkJsonOptions = {}): string {
  const keys = writtenKeyOrder(value, options);
  let out = "{ ";
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    out += (i === 0 ? "" : ", ") + escapeJsonString(key) + " : " +
      writeMarkValue(value.get(key) as MarkValue);
  }
  return out + " }";
}

/** The top-level keys of `value` in the order {@link writeMarkJson} writes them. */
export function writtenKeyOrder(value: MarkDict, options: WriteMarkJsonOptions = {}): string[] {
  const order = options.order ?? keyOrder;
  const entries = [...value.keys()].map((key) => {
    // Object-store references ("@KEY") sort like the key they refer to.
    const bare = key.startsWith("@") ? key.slice(1) : key;
    return { key, bare, order: order(bare) };
  });
  entries.sort((a, b) => {
    if (a.order !== b.order) return a.order < b.order ? -1 : 1;
    return compareUtf8(a.bare, b.bare) || compareUtf8(a.key, b.key);
  });
  return entries.map((e) => e.key);
}

/** Lists longer than this are written by one join (see {@link writeMarkValue}). */
const LONG_LIST = 64;

/**
 * Serializes one value like nimutils `boxToJson`: lists `[a, b]`, dicts
 * `{ "k" : v }` in insertion order (`{  }` when empty), Nim float text.
 */
export function writeMarkValue(value: MarkValue): string {
  switch (typeof value) {
    case "string":
      return escapeJsonString(value);
    case "bigint":
      return value.toString();
    case "number":
      return formatNimFloat(value);
    case "boolean":
      return value ? "true" : "false";
  }
  if (value === null) return "null";
  // Appended to one string (V8 joins the pieces once, when the text is used): a report holds a
  // dictionary per artifact, and arrays of pieces joined at every level cost twice as much.
  // But a long list (a report's `_CHALKS`) is joined at once: its appended pieces, all alive
  // until the text is used, made every young-generation collection copy them (2,000
  // artifacts: ~30 ms).
  if (Array.isArray(value)) {
    if (value.length > LONG_LIST) {
      const parts: string[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) parts[i] = writeMarkValue(value[i]);
      return "[" + parts.join(", ") + "]";
    }
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ", ") + writeMarkValue(value[i]);
    return out + "]";
  }
  let out = "{ ";
  let first = true;
  value.forEach((v, k) => {
    out += (first ? "" : ", ") + escapeJsonString(k) + " : " + writeMarkValue(v);
    first = false;
  });
  return out + " }";
}

/**
 * Quotes a string like Nim `escapeJson`: `\n \b \f \t \r \" \\`, `\u000b`,
 * `\u0000`-`\u0007` and `\u000E`-`\u001F` (upper-case hex); everything else,
 * including `/`, DEL and non-ASCII, is copied as is.
 */
export function escapeJsonString(s: string): string {
  // Most strings (keys, hashes, paths) need no escape: JSON.stringify then adds only the quotes,
  // and its one native pass (a flat copy) costs half of a regex test and concatenation (2,000
  // artifacts' report: 14.9 → 7.1 ms). Any escape (where Nim's differ) goes the long way.
  const quoted = JSON.stringify(s);
  if (quoted.length === s.length + 2) return quoted;
  let out = '"';
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    let esc: string;
    switch (c) {
      case 0x0a:
        esc = "\\n";
        break;
      case 0x08:
        esc = "\\b";
        break;
      case 0x0c:
        esc = "\\f";
        break;
      case 0x09:
        esc = "\\t";
        break;
      case 0x0b:
        esc = "\\u000b";
        break;
      case 0x0d:
        esc = "\\r";
        break;
      case 0x22:
        esc = '\\"';
        break;
      case 0x5c:
        esc = "\\\\";
        break;
      default:
        esc = "\\u00" + c.toString(16).toUpperCase().padStart(2, "0");
    }
    out += s.slice(run, i) + esc;
    run = i + 1;
  }
  return out + s.slice(run) + '"';
}

/**
 * Formats a float like Nim's `$` (shortest round-trip digits, dragonbox
 * layout): fixed notation while the decimal point lies in [-6, 17] with a
 * forced `.0`, else `d[.ddd]e±N`; e.g. `1.0`, `0.1`, `1e+20`, `1e-8` (no zero-padded exponent).
 */
export function formatNimFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const n = digits.length;
  const point = Number(exp) + 1;
  if (point >= -6 && point <= 17) {
    if (point <= 0) return sign + "0." + "0".repeat(-point) + digits;
    if (point < n) return sign + digits.slice(0, point) + "." + digits.slice(point);
    return sign + digits + "0".repeat(point - n) + ".0";
  }
  const sci = point - 1;
  const head = n > 1 ? digits[0] + "." + digits.slice(1) : digits;
  return sign + head + "e" + (sci < 0 ? "-" : "+") + Math.abs(sci);
}
