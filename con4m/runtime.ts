/**
 * The typed host API over an evaluated configuration (issue 3 part 6): attribute reads by dotted
 * path with a checked type, section and field listings in source order, host writes (sections,
 * attributes, overrides, locks) and calls into con4m callbacks.
 *
 * @module
 */

import { Attribute, AttrScope, AttrTreeError, splitPath } from "./attributes.ts";
import { withBudget } from "./budget.ts";
import { invoke, typeOfValue } from "./eval_expr.ts";
import { installOverride } from "./eval_hooks.ts";
import type { EvalState } from "./eval_state.ts";
import { Frame } from "./scopes.ts";
import type { ConfigStack } from "./stack.ts";
import { funcOf, newTypeVar, parseType, prune, type Type, typeToString } from "./types.ts";
import {
  type CallbackValue,
  Con4mDict,
  type Con4mValue,
  isCallback,
  isDict,
  isList,
  isTypespec,
} from "./values.ts";

/** A wrong-kind or missing attribute read through the host API. */
export class AttrAccessError extends Error {
  /** The dotted path that was read. */
  readonly path: string;
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error about `path`. */
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = "AttrAccessError";
    this.path = path;
    this.reason = reason;
  }
}

/** A con4m value converted to plain JavaScript (see {@linkcode toPlain}). */
export type PlainValue =
  | null
  | boolean
  | bigint
  | number
  | string
  | PlainValue[]
  | { [key: string]: PlainValue }
  | Map<PlainValue, PlainValue>
  | CallbackValue;

/**
 * Convert a value to plain JavaScript: lists and tuples to arrays, dicts with string keys to
 * objects (other dicts to Maps), typespecs to their type text; ints stay `bigint`.
 */
export function toPlain(v: Con4mValue): PlainValue {
  if (v === null || typeof v !== "object") return v;
  if (isList(v)) return v.map(toPlain);
  if (v instanceof Con4mDict) {
    const entries = [...v.entries()];
    if (entries.every(([k]) => typeof k === "string")) {
      const o: { [key: string]: PlainValue } = {};
      for (const [k, x] of entries) o[k as string] = toPlain(x);
      return o;
    }
    return new Map(entries.map(([k, x]) => [toPlain(k), toPlain(x)]));
  }
  if (isTypespec(v)) return typeToString(v.type);
  return v;
}

/** A JSON-ready form of a value (ints beyond 2^53 become strings). */
export function toJsonValue(v: Con4mValue): unknown {
  if (v === null) return null;
  switch (typeof v) {
    case "bigint":
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(v)
        : v.toString();
    case "number":
      return Number.isFinite(v) ? v : String(v);
    case "boolean":
    case "string":
      return v;
  }
  if (isList(v)) return v.map(toJsonValue);
  if (v instanceof Con4mDict) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v.entries()) {
      o[typeof k === "string" ? k : String(toJsonValue(k))] = toJsonValue(x);
    }
    return o;
  }
  if (isTypespec(v)) return typeToString(v.type);
  return `func ${v.name}${v.sigText ?? ""}`;
}

/** Options of {@linkcode Con4mRuntime.setAttr}. */
export interface HostSetOptions {
  /** Type of a new attribute (default: derived from the value). */
  type?: Type | string;
  /** Lock after writing. */
  lock?: boolean;
  /** Write even when locked or overridden. */
  force?: boolean;
}

function asType(t: Type | string | undefined, v: Con4mValue): Type {
  if (t === undefined) return typeOfValue(v);
  return typeof t === "string" ? parseType(t) : t;
}

/**
 * Typed access to the config state of a {@linkcode ConfigStack}.
 *
 * @example
 * ```ts
 * const rt = new Con4mRuntime(stack);
 * const cmd = rt.getString("default_command");
 * for (const name of rt.sectionNames("sink_config")) {
 *   const sink = rt.getString(`sink_config.${name}.sink`);
 * }
 * ```
 */
export class Con4mRuntime {
  readonly #state: EvalState;

  /** Access the config state of `stack` (or any evaluation state). */
  constructor(stack: ConfigStack | EvalState) {
    this.#state = "config" in stack ? stack.config : stack;
  }

  /** The attribute tree. */
  get root(): AttrScope {
    return this.#state.root;
  }

  /** What is at `path`: an attribute, a section, or undefined. */
  lookup(path: string): Attribute | AttrScope | undefined {
    return this.#state.root.lookup(splitPath(path));
  }

  /** Is there a section at `path`? */
  hasSection(path: string): boolean {
    return this.lookup(path) instanceof AttrScope;
  }

  /** Is there an attribute with a value at `path`? */
  isSet(path: string): boolean {
    const a = this.lookup(path);
    return a instanceof Attribute && a.effective !== undefined;
  }

  /** The value at `path`, or undefined when missing or unset. Throws on a section. */
  find(path: string): Con4mValue | undefined {
    const a = this.lookup(path);
    if (a instanceof AttrScope) throw new AttrAccessError(path, "is a section, not an attribute");
    return a?.effective;
  }

  /** The value at `path`; throws {@linkcode AttrAccessError} when missing or unset. */
  get(path: string): Con4mValue {
    const v = this.find(path);
    if (v === undefined) throw new AttrAccessError(path, "attribute is not set");
    return v;
  }

  /** The attribute's type (undefined when absent or a section). */
  typeOf(path: string): Type | undefined {
    const a = this.lookup(path);
    return a instanceof Attribute ? a.type : undefined;
  }

  #typed<T>(path: string, ok: (v: Con4mValue) => boolean, what: string): T {
    const v = this.#typedOpt<T>(path, ok, what);
    if (v === undefined) throw new AttrAccessError(path, "attribute is not set");
    return v;
  }

  // One walk of the tree per read: chalk reads hundreds of attributes per run (templates).
  #typedOpt<T>(path: string, ok: (v: Con4mValue) => boolean, what: string): T | undefined {
    const a = this.lookup(path);
    if (a instanceof AttrScope) throw new AttrAccessError(path, "is a section, not an attribute");
    const v = a?.effective;
    if (v === undefined) return undefined;
    if (!ok(v)) {
      throw new AttrAccessError(
        path,
        `expected ${what}, got ${typeToString(a!.type ?? typeOfValue(v))}`,
      );
    }
    return v as T;
  }

  /** A string attribute (also IPAddr, CIDR, Date, Time, DateTime). */
  getString(path: string): string {
    return this.#typed(path, (v) => typeof v === "string", "a string");
  }

  /** A string attribute, or undefined when unset. */
  findString(path: string): string | undefined {
    return this.#typedOpt(path, (v) => typeof v === "string", "a string");
  }

  /** A bool attribute. */
  getBool(path: string): boolean {
    return this.#typed(path, (v) => typeof v === "boolean", "a bool");
  }

  /** A bool attribute, or undefined when unset. */
  findBool(path: string): boolean | undefined {
    return this.#typedOpt(path, (v) => typeof v === "boolean", "a bool");
  }

  /** An int attribute (also char, Duration in µs, Size in bytes). */
  getInt(path: string): bigint {
    return this.#typed(path, (v) => typeof v === "bigint", "an int");
  }

  /** An int attribute, or undefined when unset. */
  findInt(path: string): bigint | undefined {
    return this.#typedOpt(path, (v) => typeof v === "bigint", "an int");
  }

  /** A float attribute. */
  getFloat(path: string): number {
    return this.#typed(path, (v) => typeof v === "number", "a float");
  }

  /** A list (or tuple) attribute. */
  getList(path: string): readonly Con4mValue[] {
    return this.#typed(path, isList, "a list");
  }

  /** A `list[string]` attribute. */
  getStringList(path: string): string[] {
    const l = this.#typed<readonly Con4mValue[]>(
      path,
      (v) => isList(v) && v.every((x) => typeof x === "string"),
      "a list of strings",
    );
    return [...l] as string[];
  }

  /** A dict attribute. */
  getDict(path: string): Con4mDict {
    return this.#typed(path, isDict, "a dict");
  }

  /** A `dict[string, string]` attribute as a plain record. */
  getStringDict(path: string): Record<string, string> {
    const d = this.getDict(path);
    const out: Record<string, string> = {};
    for (const [k, v] of d.entries()) {
      if (typeof k !== "string" || typeof v !== "string") {
        throw new AttrAccessError(path, "expected dict[string, string]");
      }
      out[k] = v;
    }
    return out;
  }

  /** A callback attribute (`func f`), or undefined when unset. */
  findCallback(path: string): CallbackValue | undefined {
    return this.#typedOpt(path, isCallback, "a callback");
  }

  /** Names of sub-sections of `path` in order (`[]` when absent). */
  sectionNames(path: string): string[] {
    const s = this.lookup(path);
    return s instanceof AttrScope ? s.sectionNames() : [];
  }

  /** Names of attributes directly under `path` in order (`[]` when absent). */
  attrNames(path: string): string[] {
    const s = this.lookup(path);
    return s instanceof AttrScope ? s.fieldNames() : [];
  }

  /**
   * The section at `path` as a plain object: attributes by name (converted with
   * {@linkcode toPlain}; unset ones omitted) and sub-sections as nested objects. The caller
   * states the expected shape with `T`; this is not checked beyond the spec's validation.
   */
  getSection<T = Record<string, PlainValue>>(path: string): T {
    const s = this.lookup(path);
    if (!(s instanceof AttrScope)) throw new AttrAccessError(path, "is not a section");
    return sectionToPlain(s) as T;
  }

  /** The section at `path` (or the whole tree) as JSON-ready data. */
  toJson(path = ""): unknown {
    const s = this.lookup(path);
    if (s instanceof Attribute) return s.effective === undefined ? null : toJsonValue(s.effective);
    if (s === undefined) throw new AttrAccessError(path, "does not exist");
    return sectionToJson(s);
  }

  /** Create the section at `path` (and missing parents). */
  createSection(path: string): void {
    try {
      this.#state.root.ensureScope(splitPath(path));
    } catch (err) {
      if (err instanceof AttrTreeError) throw new AttrAccessError(path, err.reason);
      throw err;
    }
  }

  /**
   * Set an attribute through the attribute set rule (locks and overrides apply unless
   * `force`). Returns false when a lock refused the write.
   */
  setAttr(path: string, value: Con4mValue, opts: HostSetOptions = {}): boolean {
    try {
      const out = this.#state.root.setAttr(splitPath(path), value, asType(opts.type, value), {
        lock: opts.lock,
        force: opts.force,
      });
      return out.ok;
    } catch (err) {
      if (err instanceof AttrTreeError) throw new AttrAccessError(path, err.reason);
      throw err;
    }
  }

  /** Install an override (command-line flags beat config); false when refused. */
  setOverride(path: string, value: Con4mValue, type?: Type | string): boolean {
    return installOverride(this.#state.root, path, value, asType(type, value));
  }

  /** Lock the attribute at `path` (an unset one becomes lock-on-write). */
  lockAttr(path: string): void {
    const a = this.lookup(path);
    if (!(a instanceof Attribute)) throw new AttrAccessError(path, "is not an attribute");
    if (a.value === undefined) a.lockOnWrite = true;
    else a.locked = true;
  }

  /**
   * Call the con4m function `name` with host values. `sig` (e.g. `"(string) -> string"`)
   * selects among overloads. Resolves to `{ found: false }` when no function matches.
   */
  async callFunction(
    name: string,
    args: readonly Con4mValue[],
    sig?: Type | string,
  ): Promise<{ found: false } | { found: true; value: Con4mValue | undefined }> {
    const argTypes = args.map(typeOfValue);
    const want = sig === undefined
      ? funcOf(argTypes, newTypeVar())
      : typeof sig === "string"
      ? parseType(sig.startsWith("(") ? `func${sig}` : sig)
      : sig;
    const fn = this.#state.functions.find(name, want) ?? this.#state.functions.find(name);
    if (fn === undefined) return { found: false };
    const p = prune(want);
    const types = p.kind === "func" && !p.bare && p.params.length === args.length
      ? p.params
      : argTypes;
    const ctx = {
      state: this.#state,
      frame: new Frame(undefined, this.#state.globals),
      section: this.#state.root,
      lockAll: false,
      depth: 0,
    };
    const pos = fn.kind === "user" ? fn.fn.def.pos : { file: "<host>", line: 0, col: 0 };
    const value = await withBudget([this.#state], () => invoke(ctx, fn, args, types, pos));
    return { found: true, value };
  }

  /**
   * Call the callback stored in attribute `path` (e.g. `keyspec.X.callback`). Resolves to
   * `{ found: false }` when the attribute is unset or names no function; a runtime error in
   * the callback rejects with a `Con4mError` naming the function and line.
   */
  async callCallback(
    path: string,
    args: readonly Con4mValue[],
  ): Promise<{ found: false } | { found: true; value: Con4mValue | undefined }> {
    const cb = this.findCallback(path);
    if (cb === undefined) return { found: false };
    const t = this.typeOf(path);
    const sig = cb.sigText !== undefined && cb.sigText !== ""
      ? cb.sigText
      : t !== undefined && prune(t).kind === "func" && !(prune(t) as { bare: boolean }).bare
      ? t
      : undefined;
    return await this.callFunction(cb.name, args, sig);
  }
}

function sectionToPlain(s: AttrScope): Record<string, PlainValue> {
  const out: Record<string, PlainValue> = {};
  for (const [k, v] of s.contents) {
    if (v instanceof AttrScope) out[k] = sectionToPlain(v);
    else if (v.effective !== undefined) out[k] = toPlain(v.effective);
  }
  return out;
}

function sectionToJson(s: AttrScope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of s.contents) {
    if (v instanceof AttrScope) out[k] = sectionToJson(v);
    else if (v.effective !== undefined) out[k] = toJsonValue(v.effective);
  }
  return out;
}
