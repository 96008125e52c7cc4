/**
 * What the three cloud collectors share: the keys they fill, failures
 * recorded the original's way (`_OP_FAILED_KEYS`), JSON documents turned
 * into mark values (ints stay int64).
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { parseMarkJson } from "../codecs/mark_json.ts";

/** The keys one cloud collector produced, and what failed. */
export class CloudKeys {
  readonly keys: MarkDict = new Map();
  readonly #failed = new Map<string, MarkDict[]>();

  /** Sets `key` unless `value` is undefined or an empty string. */
  set(key: string, value: MarkValue | undefined): void {
    if (value === undefined || value === "") return;
    this.keys.set(key, value);
  }

  /** Records why `key` could not be collected. */
  fail(key: string, code: string, error: string, description: string): void {
    const list = this.#failed.get(key) ?? [];
    list.push(
      new Map<string, MarkValue>([
        ["code", code],
        ["error", error],
        ["description", description],
      ]),
    );
    this.#failed.set(key, list);
  }

  /** The keys, with `_OP_FAILED_KEYS` when something failed. */
  result(): MarkDict {
    const out: MarkDict = new Map(this.keys);
    if (this.#failed.size > 0) out.set("_OP_FAILED_KEYS", new Map(this.#failed));
    return out;
  }
}

/** A JSON text as a mark value; undefined when it is not JSON. */
export function jsonValue(text: string): MarkValue | undefined {
  if (text === "") return undefined;
  try {
    return parseMarkJson(new TextEncoder().encode(text), 0).value;
  } catch {
    return undefined;
  }
}

/** `obj[a][b]...` of a parsed JSON object, if every step exists. */
export function pick(
  value: MarkValue | undefined,
  ...path: (string | number)[]
): MarkValue | undefined {
  let v: MarkValue | undefined = value;
  for (const step of path) {
    if (typeof step === "number") v = Array.isArray(v) ? v[step] : undefined;
    else v = v instanceof Map ? v.get(step) : undefined;
    if (v === undefined) return undefined;
  }
  return v;
}

/** A string member, or undefined. */
export function pickString(value: MarkValue | undefined, ...path: string[]): string | undefined {
  const v = pick(value, ...path);
  return typeof v === "string" ? v : undefined;
}
