/**
 * The runtime value model of con4m:
 *
 * | con4m | TypeScript |
 * | --- | --- |
 * | `int`, `char`, `Duration` (µs), `Size` (bytes) | `bigint` |
 * | `float` | `number` |
 * | `bool` | `boolean` |
 * | `string`, `IPAddr`, `CIDR`, `Date`, `Time`, `DateTime` | `string` |
 * | `list[T]`, `tuple[...]` | `readonly Con4mValue[]` |
 * | `dict[K, V]` | {@linkcode Con4mDict} (insertion ordered) |
 * | `typespec` | {@linkcode TypespecValue} |
 * | callback (`func f`) | {@linkcode CallbackValue} |
 * | JSON `null` (only from `parse_json`) | `null` |
 *
 * Values are immutable: builtins that "modify" a list or dict return a new one. Because one
 * representation serves several types, printing (`$`, `echo`) takes the static type
 * ({@linkcode formatValue}). JSON conversion lives in `builtins/json.ts` (`valueToJson`,
 * `jsonToValue`).
 *
 * @module
 */

import { formatDuration, formatSize } from "./other_literals.ts";
import { prune, resolveType, type Type, typeToString } from "./types.ts";

/** A typespec used as a value (`list[string]`, `typeof(x)`, `to_type("int")`). */
export interface TypespecValue {
  /** Discriminant. */
  readonly kind: "typespec";
  /** The denoted type. */
  readonly type: Type;
}

/** A callback value (`func f` or `func f(int) -> string`). */
export interface CallbackValue {
  /** Discriminant. */
  readonly kind: "callback";
  /** Target function name. */
  readonly name: string;
  /** Signature text as written (`(int) -> string`), absent for a bare `func f`. */
  readonly sigText?: string;
}

/** Any con4m runtime value. */
export type Con4mValue =
  | null
  | bigint
  | number
  | boolean
  | string
  | readonly Con4mValue[]
  | Con4mDict
  | TypespecValue
  | CallbackValue;

/**
 * The canonical key string of a dict key: two keys are the same key exactly when their
 * canonical keys are equal. Keys are normally strings, ints or chars, but any value works.
 */
export function canonicalKey(key: Con4mValue): string {
  if (key === null) return "n";
  switch (typeof key) {
    case "string":
      return `s${key}`;
    case "bigint":
      return `i${key}`;
    case "number":
      return `f${Object.is(key, -0) ? 0 : key}`;
    case "boolean":
      return key ? "b1" : "b0";
  }
  if (isList(key)) return `l[${key.map(canonicalKey).join(",")}]`;
  if (key instanceof Con4mDict) {
    return `d{${[...key.entries()].map(([k, v]) => `${canonicalKey(k)}:${canonicalKey(v)}`)}}`;
  }
  if (key.kind === "callback") return `c${key.name}${key.sigText ?? ""}`;
  return `t${typeIdentity(key.type)}`;
}

/**
 * An insertion-ordered dict. Keys are compared by {@linkcode canonicalKey}; setting an existing
 * key keeps its position. Methods that change the dict are for building values; con4m code
 * never mutates a dict it did not just create (see {@linkcode Con4mDict.clone}).
 *
 * @example
 * ```ts
 * const d = new Con4mDict([["a", 1n]]);
 * d.set("b", 2n);
 * [...d.keys()]; // ["a", "b"]
 * ```
 */
export class Con4mDict {
  #items = new Map<string, [Con4mValue, Con4mValue]>();

  /** Create a dict from key/value pairs (later duplicates replace earlier values). */
  constructor(entries: Iterable<readonly [Con4mValue, Con4mValue]> = []) {
    for (const [k, v] of entries) this.set(k, v);
  }

  /** Number of entries. */
  get size(): number {
    return this.#items.size;
  }

  /** The value stored under `key`, or `undefined`. */
  get(key: Con4mValue): Con4mValue | undefined {
    return this.#items.get(canonicalKey(key))?.[1];
  }

  /** Is `key` present? */
  has(key: Con4mValue): boolean {
    return this.#items.has(canonicalKey(key));
  }

  /** Store `value` under `key` (in place); returns this dict. */
  set(key: Con4mValue, value: Con4mValue): this {
    const ck = canonicalKey(key);
    const old = this.#items.get(ck);
    if (old !== undefined) old[1] = value;
    else this.#items.set(ck, [key, value]);
    return this;
  }

  /** Remove `key` (in place); true if it was present. */
  delete(key: Con4mValue): boolean {
    return this.#items.delete(canonicalKey(key));
  }

  /** Keys in insertion order. */
  *keys(): IterableIterator<Con4mValue> {
    for (const [k] of this.#items.values()) yield k;
  }

  /** Values in insertion order. */
  *values(): IterableIterator<Con4mValue> {
    for (const [, v] of this.#items.values()) yield v;
  }

  /** `[key, value]` pairs in insertion order. */
  *entries(): IterableIterator<[Con4mValue, Con4mValue]> {
    for (const [k, v] of this.#items.values()) yield [k, v];
  }

  /** Iterate `[key, value]` pairs in insertion order. */
  [Symbol.iterator](): IterableIterator<[Con4mValue, Con4mValue]> {
    return this.entries();
  }

  /** A shallow copy (values are immutable, so this is enough for copy semantics). */
  clone(): Con4mDict {
    return new Con4mDict(this.entries());
  }
}

/** Is `v` a list or tuple? */
export function isList(v: Con4mValue): v is readonly Con4mValue[] {
  return Array.isArray(v);
}

/** Is `v` a dict? */
export function isDict(v: Con4mValue): v is Con4mDict {
  return v instanceof Con4mDict;
}

/** Is `v` a typespec value? */
export function isTypespec(v: Con4mValue): v is TypespecValue {
  return typeof v === "object" && v !== null && !isList(v) && !(v instanceof Con4mDict) &&
    v.kind === "typespec";
}

/** Is `v` a callback value? */
export function isCallback(v: Con4mValue): v is CallbackValue {
  return typeof v === "object" && v !== null && !isList(v) && !(v instanceof Con4mDict) &&
    v.kind === "callback";
}

/** Make a typespec value. */
export function typespecValue(type: Type): TypespecValue {
  return { kind: "typespec", type };
}

/** Make a callback value. */
export function callbackValue(name: string, sigText?: string): CallbackValue {
  return sigText === undefined ? { kind: "callback", name } : { kind: "callback", name, sigText };
}

/** The printed form of a type with all bound variables followed: typespec identity. */
function typeIdentity(t: Type): string {
  return typeToString(resolveType(t));
}

/**
 * Deep equality (docs/con4m.md, "Compatibility notes"): lists/tuples item by item, dicts as key
 * sets with equal values (order ignored), typespecs by type, callbacks by name and signature.
 * `0.0 == -0.0`.
 *
 * @example
 * ```ts
 * valuesEqual([1n, "a"], [1n, "a"]); // true
 * ```
 */
export function valuesEqual(a: Con4mValue, b: Con4mValue): boolean {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return a === b;
  }
  if (isList(a)) {
    return isList(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
  }
  if (a instanceof Con4mDict) {
    if (!(b instanceof Con4mDict) || a.size !== b.size) return false;
    for (const [k, v] of a.entries()) {
      const other = b.get(k);
      if (other === undefined || !valuesEqual(v, other)) return false;
    }
    return true;
  }
  if (isList(b) || b instanceof Con4mDict) return false;
  if (a.kind === "callback") {
    return b.kind === "callback" && a.name === b.name && (a.sigText ?? "") === (b.sigText ?? "");
  }
  return b.kind === "typespec" && typeIdentity(a.type) === typeIdentity(b.type);
}

const OTHER_STRING_TYPES: ReadonlySet<string> = new Set([
  "IPAddr",
  "CIDR",
  "Date",
  "Time",
  "DateTime",
]);

/**
 * Render a float the way con4m prints it: shortest round-trip digits, whole numbers with `.0`,
 * and `nan`, `inf`, `-inf` for the non-finite values.
 */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return "nan";
  if (!Number.isFinite(f)) return f > 0 ? "inf" : "-inf";
  const s = String(f);
  return /^-?[0-9]+$/.test(s) ? `${s}.0` : s;
}

function escapeText(s: string, quote: string): string {
  let out = "";
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === "\\" || ch === quote) out += `\\${ch}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return out;
}

/** A string as a con4m string literal: `"a \"b\"\n"`. */
export function quoteString(s: string): string {
  return `"${escapeText(s, '"')}"`;
}

/** The text of a char (code point); invalid code points become U+FFFD. */
export function charText(cp: bigint): string {
  return cp >= 0n && cp <= 0x10ffffn ? String.fromCodePoint(Number(cp)) : "\ufffd";
}

/**
 * Render a value as `$(x)` and `echo` do, guided by its static type `type`
 * (without one, the runtime representation decides: a `bigint` prints as an int).
 * Top-level strings, chars and other-literal types print bare; inside containers strings are
 * `"quoted"`, chars `'c'` and other-literal types `<<x>>`. Lists print `[a, b]`, tuples
 * `(a, b)`, dicts `{k : v, …}`, Durations and Sizes in words (`1 hr 30 mins`, `250MB`),
 * typespecs as the type, callbacks as `func name(sig)`.
 *
 * @example
 * ```ts
 * formatValue(["a", "b"], parseType("list[string]")); // '["a", "b"]'
 * formatValue(3000000n, tDuration); // "3 secs"
 * ```
 */
export function formatValue(v: Con4mValue, type?: Type): string {
  return formatIn(v, type, true);
}

/**
 * Render a value as it appears inside a container (strings quoted, chars `'c'`,
 * other-literal types `<<x>>`); used in error messages that show a key or item.
 */
export function formatItem(v: Con4mValue, type?: Type): string {
  return formatIn(v, type, false);
}

function formatIn(v: Con4mValue, type: Type | undefined, top: boolean): string {
  const t = type === undefined ? undefined : prune(type);
  const primName = t?.kind === "prim" ? t.name : undefined;
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
      return formatFloat(v);
    case "bigint":
      if (primName === "char") return top ? charText(v) : `'${escapeText(charText(v), "'")}'`;
      if (primName === "Duration") return top ? formatDuration(v) : `<<${formatDuration(v)}>>`;
      if (primName === "Size") return top ? formatSize(v) : `<<${formatSize(v)}>>`;
      return String(v);
    case "string":
      if (primName !== undefined && OTHER_STRING_TYPES.has(primName)) {
        return top ? v : `<<${v}>>`;
      }
      return top ? v : quoteString(v);
  }
  if (isList(v)) {
    if (t?.kind === "tuple") {
      return `(${v.map((x, i) => formatIn(x, t.items[i], false)).join(", ")})`;
    }
    const item = t?.kind === "list" ? t.item : undefined;
    return `[${v.map((x) => formatIn(x, item, false)).join(", ")}]`;
  }
  if (v instanceof Con4mDict) {
    const kt = t?.kind === "dict" ? t.key : undefined;
    const vt = t?.kind === "dict" ? t.value : undefined;
    const parts = [...v.entries()].map(([k, x]) =>
      `${formatIn(k, kt, false)} : ${formatIn(x, vt, false)}`
    );
    return `{${parts.join(", ")}}`;
  }
  if (v.kind === "typespec") return typeToString(v.type);
  return `func ${v.name}${v.sigText ?? ""}`;
}
