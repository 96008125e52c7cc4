/**
 * con4m types: representation, parsing from text, printing, and destructive unification with type
 * variables. Unification that fails leaves no bindings.
 *
 * @module
 */

import { PRIM_NAMES, type PrimName, type TypeSyntax } from "./ast.ts";
import { Con4mError } from "./errors.ts";

export type { PrimName };

/** A primitive type. */
export interface PrimType {
  kind: "prim";
  name: PrimName;
}

/** `list[T]`. */
export interface ListType {
  kind: "list";
  item: Type;
}

/** `dict[K, V]`. */
export interface DictType {
  kind: "dict";
  key: Type;
  value: Type;
}

/** `tuple[T1, …, Tn]`, n ≥ 2. */
export interface TupleType {
  kind: "tuple";
  items: Type[];
}

/** `typespec[T]`: a type used as a value; plain `typespec` has an unbound variable. */
export interface TypespecType {
  kind: "typespec";
  bound: Type;
}

/** A function type `(T1, …) -> R`; `bare` is the signature-less `func` (any function). */
export interface FuncType {
  kind: "func";
  params: Type[];
  ret: Type;
  /** The last parameter is `*T` (any number of T). */
  varargs: boolean;
  /** Signature-less `func`: unifies with every function type. */
  bare: boolean;
}

/** A type variable; `link` is set once it is bound. */
export interface TypeVar {
  kind: "var";
  id: number;
  /** Source name (without the backtick), when written by a user. */
  name?: string;
  link: Type | null;
}

/** `A or B`: matches a type unifying with any option. */
export interface UnionType {
  kind: "union";
  options: Type[];
}

/** Any con4m type. */
export type Type =
  | PrimType
  | ListType
  | DictType
  | TupleType
  | TypespecType
  | FuncType
  | TypeVar
  | UnionType;

const primCache = new Map<string, PrimType>(
  PRIM_NAMES.map((n) => [n, Object.freeze({ kind: "prim", name: n }) as PrimType]),
);

/** True when `name` is a primitive type name. */
export function isPrimName(name: string): name is PrimName {
  return primCache.has(name);
}

/** The (shared, frozen) primitive type `name`. */
export function prim(name: PrimName): PrimType {
  return primCache.get(name)!;
}

/** `bool`. */
export const tBool: PrimType = prim("bool");
/** `int`. */
export const tInt: PrimType = prim("int");
/** `char`. */
export const tChar: PrimType = prim("char");
/** `float`. */
export const tFloat: PrimType = prim("float");
/** `string`. */
export const tString: PrimType = prim("string");
/** `void` (also "no value"). */
export const tVoid: PrimType = prim("void");
/** `Duration`. */
export const tDuration: PrimType = prim("Duration");
/** `Size`. */
export const tSize: PrimType = prim("Size");
/** `IPAddr`. */
export const tIPAddr: PrimType = prim("IPAddr");
/** `CIDR`. */
export const tCIDR: PrimType = prim("CIDR");
/** `Date`. */
export const tDate: PrimType = prim("Date");
/** `Time`. */
export const tTime: PrimType = prim("Time");
/** `DateTime`. */
export const tDateTime: PrimType = prim("DateTime");

let nextVarId = 1;

/** A fresh unbound type variable, optionally with a display name. */
export function newTypeVar(name?: string): TypeVar {
  return { kind: "var", id: nextVarId++, name, link: null };
}

/** `list[item]`. */
export function listOf(item: Type): ListType {
  return { kind: "list", item };
}

/** `dict[key, value]`. */
export function dictOf(key: Type, value: Type): DictType {
  return { kind: "dict", key, value };
}

/** `tuple[items…]`. */
export function tupleOf(items: Type[]): TupleType {
  return { kind: "tuple", items };
}

/** `typespec[bound]`; without `bound`, a fresh variable. */
export function typespecOf(bound?: Type): TypespecType {
  return { kind: "typespec", bound: bound ?? newTypeVar() };
}

/** `(params) -> ret`, optionally varargs (last param is `*T`). */
export function funcOf(params: Type[], ret: Type, varargs = false): FuncType {
  return { kind: "func", params, ret, varargs, bare: false };
}

/** The bare `func` type (any function). */
export function bareFunc(): FuncType {
  return { kind: "func", params: [], ret: tVoid, varargs: false, bare: true };
}

/** `a or b or …`. */
export function unionOf(options: Type[]): UnionType {
  return { kind: "union", options };
}

/** Follow variable links to the representative type (shallow). */
export function prune(t: Type): Type {
  while (t.kind === "var" && t.link !== null) t = t.link;
  return t;
}

// ---------------------------------------------------------------------------------------------
// Unification
// ---------------------------------------------------------------------------------------------

type Trail = TypeVar[];

function occurs(v: TypeVar, t: Type): boolean {
  t = prune(t);
  switch (t.kind) {
    case "var":
      return t === v;
    case "prim":
      return false;
    case "list":
      return occurs(v, t.item);
    case "dict":
      return occurs(v, t.key) || occurs(v, t.value);
    case "tuple":
      return t.items.some((x) => occurs(v, x));
    case "typespec":
      return occurs(v, t.bound);
    case "func":
      return t.params.some((x) => occurs(v, x)) || occurs(v, t.ret);
    case "union":
      return t.options.some((x) => occurs(v, x));
  }
}

function bind(v: TypeVar, t: Type, trail: Trail): boolean {
  if (occurs(v, t)) return false;
  v.link = t;
  trail.push(v);
  return true;
}

function undo(trail: Trail, mark: number): void {
  while (trail.length > mark) trail.pop()!.link = null;
}

function unifyFunc(a: FuncType, b: FuncType, trail: Trail): boolean {
  if (a.bare || b.bare) return true;
  if (a.varargs && !b.varargs) return unifyVarargs(a, b, trail);
  if (b.varargs && !a.varargs) return unifyVarargs(b, a, trail);
  if (a.varargs !== b.varargs || a.params.length !== b.params.length) return false;
  for (let i = 0; i < a.params.length; i++) {
    if (!unifyIn(a.params[i], b.params[i], trail)) return false;
  }
  return unifyIn(a.ret, b.ret, trail);
}

/** `va` has `*T` last; `f` is a fixed-arity type (e.g. a call site). */
function unifyVarargs(va: FuncType, f: FuncType, trail: Trail): boolean {
  const fixed = va.params.length - 1;
  if (f.params.length < fixed) return false;
  for (let i = 0; i < fixed; i++) {
    if (!unifyIn(va.params[i], f.params[i], trail)) return false;
  }
  const rest = va.params[fixed];
  for (let i = fixed; i < f.params.length; i++) {
    if (!unifyIn(rest, f.params[i], trail)) return false;
  }
  return unifyIn(va.ret, f.ret, trail);
}

function unifyUnion(u: UnionType, t: Type, trail: Trail): boolean {
  if (t.kind === "union") {
    // Every option of t must match some option of u.
    for (const o of t.options) {
      if (!u.options.some((x) => tryIn(x, o, trail))) return false;
    }
    return true;
  }
  return u.options.some((x) => tryIn(x, t, trail));
}

function tryIn(a: Type, b: Type, trail: Trail): boolean {
  const mark = trail.length;
  if (unifyIn(a, b, trail)) return true;
  undo(trail, mark);
  return false;
}

function unifyIn(a: Type, b: Type, trail: Trail): boolean {
  a = prune(a);
  b = prune(b);
  if (a === b) return true;
  if (a.kind === "var") return bind(a, b, trail);
  if (b.kind === "var") return bind(b, a, trail);
  if (a.kind === "union") return unifyUnion(a, b, trail);
  if (b.kind === "union") return unifyUnion(b, a, trail);
  switch (a.kind) {
    case "prim":
      return b.kind === "prim" && a.name === b.name;
    case "list":
      return b.kind === "list" && unifyIn(a.item, b.item, trail);
    case "dict":
      return b.kind === "dict" && unifyIn(a.key, b.key, trail) &&
        unifyIn(a.value, b.value, trail);
    case "tuple":
      if (b.kind !== "tuple" || a.items.length !== b.items.length) return false;
      return a.items.every((x, i) => unifyIn(x, b.items[i], trail));
    case "typespec":
      return b.kind === "typespec" && unifyIn(a.bound, b.bound, trail);
    case "func":
      return b.kind === "func" && unifyFunc(a, b, trail);
  }
}

/**
 * Unify `a` and `b`, binding type variables of both. On failure nothing is bound and the
 * result is false.
 *
 * @example
 * ```ts
 * const v = newTypeVar();
 * unify(listOf(v), listOf(tInt)); // true; prune(v) is int
 * ```
 */
export function unify(a: Type, b: Type): boolean {
  const trail: Trail = [];
  if (unifyIn(a, b, trail)) return true;
  undo(trail, 0);
  return false;
}

/** Would `a` and `b` unify? Never binds anything. */
export function unifies(a: Type, b: Type): boolean {
  const trail: Trail = [];
  const ok = unifyIn(a, b, trail);
  undo(trail, 0);
  return ok;
}

/**
 * A copy of `t` in which every unbound type variable is replaced by a fresh one (the same
 * variable maps to the same fresh variable within one call): instantiation of a generic
 * signature. Bound variables are followed, so the copy shares nothing mutable with `t`.
 */
export function copyType(t: Type, map: Map<TypeVar, TypeVar> = new Map()): Type {
  t = prune(t);
  switch (t.kind) {
    case "var": {
      let v = map.get(t);
      if (!v) {
        v = newTypeVar(t.name);
        map.set(t, v);
      }
      return v;
    }
    case "prim":
      return t;
    case "list":
      return listOf(copyType(t.item, map));
    case "dict":
      return dictOf(copyType(t.key, map), copyType(t.value, map));
    case "tuple":
      return tupleOf(t.items.map((x) => copyType(x, map)));
    case "typespec":
      return typespecOf(copyType(t.bound, map));
    case "func":
      return {
        kind: "func",
        params: t.params.map((x) => copyType(x, map)),
        ret: copyType(t.ret, map),
        varargs: t.varargs,
        bare: t.bare,
      };
    case "union":
      return unionOf(t.options.map((x) => copyType(x, map)));
  }
}

/** `t` with all bound variables replaced by what they are bound to (unbound ones kept). */
export function resolveType(t: Type): Type {
  t = prune(t);
  switch (t.kind) {
    case "var":
    case "prim":
      return t;
    case "list":
      return listOf(resolveType(t.item));
    case "dict":
      return dictOf(resolveType(t.key), resolveType(t.value));
    case "tuple":
      return tupleOf(t.items.map(resolveType));
    case "typespec":
      return typespecOf(resolveType(t.bound));
    case "func":
      return {
        kind: "func",
        params: t.params.map(resolveType),
        ret: resolveType(t.ret),
        varargs: t.varargs,
        bare: t.bare,
      };
    case "union":
      return unionOf(t.options.map(resolveType));
  }
}

/** True when `t` contains no unbound type variable. */
export function isConcrete(t: Type): boolean {
  t = prune(t);
  switch (t.kind) {
    case "var":
      return false;
    case "prim":
      return true;
    case "list":
      return isConcrete(t.item);
    case "dict":
      return isConcrete(t.key) && isConcrete(t.value);
    case "tuple":
      return t.items.every(isConcrete);
    case "typespec":
      return isConcrete(t.bound);
    case "func":
      return t.bare || (t.params.every(isConcrete) && isConcrete(t.ret));
    case "union":
      return t.options.every(isConcrete);
  }
}

/** Structural equality after following links; unbound variables are equal only to themselves. */
export function typeEquals(a: Type, b: Type): boolean {
  a = prune(a);
  b = prune(b);
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "var":
      return false;
    case "prim":
      return a.name === (b as PrimType).name;
    case "list":
      return typeEquals(a.item, (b as ListType).item);
    case "dict":
      return typeEquals(a.key, (b as DictType).key) &&
        typeEquals(a.value, (b as DictType).value);
    case "tuple": {
      const bi = (b as TupleType).items;
      return a.items.length === bi.length && a.items.every((x, i) => typeEquals(x, bi[i]));
    }
    case "typespec":
      return typeEquals(a.bound, (b as TypespecType).bound);
    case "func": {
      const f = b as FuncType;
      if (a.bare || f.bare) return a.bare === f.bare;
      return a.varargs === f.varargs && a.params.length === f.params.length &&
        a.params.every((x, i) => typeEquals(x, f.params[i])) && typeEquals(a.ret, f.ret);
    }
    case "union": {
      const bo = (b as UnionType).options;
      return a.options.length === bo.length && a.options.every((x, i) => typeEquals(x, bo[i]));
    }
  }
}

/** Is `t` (after pruning) the primitive `name`? */
export function isPrim(t: Type, name: PrimName): boolean {
  t = prune(t);
  return t.kind === "prim" && t.name === name;
}

// ---------------------------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------------------------

const GENERATED = "tuvwxyzabcdefghijklmnopqrs";

/**
 * Print a type in con4m syntax: `list[string]`, `dict[string, int]`, `(string, `x) -> bool`,
 * `typespec[int]`, `func`, `int or string`. Unnamed variables get `` `t ``, `` `u ``… in
 * order of appearance.
 */
export function typeToString(t: Type): string {
  const names = new Map<TypeVar, string>();
  const used = new Set<string>();
  let gen = 0;
  const varName = (v: TypeVar): string => {
    let n = names.get(v);
    if (n !== undefined) return n;
    if (v.name !== undefined && !used.has(v.name)) n = v.name;
    else {
      do {
        const i = gen++;
        n = GENERATED[i % GENERATED.length] + (i >= GENERATED.length ? String(i) : "");
      } while (used.has(n));
    }
    used.add(n);
    names.set(v, n);
    return n;
  };
  const go = (x: Type): string => {
    x = prune(x);
    switch (x.kind) {
      case "var":
        return "`" + varName(x);
      case "prim":
        return x.name;
      case "list":
        return `list[${go(x.item)}]`;
      case "dict":
        return `dict[${go(x.key)}, ${go(x.value)}]`;
      case "tuple":
        return `tuple[${x.items.map(go).join(", ")}]`;
      case "typespec": {
        const b = prune(x.bound);
        return b.kind === "var" && b.name === undefined ? "typespec" : `typespec[${go(b)}]`;
      }
      case "func": {
        if (x.bare) return "func";
        const ps = x.params.map((p, i) =>
          (x.varargs && i === x.params.length - 1 ? "*" : "") + go(p)
        );
        return `(${ps.join(", ")}) -> ${go(x.ret)}`;
      }
      case "union":
        return x.options.map(go).join(" or ");
    }
  };
  return go(t);
}

// ---------------------------------------------------------------------------------------------
// From syntax and from text
// ---------------------------------------------------------------------------------------------

/**
 * Build a {@linkcode Type} from parsed type syntax. Type variables with the same name share
 * one variable through `vars` (pass the same map for all types of one signature).
 */
export function typeFromSyntax(s: TypeSyntax, vars: Map<string, TypeVar> = new Map()): Type {
  switch (s.tag) {
    case "prim":
      return prim(s.name);
    case "list":
      return listOf(typeFromSyntax(s.item, vars));
    case "dict":
      return dictOf(typeFromSyntax(s.key, vars), typeFromSyntax(s.value, vars));
    case "tuple":
      return tupleOf(s.items.map((x) => typeFromSyntax(x, vars)));
    case "typespec":
      return typespecOf(s.tvar === undefined ? undefined : namedVar(s.tvar, vars));
    case "tvar":
      return namedVar(s.name, vars);
    case "func":
      if (s.params === null) return bareFunc();
      return funcOf(
        s.params.map((x) => typeFromSyntax(x, vars)),
        s.ret === null ? tVoid : typeFromSyntax(s.ret, vars),
        s.varargs,
      );
    case "union":
      return unionOf(s.options.map((x) => typeFromSyntax(x, vars)));
  }
}

function namedVar(name: string, vars: Map<string, TypeVar>): TypeVar {
  let v = vars.get(name);
  if (!v) {
    v = newTypeVar(name);
    vars.set(name, v);
  }
  return v;
}

/** Error message for malformed type syntax (wording from the original). */
export const TYPE_SYNTAX_ERROR = "Invalid syntax for a type declaration.";
/** Error message for overlapping union options. */
export const UNION_OVERLAP_ERROR = "Union type options must not overlap";

/** Check that no two options of a union unify; returns false when some overlap. */
export function unionOptionsDisjoint(options: readonly Type[]): boolean {
  for (let i = 0; i < options.length; i++) {
    for (let j = i + 1; j < options.length; j++) {
      if (unifies(copyType(options[i]), copyType(options[j]))) return false;
    }
  }
  return true;
}

interface TypeTok {
  t: string;
  v: string;
  off: number;
}

function typeTokens(text: string): TypeTok[] | number {
  const out: TypeTok[] = [];
  const re = /\s+|(->)|(\|\|)|([\[\],()*`])|([\p{L}_$][\p{L}\p{N}_$]*)|(.)/uy;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    const off = m.index;
    if (m[1]) out.push({ t: "->", v: "->", off });
    else if (m[2]) out.push({ t: "or", v: "||", off });
    else if (m[3]) out.push({ t: m[3], v: m[3], off });
    else if (m[4]) out.push({ t: m[4] === "or" ? "or" : "id", v: m[4], off });
    else if (m[5]) return off;
  }
  return out;
}

/**
 * Parse type syntax from a token-like cursor. Used by {@linkcode parseTypeSyntax}; exported
 * for tests only through that function.
 */
class TypeParser {
  i = 0;
  constructor(readonly toks: TypeTok[]) {}
  peek(): TypeTok | undefined {
    return this.toks[this.i];
  }
  take(t: string): boolean {
    if (this.toks[this.i]?.t === t) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(t: string): void {
    if (!this.take(t)) throw new Error(TYPE_SYNTAX_ERROR);
  }
  type(): TypeSyntax {
    const first = this.one();
    if (this.peek()?.t !== "or") return first;
    const options = [first];
    while (this.take("or")) options.push(this.one());
    return { tag: "union", options };
  }
  tvarName(): string {
    const t = this.peek();
    if (t?.t !== "id") throw new Error(TYPE_SYNTAX_ERROR);
    this.i++;
    return t.v;
  }
  sig(): TypeSyntax {
    this.expect("(");
    const params: TypeSyntax[] = [];
    let varargs = false;
    if (!this.take(")")) {
      for (;;) {
        if (varargs) throw new Error(TYPE_SYNTAX_ERROR);
        if (this.take("*")) varargs = true;
        params.push(this.type());
        if (this.take(")")) break;
        this.expect(",");
      }
    }
    const ret = this.take("->") ? this.type() : null;
    return { tag: "func", params, varargs, ret };
  }
  one(): TypeSyntax {
    const t = this.peek();
    if (!t) throw new Error(TYPE_SYNTAX_ERROR);
    if (t.t === "`") {
      this.i++;
      return { tag: "tvar", name: this.tvarName() };
    }
    if (t.t === "(") return this.sig();
    if (t.t !== "id") throw new Error(TYPE_SYNTAX_ERROR);
    this.i++;
    const n = t.v;
    if (isPrimName(n)) return { tag: "prim", name: n };
    switch (n) {
      case "func":
        if (this.peek()?.t === "(") return this.sig();
        return { tag: "func", params: null, varargs: false, ret: null };
      case "typespec":
        if (this.take("[")) {
          this.expect("`");
          const tv = this.tvarName();
          this.expect("]");
          return { tag: "typespec", tvar: tv };
        }
        return { tag: "typespec" };
      case "list": {
        this.expect("[");
        const item = this.type();
        this.expect("]");
        return { tag: "list", item };
      }
      case "dict": {
        this.expect("[");
        const key = this.type();
        this.expect(",");
        const value = this.type();
        this.expect("]");
        return { tag: "dict", key, value };
      }
      case "tuple": {
        this.expect("[");
        const items = [this.type()];
        while (this.take(",")) items.push(this.type());
        this.expect("]");
        if (items.length < 2) throw new Error(TYPE_SYNTAX_ERROR);
        return { tag: "tuple", items };
      }
    }
    throw new Error(TYPE_SYNTAX_ERROR);
  }
}

/**
 * Parse type text into syntax. Throws {@linkcode Con4mError} (phase "parse") with
 * "Invalid syntax for a type declaration." on bad input; `file`/`line`/`col` locate the text.
 */
export function parseTypeSyntax(text: string, file = "<type>", line = 1, col = 1): TypeSyntax {
  const toks = typeTokens(text);
  const fail = (off: number): never => {
    throw new Con4mError("parse", TYPE_SYNTAX_ERROR, { file, line, col: col + off });
  };
  if (typeof toks === "number") return fail(toks);
  const p = new TypeParser(toks);
  try {
    const s = p.type();
    if (p.i !== toks.length) fail(toks[p.i].off);
    return s;
  } catch (e) {
    if (e instanceof Con4mError) throw e;
    return fail(toks[p.i]?.off ?? text.length);
  }
}

/**
 * Parse a type from text, e.g. ``"func(string, `x) -> list[`x]"``, ``"dict[string, `v]"``,
 * `"int or string"`. Same-named variables are shared; pass `vars` to share them with other
 * types. Throws {@linkcode Con4mError} on syntax errors or overlapping union options.
 *
 * @example
 * ```ts
 * typeToString(parseType("func(list[`x], `x) -> bool")); // "(list[`x], `x) -> bool"
 * ```
 */
export function parseType(text: string, vars: Map<string, TypeVar> = new Map()): Type {
  const t = typeFromSyntax(parseTypeSyntax(text), vars);
  checkUnions(t);
  return t;
}

/** Throw when a union inside `t` has overlapping options. */
function checkUnions(t: Type): void {
  t = prune(t);
  switch (t.kind) {
    case "union":
      if (!unionOptionsDisjoint(t.options)) {
        throw new Con4mError("parse", UNION_OVERLAP_ERROR);
      }
      t.options.forEach(checkUnions);
      return;
    case "list":
      return checkUnions(t.item);
    case "dict":
      checkUnions(t.key);
      return checkUnions(t.value);
    case "tuple":
      return t.items.forEach(checkUnions);
    case "func":
      t.params.forEach(checkUnions);
      return checkUnions(t.ret);
    default:
      return;
  }
}

/**
 * Parse a function signature string as used to register builtins:
 * `"name(T1, T2) -> R"` → `{ name, type }` (missing `-> R` means `void`).
 *
 * @example
 * ```ts
 * parseSignature("subscribe(string, string) -> bool").name; // "subscribe"
 * ```
 */
export function parseSignature(
  text: string,
): { name: string; type: FuncType } {
  const m = /^\s*([^\s(]+)\s*(\(.*)$/su.exec(text);
  if (!m) throw new Con4mError("parse", TYPE_SYNTAX_ERROR + ` (signature: ${text})`);
  const t = parseType(m[2]);
  if (t.kind !== "func" || t.bare) {
    throw new Con4mError("parse", TYPE_SYNTAX_ERROR + ` (signature: ${text})`);
  }
  return { name: m[1], type: t };
}
