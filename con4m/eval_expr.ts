/**
 * Expression evaluation: operators with int64 overflow checks, name and member resolution,
 * indexing, calls to builtins and user functions, and literals.
 *
 * @module
 */

import type { BinaryExpr, CallExpr, Expr, SourcePos } from "./ast.ts";
import { Attribute, AttrScope } from "./attributes.ts";
import { checkSize } from "./budget.ts";
import { type BuiltinDef, BuiltinError } from "./builtins/builtin_def.ts";
import { Con4mError } from "./errors.ts";
import { callUserFunction } from "./eval_call.ts";
import { type Callable, type EvalState, type FunctionTable, runtimeError } from "./eval_state.ts";
import { classifyOtherLiteral } from "./other_literals.ts";
import type { Frame } from "./scopes.ts";
import {
  bareFunc,
  dictOf,
  funcOf,
  listOf,
  newTypeVar,
  prim,
  resolveType,
  tBool,
  tFloat,
  tInt,
  tString,
  tupleOf,
  type Type,
  typeFromSyntax,
  typespecOf,
  typeToString,
} from "./types.ts";
import {
  callbackValue,
  Con4mDict,
  type Con4mValue,
  isList,
  isTypespec,
  typespecValue,
  valuesEqual,
} from "./values.ts";

/** Where an evaluation currently is. */
export interface ExecCtx {
  /** The persistent state. */
  state: EvalState;
  /** Current variable frame. */
  frame: Frame;
  /** Current attribute section. */
  section: AttrScope;
  /** Name of the function being run (for messages), if any. */
  fn?: string;
  /** Lock every attribute written (components). */
  lockAll: boolean;
  /** Call depth. */
  depth: number;
  /** Component url, when running a component (parameter values are keyed by it). */
  component?: string;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function checkedInt(n: bigint, pos: SourcePos): bigint {
  if (n > INT64_MAX || n < INT64_MIN) throw runtimeError("Integer overflow", pos);
  return n;
}

/** Where a message should say it happened: `(in function 'f')` suffix when inside one. */
export function inFn(ctx: ExecCtx, reason: string): string {
  return ctx.fn === undefined ? reason : `${reason} (in function '${ctx.fn}')`;
}

/** A runtime type for a value when the checker left no static type (fallback only). */
export function typeOfValue(v: Con4mValue): Type {
  if (v === null) return newTypeVar();
  switch (typeof v) {
    case "bigint":
      return tInt;
    case "number":
      return tFloat;
    case "boolean":
      return tBool;
    case "string":
      return tString;
  }
  if (isList(v)) return listOf(v.length > 0 ? typeOfValue(v[0]) : newTypeVar());
  if (v instanceof Con4mDict) {
    const first = v.entries().next();
    return first.done
      ? dictOf(newTypeVar(), newTypeVar())
      : dictOf(typeOfValue(first.value[0]), typeOfValue(first.value[1]));
  }
  if (isTypespec(v)) return typespecOf(v.type);
  return bareFunc();
}

/** The static type of `e` (set by the checker), or one derived from its form and value. */
export function exprType(e: Expr, v: Con4mValue): Type {
  if (e.ty !== undefined) return resolveType(e.ty);
  switch (e.kind) {
    case "Tuple":
      return isList(v) ? tupleOf(e.items.map((x, i) => exprType(x, v[i]))) : typeOfValue(v);
    case "List":
      return isList(v) && v.length > 0 ? listOf(exprType(e.items[0], v[0])) : typeOfValue(v);
    case "Char":
      return prim("char");
    case "Other": {
      const lit = classifyOtherLiteral(e.text);
      return lit === undefined ? typeOfValue(v) : prim(lit.type);
    }
    case "Callback":
      return e.sig !== undefined ? typeFromSyntax(e.sig) : bareFunc();
    case "TypeLit":
      return typespecOf(isTypespec(v) ? v.type : undefined);
    default:
      return typeOfValue(v);
  }
}

function readAttr(ctx: ExecCtx, path: readonly string[], pos: SourcePos): Con4mValue {
  const item = ctx.state.root.lookup(path);
  if (item === undefined) {
    throw runtimeError(inFn(ctx, `Attribute ${path.join(".")} used before it was set`), pos);
  }
  if (item instanceof AttrScope) {
    throw runtimeError(
      inFn(ctx, "Final target of member operation is a section, not an attribute"),
      pos,
    );
  }
  const v = item.effective;
  if (v === undefined) {
    throw runtimeError(inFn(ctx, `Attribute ${item.path} used before it was set`), pos);
  }
  return v;
}

function readVar(ctx: ExecCtx, name: string, pos: SourcePos): Con4mValue | undefined {
  const slot = ctx.frame.lookup(name);
  if (slot === undefined) return undefined;
  if (slot.value === undefined) {
    throw runtimeError(inFn(ctx, `Variable ${name} used before assignment`), pos);
  }
  return slot.value;
}

/** Resolve a bare name or member chain without checker help. */
function resolveDynamic(ctx: ExecCtx, path: readonly string[], pos: SourcePos): Con4mValue {
  if (path.length === 1) {
    const v = readVar(ctx, path[0], pos);
    if (v !== undefined) return v;
  }
  const scopes = ctx.fn === undefined ? [ctx.section, ctx.state.root] : [ctx.state.root];
  for (const s of scopes) {
    const item = s.lookup(path);
    if (item instanceof Attribute) {
      if (item.effective === undefined) {
        throw runtimeError(inFn(ctx, `Attribute ${item.path} used before it was set`), pos);
      }
      return item.effective;
    }
  }
  throw runtimeError(inFn(ctx, `Variable ${path.join(".")} used before definition`), pos);
}

function numOp(
  op: string,
  a: Con4mValue,
  b: Con4mValue,
  pos: SourcePos,
  ctx: ExecCtx,
): Con4mValue {
  if (typeof a === "bigint" && typeof b === "bigint") {
    switch (op) {
      case "+":
        return checkedInt(a + b, pos);
      case "-":
        return checkedInt(a - b, pos);
      case "*":
        return checkedInt(a * b, pos);
      case "/":
        return Number(a) / Number(b);
      case "%":
        if (b === 0n) throw runtimeError(inFn(ctx, "Division by zero"), pos);
        return a % b;
    }
  }
  if (typeof a === "number" && typeof b === "number") {
    switch (op) {
      case "+":
        return a + b;
      case "-":
        return a - b;
      case "*":
        return a * b;
      case "/":
        return a / b;
      case "%":
        return a % b;
    }
  }
  if (typeof a === "string" && typeof b === "string" && op === "+") {
    const joined = a + b;
    checkSize(joined, ctx.state.limits, pos);
    return joined;
  }
  throw runtimeError(inFn(ctx, `Invalid operand types for '${op}'`), pos);
}

function compare(op: string, a: Con4mValue, b: Con4mValue, pos: SourcePos, ctx: ExecCtx): boolean {
  const ok = (typeof a === "bigint" && typeof b === "bigint") ||
    (typeof a === "number" && typeof b === "number") ||
    (typeof a === "string" && typeof b === "string");
  if (!ok) throw runtimeError(inFn(ctx, "Comparison ops only work on numbers and strings"), pos);
  const x = a as bigint | number | string;
  const y = b as bigint | number | string;
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    default:
      return x >= y;
  }
}

function asBool(v: Con4mValue, pos: SourcePos, ctx: ExecCtx): boolean {
  if (typeof v !== "boolean") throw runtimeError(inFn(ctx, "Expected a boolean value"), pos);
  return v;
}

/** Evaluate a literal, name or type/callback literal (never needs awaiting). */
function evalLeaf(ctx: ExecCtx, e: Expr): Con4mValue {
  switch (e.kind) {
    case "Int":
      return e.value;
    case "Float":
      return e.value;
    case "String":
      return e.value;
    case "Char":
      return BigInt(e.value);
    case "Bool":
      return e.value;
    case "Other": {
      if (typeof e.value === "bigint" || typeof e.value === "string") return e.value;
      const lit = classifyOtherLiteral(e.text);
      if (lit === undefined) throw runtimeError(`Invalid literal: <<${e.text}>>`, e.pos);
      return lit.value;
    }
    case "TypeLit":
      return typespecValue(e.value ?? typeFromSyntax(e.syntax));
    case "Callback": {
      if (e.name === undefined) {
        return typespecValue(e.sig ? typeFromSyntax(e.sig) : bareFunc());
      }
      const sigText = e.sig ? sigToText(typeFromSyntax(e.sig)) : undefined;
      return callbackValue(e.name, sigText);
    }
    case "Ident": {
      if (e.ref?.kind === "attr") return readAttr(ctx, e.ref.path, e.pos);
      if (e.ref?.kind === "var") {
        const v = readVar(ctx, e.ref.name, e.pos);
        if (v !== undefined) return v;
      }
      return resolveDynamic(ctx, [e.name], e.pos);
    }
    case "Member": {
      if (e.ref?.kind === "attr") return readAttr(ctx, e.ref.path, e.pos);
      return resolveDynamic(ctx, e.path, e.pos);
    }
    default:
      throw runtimeError(`internal: ${e.kind} is not a leaf expression`, e.pos);
  }
}

const syncCache = new WeakMap<Expr, boolean>();

/**
 * Can `e` be evaluated without awaiting? True unless it calls a user function or an async
 * builtin (decided once per node; calls through restored snapshots resolve their builtin
 * first).
 */
function isSync(ctx: ExecCtx, e: Expr): boolean {
  const known = syncCache.get(e);
  if (known !== undefined) return known;
  let v: boolean;
  switch (e.kind) {
    case "List":
    case "Tuple":
      v = e.items.every((x) => isSync(ctx, x));
      break;
    case "Dict":
      v = e.entries.every((x) => isSync(ctx, x.key) && isSync(ctx, x.value));
      break;
    case "Index":
      v = isSync(ctx, e.base) && isSync(ctx, e.index);
      break;
    case "Not":
    case "Unary":
      v = isSync(ctx, e.operand);
      break;
    case "Binary":
      v = isSync(ctx, e.left) && isSync(ctx, e.right);
      break;
    case "Call": {
      const t = e.target;
      if (t === undefined || !t.builtin) {
        v = false;
        break;
      }
      if (t.impl === undefined) {
        const found = ctx.state.functions.find(t.name, t.type);
        if (found?.kind !== "builtin") {
          v = false;
          break;
        }
        t.impl = found.def;
      }
      const def = builtinOf(t.impl, t.name);
      v = def !== undefined && !def.async && e.args.every((x) => isSync(ctx, x));
      break;
    }
    default:
      v = true;
  }
  syncCache.set(e, v);
  return v;
}

/** `value`, once it is known to be within the size limits (a literal holding big values). */
function checked<T extends Con4mValue>(ctx: ExecCtx, value: T, pos: SourcePos): T {
  checkSize(value, ctx.state.limits, pos);
  return value;
}

/** Evaluate an expression for which {@linkcode isSync} holds. */
function evalSync(ctx: ExecCtx, e: Expr): Con4mValue {
  switch (e.kind) {
    case "List":
    case "Tuple":
      return checked(ctx, e.items.map((x) => evalSync(ctx, x)), e.pos);
    case "Dict": {
      const d = new Con4mDict();
      for (const { key, value } of e.entries) d.set(evalSync(ctx, key), evalSync(ctx, value));
      return checked(ctx, d, e.pos);
    }
    case "Index":
      return index(ctx, evalSync(ctx, e.base), evalSync(ctx, e.index), e.pos);
    case "Not":
      return !asBool(evalSync(ctx, e.operand), e.operand.pos, ctx);
    case "Unary":
      return negate(ctx, e.op, evalSync(ctx, e.operand), e.pos);
    case "Binary": {
      if (e.op === "&&") {
        return asBool(evalSync(ctx, e.left), e.left.pos, ctx) &&
          asBool(evalSync(ctx, e.right), e.right.pos, ctx);
      }
      if (e.op === "||") {
        return asBool(evalSync(ctx, e.left), e.left.pos, ctx) ||
          asBool(evalSync(ctx, e.right), e.right.pos, ctx);
      }
      return binaryValue(ctx, e, evalSync(ctx, e.left), evalSync(ctx, e.right));
    }
    case "Call": {
      const args: Con4mValue[] = [];
      const argTypes: Type[] = [];
      for (const a of e.args) {
        const v = evalSync(ctx, a);
        args.push(v);
        argTypes.push(exprType(a, v));
      }
      const callee = resolveCallee(ctx, e, argTypes);
      if (callee.kind !== "builtin") {
        throw runtimeError(`internal: call to '${e.name}' is not synchronous`, e.pos);
      }
      const r = callBuiltin(ctx, callee.def, args, argTypes, e.pos);
      if (r instanceof Promise) {
        throw runtimeError(
          inFn(ctx, `builtin '${e.name}' returned a promise; define it with { async: true }`),
          e.pos,
        );
      }
      return r ?? null;
    }
    default:
      return evalLeaf(ctx, e);
  }
}

/** Evaluate an expression. Throws {@linkcode Con4mError} (phase "runtime"). */
export async function evalExpr(ctx: ExecCtx, e: Expr): Promise<Con4mValue> {
  if (isSync(ctx, e)) return evalSync(ctx, e);
  switch (e.kind) {
    case "List":
    case "Tuple": {
      const out: Con4mValue[] = [];
      for (const x of e.items) out.push(await evalExpr(ctx, x));
      return checked(ctx, out, e.pos);
    }
    case "Dict": {
      const d = new Con4mDict();
      for (const { key, value } of e.entries) {
        d.set(await evalExpr(ctx, key), await evalExpr(ctx, value));
      }
      return checked(ctx, d, e.pos);
    }
    case "Index":
      return index(ctx, await evalExpr(ctx, e.base), await evalExpr(ctx, e.index), e.pos);
    case "Not":
      return !asBool(await evalExpr(ctx, e.operand), e.operand.pos, ctx);
    case "Unary": {
      const v = await evalExpr(ctx, e.operand);
      return negate(ctx, e.op, v, e.pos);
    }
    case "Binary":
      return await evalBinary(ctx, e);
    case "Call":
      return await evalCall(ctx, e);
    default:
      return evalLeaf(ctx, e);
  }
}

async function evalBinary(ctx: ExecCtx, e: BinaryExpr): Promise<Con4mValue> {
  if (e.op === "&&") {
    return asBool(await evalExpr(ctx, e.left), e.left.pos, ctx) &&
      asBool(await evalExpr(ctx, e.right), e.right.pos, ctx);
  }
  if (e.op === "||") {
    return asBool(await evalExpr(ctx, e.left), e.left.pos, ctx) ||
      asBool(await evalExpr(ctx, e.right), e.right.pos, ctx);
  }
  return binaryValue(ctx, e, await evalExpr(ctx, e.left), await evalExpr(ctx, e.right));
}

function binaryValue(ctx: ExecCtx, e: BinaryExpr, a: Con4mValue, b: Con4mValue): Con4mValue {
  switch (e.op) {
    case "==":
      return valuesEqual(a, b);
    case "!=":
      return !valuesEqual(a, b);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return compare(e.op, a, b, e.pos, ctx);
    default:
      return numOp(e.op, a, b, e.pos, ctx);
  }
}

function negate(ctx: ExecCtx, op: "+" | "-", v: Con4mValue, pos: SourcePos): Con4mValue {
  if (op === "+") return v;
  if (typeof v === "bigint") return checkedInt(-v, pos);
  if (typeof v === "number") return -v;
  throw runtimeError(inFn(ctx, "Unary operator only works on numeric types"), pos);
}

function sigToText(t: Type): string {
  const s = typeToString(t);
  return s === "func" ? "" : s;
}

function index(ctx: ExecCtx, base: Con4mValue, ix: Con4mValue, pos: SourcePos): Con4mValue {
  if (base instanceof Con4mDict) {
    const v = base.get(ix);
    if (v === undefined) {
      throw runtimeError(
        inFn(ctx, `Runtime error in config: dict key ${String(ix)} not found.`),
        pos,
      );
    }
    return v;
  }
  if (typeof ix !== "bigint") throw runtimeError(inFn(ctx, "Invalid type to index."), pos);
  if (typeof base === "string") {
    const chars = [...base];
    const i = Number(ix);
    if (ix < 0n || i >= chars.length) {
      throw runtimeError(inFn(ctx, "Runtime error in config: string index out of bounds"), pos);
    }
    return BigInt(chars[i].codePointAt(0)!);
  }
  if (isList(base)) {
    if (ix < 0n || ix >= BigInt(base.length)) {
      throw runtimeError(inFn(ctx, "Runtime error in config: array index out of bounds"), pos);
    }
    return base[Number(ix)];
  }
  throw runtimeError(inFn(ctx, "Invalid type to index."), pos);
}

interface CachedCallee {
  table: FunctionTable;
  version: number;
  callee: Callable;
}

const calleeCache = new WeakMap<CallExpr, CachedCallee>();

function resolveCallee(ctx: ExecCtx, e: CallExpr, argTypes: readonly Type[]): Callable {
  const fns = ctx.state.functions;
  const hit = calleeCache.get(e);
  if (hit !== undefined && hit.table === fns && hit.version === fns.version) return hit.callee;
  const callee = lookupCallee(ctx, e, argTypes);
  calleeCache.set(e, { table: fns, version: fns.version, callee });
  return callee;
}

function lookupCallee(ctx: ExecCtx, e: CallExpr, argTypes: readonly Type[]): Callable {
  const t = e.target;
  const fns = ctx.state.functions;
  if (t !== undefined) {
    if (t.builtin) {
      const def = builtinOf(t.impl, t.name);
      if (def !== undefined) return { kind: "builtin", def, sig: t.type };
    }
    const u = fns.findUser(t.name, t.type);
    if (u !== undefined) return { kind: "user", fn: u };
    if (t.def !== undefined && t.def.sig !== undefined) {
      return {
        kind: "user",
        fn: { name: t.name, sig: t.def.sig, def: t.def, file: t.def.pos.file, locked: false },
      };
    }
    const any = fns.find(t.name, t.type);
    if (any !== undefined) {
      if (any.kind === "builtin" && t.builtin) t.impl = any.def;
      return any;
    }
  }
  const sig = funcOf([...argTypes], newTypeVar());
  const found = fns.find(e.name, sig) ?? fns.find(e.name) ?? byArity(ctx, e.name, argTypes.length);
  if (found !== undefined) return found;
  throw runtimeError(inFn(ctx, `No function with the name '${e.name}' was found.`), e.pos);
}

function byArity(ctx: ExecCtx, name: string, n: number): Callable | undefined {
  const fns = ctx.state.functions;
  const users = (fns.user.get(name) ?? []).filter((f) => f.def.formals.length === n);
  if (users.length === 1) return { kind: "user", fn: users[0] };
  const bs = (fns.builtins.get(name) ?? []).filter((b) => {
    const t = b.sig;
    return t.kind === "func" && (t.varargs ? n >= t.params.length - 1 : t.params.length === n);
  });
  return bs.length === 1 ? { kind: "builtin", def: bs[0].def, sig: bs[0].sig } : undefined;
}

function builtinOf(impl: unknown, name: string): BuiltinDef | undefined {
  if (typeof impl === "object" && impl !== null && "impl" in impl && "sig" in impl) {
    return impl as BuiltinDef;
  }
  if (typeof impl === "function") {
    return {
      name,
      sig: "",
      impl: impl as BuiltinDef["impl"],
      async: false,
      doc: "",
      tags: [],
    };
  }
  return undefined;
}

async function evalCall(ctx: ExecCtx, e: CallExpr): Promise<Con4mValue> {
  const args: Con4mValue[] = [];
  const argTypes: Type[] = [];
  for (const a of e.args) {
    const v = await evalExpr(ctx, a);
    args.push(v);
    argTypes.push(exprType(a, v));
  }
  const callee = resolveCallee(ctx, e, argTypes);
  const result = await invoke(ctx, callee, args, argTypes, e.pos);
  if (result === undefined) {
    // A void call used as a value: the checker normally prevents this.
    return null;
  }
  return result;
}

/**
 * Invoke a callable with evaluated arguments. Builtin failures become runtime errors naming
 * the builtin; user functions run in a fresh frame.
 */
export async function invoke(
  ctx: ExecCtx,
  callee: Callable,
  args: readonly Con4mValue[],
  argTypes: readonly Type[],
  pos: SourcePos,
): Promise<Con4mValue | undefined> {
  if (callee.kind === "user") {
    return await callUserFunction(ctx, callee.fn, args, argTypes, pos);
  }
  const r = callBuiltin(ctx, callee.def, args, argTypes, pos);
  if (!(r instanceof Promise)) return r;
  const saved = ctx.state.currentCtx;
  ctx.state.currentCtx = ctx;
  try {
    const value = await r;
    checkSize(value, ctx.state.limits, pos);
    return value;
  } catch (err) {
    throw builtinFailure(ctx, callee.def, err, pos);
  } finally {
    ctx.state.currentCtx = saved;
  }
}

function builtinFailure(ctx: ExecCtx, def: BuiltinDef, err: unknown, pos: SourcePos): Con4mError {
  if (err instanceof Con4mError) return err;
  // A builtin cut short by the deadline (a killed command) failed because time ran out.
  ctx.state.budget?.checkClock(pos);
  const msg = err instanceof BuiltinError
    ? err.reason
    : err instanceof Error
    ? err.message
    : String(err);
  return runtimeError(
    inFn(ctx, `Unhandled error when running builtin call: ${def.name}: ${msg}`),
    pos,
  );
}

/**
 * Call a builtin; synchronous failures become runtime errors naming it. A promise (async
 * builtin) is returned as is for the caller to await.
 */
function callBuiltin(
  ctx: ExecCtx,
  def: BuiltinDef,
  args: readonly Con4mValue[],
  argTypes: readonly Type[],
  pos: SourcePos,
): Con4mValue | undefined | Promise<Con4mValue | undefined> {
  ctx.state.budget?.step(pos);
  const saved = ctx.state.currentCtx;
  ctx.state.currentCtx = ctx;
  try {
    const r = def.impl(args, { argTypes, host: ctx.state.hooks, budget: ctx.state.budget });
    if (!(r instanceof Promise)) checkSize(r, ctx.state.limits, pos);
    return r;
  } catch (err) {
    throw builtinFailure(ctx, def, err, pos);
  } finally {
    ctx.state.currentCtx = saved;
  }
}
