/**
 * Serialising and restoring an evaluated stack (issue 3 part 6; docs/decisions.md,
 * "Base configuration is a snapshot"): attribute trees with types, locks and overrides, user
 * functions as annotated parse trees, persistent variables, the compiled spec and the source text
 * of every layer. A restored stack behaves like the original without re-parsing or re-checking
 * anything. Builtins are not serialised: the host installs them again (pass the same builtins to
 * {@linkcode restoreStack}).
 *
 * @module
 */

import { Attribute, AttrScope } from "./attributes.ts";
import type { EvalState, UserFunction } from "./eval_state.ts";
import type { FieldSpec, SectionSpec, Spec } from "./spec.ts";
import { ConfigStack, type ConfigStackOptions, type LoadedLayer } from "./stack.ts";
import {
  bareFunc,
  dictOf,
  funcOf,
  isPrimName,
  listOf,
  newTypeVar,
  prim,
  prune,
  tupleOf,
  type Type,
  typespecOf,
  type TypeVar,
  unionOf,
} from "./types.ts";
import {
  callbackValue,
  Con4mDict,
  type Con4mValue,
  isCallback,
  isList,
  isTypespec,
  typespecValue,
} from "./values.ts";

/** Version tag of the snapshot format. */
export const SNAPSHOT_VERSION = 3;

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Thrown when a snapshot cannot be read. */
export class SnapshotError extends Error {
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error with a one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "SnapshotError";
    this.reason = reason;
  }
}

// ---------------------------------------------------------------------------------------------
// Values and types
// ---------------------------------------------------------------------------------------------

/** Encode a type as JSON, keeping the identity of type variables within it. */
export function encodeType(t: Type, vars: Map<TypeVar, number> = new Map()): Json {
  t = prune(t);
  switch (t.kind) {
    case "prim":
      return t.name;
    case "var": {
      let n = vars.get(t);
      if (n === undefined) {
        n = vars.size;
        vars.set(t, n);
      }
      return t.name === undefined ? { v: n } : { v: n, n: t.name };
    }
    case "list":
      return { l: encodeType(t.item, vars) };
    case "dict":
      return { d: [encodeType(t.key, vars), encodeType(t.value, vars)] };
    case "tuple":
      return { u: t.items.map((x) => encodeType(x, vars)) };
    case "typespec":
      return { s: encodeType(t.bound, vars) };
    case "func":
      if (t.bare) return { b: true };
      return {
        f: t.params.map((x) => encodeType(x, vars)),
        r: encodeType(t.ret, vars),
        va: t.varargs,
      };
    case "union":
      return { o: t.options.map((x) => encodeType(x, vars)) };
  }
}

/** Decode a type written by {@linkcode encodeType}. */
export function decodeType(j: Json, vars: Map<number, TypeVar> = new Map()): Type {
  if (typeof j === "string") {
    if (!isPrimName(j)) throw new SnapshotError(`unknown type ${j}`);
    return prim(j);
  }
  if (j === null || typeof j !== "object" || Array.isArray(j)) {
    throw new SnapshotError("bad type in snapshot");
  }
  if (typeof j.v === "number") {
    let v = vars.get(j.v);
    if (v === undefined) {
      v = newTypeVar(typeof j.n === "string" ? j.n : undefined);
      vars.set(j.v, v);
    }
    return v;
  }
  if (j.l !== undefined) return listOf(decodeType(j.l, vars));
  if (Array.isArray(j.d)) return dictOf(decodeType(j.d[0], vars), decodeType(j.d[1], vars));
  if (Array.isArray(j.u)) return tupleOf(j.u.map((x) => decodeType(x, vars)));
  if (j.s !== undefined) return typespecOf(decodeType(j.s, vars));
  if (j.b === true) return bareFunc();
  if (Array.isArray(j.f)) {
    return funcOf(j.f.map((x) => decodeType(x, vars)), decodeType(j.r, vars), j.va === true);
  }
  if (Array.isArray(j.o)) return unionOf(j.o.map((x) => decodeType(x, vars)));
  throw new SnapshotError("bad type in snapshot");
}

function typeText(t: Type): Json {
  return encodeType(t);
}

function readType(j: Json): Type {
  return decodeType(j);
}

/** Encode a con4m value as JSON (bigints, dicts, typespecs and callbacks are tagged). */
export function encodeValue(v: Con4mValue): Json {
  if (v === null) return null;
  switch (typeof v) {
    case "boolean":
    case "string":
      return v;
    case "bigint":
      return { i: v.toString() };
    case "number":
      return { f: Number.isFinite(v) ? v : String(v) };
  }
  if (isList(v)) return v.map(encodeValue);
  if (v instanceof Con4mDict) {
    return { d: [...v.entries()].map(([k, x]) => [encodeValue(k), encodeValue(x)]) };
  }
  if (isTypespec(v)) return { t: typeText(v.type) };
  if (isCallback(v)) return v.sigText === undefined ? { c: v.name } : { c: v.name, s: v.sigText };
  throw new SnapshotError("unknown value");
}

/** Decode a value written by {@linkcode encodeValue}. */
export function decodeValue(j: Json): Con4mValue {
  if (j === null || typeof j === "boolean" || typeof j === "string") return j;
  if (typeof j === "number") throw new SnapshotError("untagged number in snapshot");
  if (Array.isArray(j)) return j.map(decodeValue);
  if (typeof j.i === "string") return BigInt(j.i);
  if ("f" in j) return typeof j.f === "number" ? j.f : Number(j.f);
  if (Array.isArray(j.d)) {
    return new Con4mDict(
      j.d.map((p) => {
        const pair = p as Json[];
        return [decodeValue(pair[0]), decodeValue(pair[1])] as const;
      }),
    );
  }
  if (j.t !== undefined) return typespecValue(readType(j.t));
  if (typeof j.c === "string") {
    return callbackValue(j.c, typeof j.s === "string" ? j.s : undefined);
  }
  throw new SnapshotError("unknown tagged value in snapshot");
}

// ---------------------------------------------------------------------------------------------
// Parse trees (function bodies)
// ---------------------------------------------------------------------------------------------

const TYPE_KINDS = new Set(["prim", "list", "dict", "tuple", "typespec", "func", "union"]);

function isTypeObject(v: unknown): v is Type {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const k = (v as { kind?: unknown }).kind;
  if (typeof k !== "string") return false;
  if (k === "var") return "id" in v && "link" in v;
  return TYPE_KINDS.has(k) && !("pos" in v);
}

function astReplacer(this: unknown, key: string, value: unknown): unknown {
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (key === "pos" && typeof value === "object" && value !== null) {
    const p = value as { line: number; col: number };
    return [p.line, p.col];
  }
  if (key === "target" && typeof value === "object" && value !== null) {
    const t = value as { name: string; type: Type; builtin: boolean };
    return { name: t.name, type: { $type: typeText(t.type) }, builtin: t.builtin };
  }
  if (isTypeObject(value)) return { $type: typeText(value) };
  return value;
}

/**
 * Turn the tagged bigints, types and `[line, col]` positions of a parsed parse tree back into
 * values, in place (`file` is the defining file).
 */
function reviveAst(node: unknown, file: string): unknown {
  if (typeof node !== "object" || node === null) return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) node[i] = reviveAst(node[i], file);
    return node;
  }
  const o = node as Record<string, unknown>;
  if (typeof o.$bigint === "string") return BigInt(o.$bigint);
  if (o.$type !== undefined) return readType(o.$type as Json);
  for (const k in o) {
    const v = o[k];
    if (k === "pos" && Array.isArray(v)) o[k] = { file, line: v[0], col: v[1] };
    else if (typeof v === "object" && v !== null) o[k] = reviveAst(v, file);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// States
// ---------------------------------------------------------------------------------------------

/**
 * Names and attribute types that repeat across the attribute trees (the base configuration has
 * 544 key specs of the same dozen fields, and report templates of the same `use` attribute), each
 * written once: the snapshot is part of every chalk start, and its size is read, parsed and
 * collected again each time.
 */
class SharedTables {
  readonly names: string[] = [];
  readonly types: Json[] = [];
  readonly #nameIndex = new Map<string, number>();
  readonly #typeIndex = new Map<string, number>();

  /** Tables for the names seen more than once in `roots`. */
  static collect(roots: AttrScope[]): SharedTables {
    const counts = new Map<string, number>();
    const walk = (scope: AttrScope): void => {
      for (const [k, v] of scope.contents) {
        counts.set(k, (counts.get(k) ?? 0) + 1);
        if (v instanceof AttrScope) walk(v);
      }
    };
    roots.forEach(walk);
    const tables = new SharedTables();
    for (const [name, n] of counts) {
      if (n < 2) continue;
      tables.#nameIndex.set(name, tables.names.length);
      tables.names.push(name);
    }
    return tables;
  }

  /** A name's index in the table, or the name itself when it does not repeat. */
  name(n: string): Json {
    return this.#nameIndex.get(n) ?? n;
  }

  /** A type's index in the table (added when new). */
  type(t: Type): number {
    const json = typeText(t);
    const key = JSON.stringify(json);
    let i = this.#typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      this.types.push(json);
      this.#typeIndex.set(key, i);
    }
    return i;
  }
}

/** Tables read back: names as written, and each type decoded anew per attribute (fresh variables). */
interface ReadTables {
  names: Json[];
  types: Json[];
}

const HAS_VALUE = 1;
const HAS_OVERRIDE = 2;
const LOCKED = 4;
const LOCK_ON_WRITE = 8;

/**
 * A scope as a list of entries: `[name, entries]` for a sub-scope, `[name, type, flags, value?,
 * override?]` for an attribute (a type is a table index, never a list).
 */
function encodeScope(s: AttrScope, tables: SharedTables): Json {
  const items: Json[] = [];
  for (const [k, v] of s.contents) {
    if (v instanceof AttrScope) {
      items.push([tables.name(k), encodeScope(v, tables)]);
      continue;
    }
    const flags = (v.value !== undefined ? HAS_VALUE : 0) |
      (v.override !== undefined ? HAS_OVERRIDE : 0) | (v.locked ? LOCKED : 0) |
      (v.lockOnWrite ? LOCK_ON_WRITE : 0);
    const a: Json[] = [tables.name(k), tables.type(v.type), flags];
    if (v.value !== undefined) a.push(encodeValue(v.value));
    if (v.override !== undefined) a.push(encodeValue(v.override));
    items.push(a);
  }
  return items;
}

function tableEntry(table: Json[], i: Json, what: string): Json {
  if (typeof i !== "number" || !(i >= 0 && i < table.length)) {
    throw new SnapshotError(`bad ${what} index in snapshot`);
  }
  return table[i];
}

function decodeScope(j: Json, into: AttrScope, tables: ReadTables): void {
  if (!Array.isArray(j)) throw new SnapshotError("bad scope in snapshot");
  for (const raw of j) {
    if (!Array.isArray(raw) || raw.length < 2) {
      throw new SnapshotError("bad scope entry in snapshot");
    }
    const name = typeof raw[0] === "string" ? raw[0] : tableEntry(tables.names, raw[0], "name");
    if (typeof name !== "string") throw new SnapshotError("bad name in snapshot");
    const second = raw[1];
    if (Array.isArray(second)) {
      const sub = new AttrScope(name, into);
      into.contents.set(name, sub);
      sub.deferContents(() => decodeScope(second, sub, tables));
      continue;
    }
    const a = new Attribute(name, into, readType(tableEntry(tables.types, second, "type")));
    const flags = raw[2];
    if (typeof flags !== "number") throw new SnapshotError("bad attribute flags in snapshot");
    let at = 3;
    if (flags & HAS_VALUE) a.value = decodeValue(raw[at++]);
    if (flags & HAS_OVERRIDE) a.override = decodeValue(raw[at++]);
    a.locked = (flags & LOCKED) !== 0;
    a.lockOnWrite = (flags & LOCK_ON_WRITE) !== 0;
    into.contents.set(name, a);
  }
}

function encodeState(s: EvalState, tables: SharedTables): Json {
  const functions: Json[] = [];
  for (const list of s.functions.user.values()) {
    for (const f of list) {
      functions.push({
        name: f.name,
        sig: typeText(f.sig),
        file: f.file,
        locked: f.locked,
        def: JSON.parse(JSON.stringify(f.def, astReplacer)) as Json,
      });
    }
  }
  const globals: Json[] = [];
  for (const [k, v] of s.globals) {
    const g: { [k: string]: Json } = { n: k };
    if (v.value !== undefined) g.v = encodeValue(v.value);
    if (v.type !== undefined) g.t = typeText(v.type);
    if (v.readonly) g.r = true;
    globals.push(g);
  }
  return { root: encodeScope(s.root, tables), functions, globals, runCount: s.runCount };
}

function decodeState(j: { [k: string]: Json }, s: EvalState, tables: ReadTables): void {
  s.root = new AttrScope("");
  decodeScope(j.root, s.root, tables);
  for (const raw of j.functions as Json[]) {
    const f = raw as { [k: string]: Json };
    const def = reviveAst(f.def, f.file as string) as UserFunction["def"];
    s.functions.addUser({
      name: f.name as string,
      sig: readType(f.sig),
      def,
      file: f.file as string,
      locked: f.locked === true,
    });
  }
  for (const raw of j.globals as Json[]) {
    const g = raw as { [k: string]: Json };
    s.globals.set(g.n as string, {
      value: g.v === undefined ? undefined : decodeValue(g.v),
      type: g.t === undefined ? undefined : readType(g.t),
      readonly: g.r === true,
    });
  }
  s.runCount = j.runCount as number;
}

// ---------------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------------

function encodeField(f: FieldSpec): Json {
  const o: { [k: string]: Json } = {
    name: f.name,
    kind: f.kind,
    min: f.min,
    max: f.max,
    lock: f.lock,
    stackLimit: f.stackLimit,
    exclusions: [...f.exclusions],
    hidden: f.hidden,
  };
  if (f.type !== undefined) o.type = typeText(f.type);
  if (f.typeRef !== undefined) o.typeRef = f.typeRef;
  if (f.default !== undefined) o.default = encodeValue(f.default);
  if (f.validator !== undefined) o.validator = encodeValue(f.validator);
  if (f.range !== undefined) o.range = f.range.map((x) => x.toString());
  if (f.choices !== undefined) o.choices = f.choices.map(encodeValue);
  if (f.itemCount !== undefined) o.itemCount = [...f.itemCount];
  if (f.doc !== undefined) o.doc = f.doc;
  if (f.shortdoc !== undefined) o.shortdoc = f.shortdoc;
  return o;
}

function decodeField(j: { [k: string]: Json }): FieldSpec {
  const f: FieldSpec = {
    name: j.name as string,
    kind: j.kind as FieldSpec["kind"],
    min: j.min as number,
    max: j.max as number,
    lock: j.lock as boolean,
    stackLimit: j.stackLimit as number,
    exclusions: j.exclusions as string[],
    hidden: j.hidden as boolean,
  };
  if (j.type !== undefined) f.type = readType(j.type);
  if (j.typeRef !== undefined) f.typeRef = j.typeRef as string;
  if (j.default !== undefined) f.default = decodeValue(j.default);
  if (j.validator !== undefined) f.validator = decodeValue(j.validator) as FieldSpec["validator"];
  if (j.range !== undefined) {
    const r = j.range as string[];
    f.range = [BigInt(r[0]), BigInt(r[1])];
  }
  if (j.choices !== undefined) f.choices = (j.choices as Json[]).map(decodeValue);
  if (j.itemCount !== undefined) f.itemCount = j.itemCount as [number, number];
  if (j.doc !== undefined) f.doc = j.doc as string;
  if (j.shortdoc !== undefined) f.shortdoc = j.shortdoc as string;
  return f;
}

function encodeSection(s: SectionSpec): Json {
  const o: { [k: string]: Json } = {
    typeName: s.typeName,
    singleton: s.singleton,
    hidden: s.hidden,
    fields: [...s.fields.values()].map(encodeField),
  };
  if (s.validator !== undefined) o.validator = encodeValue(s.validator);
  if (s.doc !== undefined) o.doc = s.doc;
  if (s.shortdoc !== undefined) o.shortdoc = s.shortdoc;
  return o;
}

function decodeSection(j: { [k: string]: Json }): SectionSpec {
  const s: SectionSpec = {
    typeName: j.typeName as string,
    singleton: j.singleton as boolean,
    hidden: j.hidden as boolean,
    fields: new Map(
      (j.fields as { [k: string]: Json }[]).map((f) => [f.name as string, decodeField(f)]),
    ),
  };
  if (j.validator !== undefined) s.validator = decodeValue(j.validator) as SectionSpec["validator"];
  if (j.doc !== undefined) s.doc = j.doc as string;
  if (j.shortdoc !== undefined) s.shortdoc = j.shortdoc as string;
  return s;
}

function encodeSpec(spec: Spec): Json {
  return { root: encodeSection(spec.root), types: [...spec.types.values()].map(encodeSection) };
}

function decodeSpec(j: { [k: string]: Json }): Spec {
  return {
    root: decodeSection(j.root as { [k: string]: Json }),
    types: new Map(
      (j.types as { [k: string]: Json }[]).map((t) => {
        const s = decodeSection(t);
        return [s.typeName, s];
      }),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Stacks
// ---------------------------------------------------------------------------------------------

/**
 * Serialise `stack` to JSON text (both states, the spec, and the layers' source text).
 *
 * @example
 * ```ts
 * const text = snapshotStack(stack);
 * const again = restoreStack(text); // same attributes and callbacks, no parsing
 * ```
 */
export function snapshotStack(stack: ConfigStack): string {
  const tables = SharedTables.collect([stack.validation.root, stack.config.root]);
  const validation = encodeState(stack.validation, tables);
  const config = encodeState(stack.config, tables);
  // The validation state and the spec as JSON texts of their own: parsed only when a restored
  // stack first uses them (ConfigStack.deferRestore).
  const out: Json = {
    version: SNAPSHOT_VERSION,
    names: tables.names,
    types: tables.types,
    validation: JSON.stringify(validation),
    config,
    spec: stack.spec === undefined ? null : JSON.stringify(encodeSpec(stack.spec)),
    layers: stack.layers.map((l) => ({ ...l })),
  };
  return JSON.stringify(out);
}

/**
 * A snapshot as three texts: the stack without its validation state and spec, and those two
 * (restored later, if ever: `ConfigStack.deferRestore`). Kept apart, a start-up parses only
 * the first; nested in it, their text is unescaped by every parse.
 */
export interface SnapshotParts {
  stack: string;
  validation: string;
  spec: string | null;
}

/** Splits {@linkcode snapshotStack} output into its {@linkcode SnapshotParts}. */
export function splitSnapshot(text: string): SnapshotParts {
  const { validation, spec, ...stack } = JSON.parse(text);
  return { stack: JSON.stringify(stack), validation, spec };
}

/**
 * Rebuild a stack from {@linkcode snapshotStack} output or its {@linkcode SnapshotParts}.
 * `opts` supplies builtins and hooks (as for `new ConfigStack`). Throws
 * {@linkcode SnapshotError} on malformed input.
 */
export function restoreStack(
  snapshot: string | SnapshotParts,
  opts: ConfigStackOptions = {},
): ConfigStack {
  const parts = typeof snapshot === "string" ? undefined : snapshot;
  let j: { [k: string]: Json };
  try {
    j = JSON.parse(parts?.stack ?? snapshot as string) as { [k: string]: Json };
  } catch {
    throw new SnapshotError("snapshot is not valid JSON");
  }
  if (j?.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(`unsupported snapshot version: ${String(j?.version)}`);
  }
  const stack = new ConfigStack(opts);
  try {
    if (!Array.isArray(j.names) || !Array.isArray(j.types)) {
      throw new SnapshotError("snapshot has no name and type tables");
    }
    const tables: ReadTables = { names: j.names, types: j.types };
    const { validation, spec } = parts ?? j;
    if (typeof validation !== "string" || (spec !== null && typeof spec !== "string")) {
      throw new SnapshotError("snapshot has no validation or spec text");
    }
    decodeState(j.config as { [k: string]: Json }, stack.config, tables);
    for (const l of j.layers as Json[]) stack.layers.push(l as unknown as LoadedLayer);
    stack.deferRestore(
      (state) => decoded(() => decodeState(JSON.parse(validation), state, tables)),
      () => spec === null ? undefined : decoded(() => decodeSpec(JSON.parse(spec))),
    );
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw corrupt(err);
  }
  return stack;
}

function corrupt(err: unknown): SnapshotError {
  return new SnapshotError(`corrupt snapshot: ${err instanceof Error ? err.message : err}`);
}

/** Runs a deferred part of a restore; its failure is the snapshot's. */
function decoded<T>(restore: () => T): T {
  try {
    return restore();
  } catch (err) {
    throw corrupt(err);
  }
}
