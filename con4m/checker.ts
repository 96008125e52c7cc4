/**
 * Static checker for con4m: name resolution, attribute/section slots, type inference by
 * unification, operator typing, overload resolution and forward references (a second, type-only
 * pass). All errors are reported before anything runs.
 *
 * The checker annotates the parse tree in place: every expression gets `ty`, names get
 * `ref`, calls get `target`, attribute assignments get `fullPath`, function definitions get
 * `sig`, other-literals get `value`, type literals get `value`.
 *
 * @module
 */

import { didYouMean } from "../internal/did_you_mean.ts";
import type {
  AttrAssignStmt,
  Body,
  CallExpr,
  Expr,
  FuncDefStmt,
  FuncRef,
  IdentExpr,
  MemberExpr,
  NameRef,
  ParameterStmt,
  Program,
  SectionStmt,
  SourcePos,
  Stmt,
} from "./ast.ts";
import { binaryResult, MISMATCH_MSG, unaryOk } from "./checker_ops.ts";
import { Con4mError } from "./errors.ts";
import { classifyOtherLiteral } from "./other_literals.ts";
import {
  bareFunc,
  copyType,
  dictOf,
  funcOf,
  type FuncType,
  isConcrete,
  listOf,
  newTypeVar,
  prim,
  prune,
  tBool,
  tChar,
  tFloat,
  tInt,
  tString,
  tupleOf,
  tVoid,
  type Type,
  typeFromSyntax,
  typespecOf,
  typeToString,
  unifies,
  unify,
} from "./types.ts";

/** What an attribute path denotes in the host's attribute tree. */
export type AttrSlot = { kind: "attr"; type: Type } | { kind: "section" };

/** A persistent variable (export or enum member) visible to the file. */
export interface GlobalVar {
  /** Its type. */
  type: Type;
  /** Enum members are read-only. */
  readOnly?: boolean;
}

/**
 * What the host (stack/runtime) tells the checker about the state before this file.
 * Every member is optional: an empty env checks a file standalone.
 */
export interface CheckEnv {
  /**
   * Functions visible by name: builtins (`builtin: true`, `impl` = host payload) and user
   * functions of earlier stack steps. Return `undefined` or `[]` for unknown names.
   */
  functions?: (name: string) => readonly FuncRef[] | undefined;
  /** Every function name visible (for "did you mean" in errors). */
  functionNames?: () => Iterable<string>;
  /** Existing attribute tree: what an absolute path denotes, `undefined` when absent. */
  attr?: (path: readonly string[]) => AttrSlot | undefined;
  /** Persistent variables (exports, enum members) from earlier steps. */
  globals?: ReadonlyMap<string, GlobalVar>;
}

/** Everything the checker learned about a file. */
export interface CheckResult {
  /** Errors (empty when the file is well typed). */
  errors: Con4mError[];
  /** Functions defined by the file, in source order (`def.sig` is set). */
  functions: FuncRef[];
  /** Attributes the file creates or assigns: dotted absolute path → type. */
  attrs: Map<string, Type>;
  /** Sections the file opens or creates (dotted absolute paths, `""` excluded). */
  sections: Set<string>;
  /** Persistent variables the file adds (exports and enum members), with their types. */
  globals: Map<string, GlobalVar>;
}

interface VarInfo {
  type: Type;
  readOnly: boolean;
}

class Scope {
  readonly vars: Map<string, VarInfo> = new Map();
  constructor(readonly parent: Scope | null) {}
  find(name: string): VarInfo | undefined {
    const v = this.vars.get(name);
    if (v !== undefined) return v;
    return this.parent?.find(name);
  }
}

interface FnCtx {
  def: FuncDefStmt;
  ret: Type;
  sawResult: boolean;
}

interface Ctx {
  scope: Scope;
  section: string[];
  fn: FnCtx | null;
  loop: boolean;
}

interface LocalFunc {
  ref: FuncRef;
  def: FuncDefStmt;
  checkedPass: number;
  /** A duplicate implementation (reported once, then ignored for calls). */
  duplicate: boolean;
}

// `sensitive` is accepted by the con4m chalk HEAD pins (used by chalk's sample configs).
const PARAM_PROPS = new Set(["doc", "shortdoc", "default", "validator", "sensitive"]);
const INT64_MAX = (1n << 63n) - 1n;

class Checker {
  readonly env: CheckEnv;
  pass = 1;
  needPass2 = false;
  structural: Con4mError[] = [];
  typing: Con4mError[] = [];
  readonly attrs: Map<string, AttrSlot> = new Map();
  readonly envAttrCache: Map<string, AttrSlot | null> = new Map();
  readonly localFuncs: Map<string, LocalFunc[]> = new Map();
  readonly funcOrder: LocalFunc[] = [];
  persistent: Map<string, VarInfo> = new Map();
  newGlobals: Map<string, GlobalVar> = new Map();
  readonly createdAttrs: Map<string, Type> = new Map();
  readonly createdSections: Set<string> = new Set();

  constructor(env: CheckEnv) {
    this.env = env;
  }

  // ------------------------------------------------------------------ errors

  /** Structural errors are reported once (first pass); typing errors by the last pass. */
  err(kind: "structural" | "typing", msg: string, pos: SourcePos): void {
    if (kind === "structural") {
      if (this.pass === 1) this.structural.push(new Con4mError("check", msg, pos));
    } else this.typing.push(new Con4mError("check", msg, pos));
  }

  // ------------------------------------------------------------------ attributes

  readonly reportedConflicts: Set<string> = new Set();

  /** Report an attribute/section conflict once per message. */
  conflict(msg: string, pos: SourcePos): void {
    if (this.reportedConflicts.has(msg)) return;
    this.reportedConflicts.add(msg);
    this.err("structural", msg, pos);
  }

  slot(path: readonly string[]): AttrSlot | undefined {
    const key = path.join(".");
    const local = this.attrs.get(key);
    if (local !== undefined) return local;
    let cached = this.envAttrCache.get(key);
    if (cached === undefined) {
      const s = this.env.attr?.(path);
      cached = s === undefined
        ? null
        : s.kind === "attr"
        ? { kind: "attr", type: copyType(s.type) }
        : s;
      this.envAttrCache.set(key, cached);
    }
    return cached ?? undefined;
  }

  /** Ensure every prefix of `path` is a section; false (and an error) on conflict. */
  ensureSections(path: readonly string[], pos: SourcePos): boolean {
    for (let i = 1; i <= path.length; i++) {
      const p = path.slice(0, i);
      const s = this.slot(p);
      if (s?.kind === "attr") {
        this.conflict(`${p.join(".")}: should be a section, but already have it as an attr`, pos);
        return false;
      }
      if (s === undefined) {
        const key = p.join(".");
        this.attrs.set(key, { kind: "section" });
        this.createdSections.add(key);
      }
    }
    return true;
  }

  // ------------------------------------------------------------------ functions

  functionsNamed(name: string): FuncRef[] {
    const local = (this.localFuncs.get(name) ?? []).filter((f) => !f.duplicate).map((f) => f.ref);
    const env = this.env.functions?.(name) ?? [];
    const out = [...local];
    for (const f of env) {
      if (f.builtin || !local.some((l) => unifies(copyType(l.type), copyType(f.type)))) {
        out.push(f);
      }
    }
    return out;
  }

  hasBuiltin(name: string): boolean {
    return (this.env.functions?.(name) ?? []).some((f) => f.builtin);
  }

  hasFunction(name: string): boolean {
    return this.localFuncs.has(name) || (this.env.functions?.(name) ?? []).length > 0;
  }

  registerFunctions(body: Body): void {
    for (const s of body.stmts) {
      if (s.kind !== "FuncDef") continue;
      const vars = new Map();
      const params = s.formals.map((f) => f.type ? typeFromSyntax(f.type, vars) : newTypeVar());
      const sig = funcOf(params, newTypeVar());
      s.sig = sig;
      const ref: FuncRef = { name: s.name, type: sig, builtin: false, def: s };
      const lf: LocalFunc = { ref, def: s, checkedPass: 0, duplicate: false };
      const list = this.localFuncs.get(s.name) ?? [];
      list.push(lf);
      this.localFuncs.set(s.name, list);
      this.funcOrder.push(lf);
    }
  }

  // ------------------------------------------------------------------ variables

  lookupVar(ctx: Ctx, name: string): VarInfo | undefined {
    return ctx.scope.find(name) ?? this.persistent.get(name);
  }

  defineConflict(ctx: Ctx, name: string, pos: SourcePos): boolean {
    if (this.hasFunction(name)) {
      this.err("structural", `Can't re-define name ${name}: Conflicts with existing function`, pos);
      return true;
    }
    const here = this.slot([...ctx.section, name]);
    const root = ctx.section.length > 0 ? this.slot([name]) : undefined;
    if (here !== undefined || root !== undefined) {
      this.err(
        "structural",
        `Can't re-define name ${name}: Conflicts with existing in-scope attribute`,
        pos,
      );
      return true;
    }
    return false;
  }

  assignVar(ctx: Ctx, name: string, t: Type, pos: SourcePos): void {
    if (name === "result") {
      if (ctx.fn === null) {
        this.err(
          "structural",
          "Cannot assign to special variable 'result' outside a function definition.",
          pos,
        );
        return;
      }
      ctx.fn.sawResult = true;
      if (!unify(ctx.fn.ret, t)) {
        this.err(
          "typing",
          `Assignment of result doesn't match its previous type ('${
            typeToString(ctx.fn.ret)
          }' vs '${typeToString(t)}')`,
          pos,
        );
      }
      return;
    }
    const v = this.lookupVar(ctx, name);
    if (v !== undefined) {
      if (v.readOnly) {
        this.err("structural", `Cannot assign to the (locked) value ${name}`, pos);
        return;
      }
      if (!unify(v.type, t)) {
        this.err(
          "typing",
          `Assignment of ${name} doesn't match its previous type ('${typeToString(v.type)}' vs '${
            typeToString(t)
          }')`,
          pos,
        );
      }
      return;
    }
    this.defineConflict(ctx, name, pos);
    ctx.scope.vars.set(name, { type: t, readOnly: false });
  }

  // ------------------------------------------------------------------ program

  run(program: Program): void {
    this.registerFunctions(program.body);
    this.checkProgramPass(program);
    if (this.needPass2) {
      this.pass = 2;
      this.typing = [];
      this.checkProgramPass(program);
    }
  }

  checkProgramPass(program: Program): void {
    this.persistent = new Map();
    for (const [n, g] of this.env.globals ?? []) {
      this.persistent.set(n, { type: copyType(g.type), readOnly: g.readOnly ?? false });
    }
    this.newGlobals = new Map();
    const ctx: Ctx = { scope: new Scope(null), section: [], fn: null, loop: false };
    this.checkStmts(program.body.stmts, ctx);
  }

  checkBody(body: Body, ctx: Ctx): void {
    this.checkStmts(body.stmts, { ...ctx, scope: new Scope(ctx.scope) });
  }

  checkStmts(stmts: readonly Stmt[], ctx: Ctx): void {
    for (const s of stmts) this.checkStmt(s, ctx);
  }

  checkStmt(s: Stmt, ctx: Ctx): void {
    switch (s.kind) {
      case "AttrAssign":
        return this.checkAttrAssign(s, ctx);
      case "VarAssign": {
        const t = this.expr(s.value, ctx);
        this.assignVar(ctx, s.name, t, s.pos);
        return;
      }
      case "Unpack": {
        const t = prune(this.expr(s.value, ctx));
        let items: Type[];
        if (t.kind === "var") {
          items = s.names.map(() => newTypeVar());
          unify(t, tupleOf(items));
        } else if (t.kind !== "tuple") {
          this.err("typing", "Trying to unpack a value that is not a tuple.", s.pos);
          return;
        } else if (t.items.length !== s.names.length) {
          this.err("typing", "Trying to unpack a tuple of the wrong size.", s.pos);
          return;
        } else items = t.items;
        s.names.forEach((n, i) => this.assignVar(ctx, n, items[i], s.pos));
        return;
      }
      case "Section":
        return this.checkSection(s, ctx);
      case "If":
        for (const b of s.branches) {
          const t = this.expr(b.cond, ctx);
          if (!unify(t, tBool)) {
            this.err("typing", "If conditional must evaluate to a boolean", b.cond.pos);
          }
          this.checkBody(b.body, ctx);
        }
        if (s.elseBody) this.checkBody(s.elseBody, ctx);
        return;
      case "For": {
        for (const e of [s.from, s.to]) {
          if (!unify(this.expr(e, ctx), tInt)) {
            this.err("typing", "For index ranges must be integers.", e.pos);
          }
        }
        const scope = new Scope(ctx.scope);
        scope.vars.set(s.varName, { type: tInt, readOnly: true });
        this.checkStmts(s.body.stmts, { ...ctx, scope, loop: true });
        return;
      }
      case "Break":
      case "Continue":
        return;
      case "Return":
        if (ctx.fn === null) {
          this.err("structural", "Return not allowed outside function definition", s.pos);
          if (s.value) this.expr(s.value, ctx);
          return;
        }
        if (s.value) {
          const t = this.expr(s.value, ctx);
          ctx.fn.sawResult = true;
          if (!unify(ctx.fn.ret, t)) {
            this.err(
              "typing",
              `Return type doesn't match the function's result type ('${
                typeToString(ctx.fn.ret)
              }' vs '${typeToString(t)}')`,
              s.pos,
            );
          }
        }
        return;
      case "FuncDef":
        return this.checkFuncDef(s);
      case "VarDecl": {
        const vars = new Map();
        for (const n of s.names) {
          const t = typeFromSyntax(s.type, vars);
          if (n === "result") {
            this.err("structural", "'result' cannot be declared with var", s.pos);
            continue;
          }
          const existing = ctx.scope.vars.get(n);
          if (existing !== undefined) {
            if (!unify(existing.type, t)) {
              this.err("typing", "Declared type conflicts with existing type", s.pos);
            }
            continue;
          }
          this.defineConflict(ctx, n, s.pos);
          ctx.scope.vars.set(n, { type: t, readOnly: false });
        }
        return;
      }
      case "Export":
        for (const n of s.names) {
          const v = ctx.scope.find(n) ?? this.persistent.get(n);
          if (v === undefined) {
            this.err("typing", `Variable ${n} used before definition`, s.pos);
            continue;
          }
          this.persistent.set(n, v);
          this.newGlobals.set(n, { type: v.type, readOnly: v.readOnly });
        }
        return;
      case "Enum":
        for (const n of s.names) {
          if (this.lookupVar(ctx, n) !== undefined || this.hasFunction(n)) {
            this.err("structural", `Can't re-define name ${n}: already defined`, s.pos);
            continue;
          }
          const v: VarInfo = { type: tInt, readOnly: true };
          ctx.scope.vars.set(n, v);
          this.persistent.set(n, v);
          this.newGlobals.set(n, { type: tInt, readOnly: true });
        }
        return;
      case "Use":
        return;
      case "Parameter":
        return this.checkParameter(s, ctx);
      case "ExprStmt":
        this.expr(s.expr, ctx);
        return;
    }
  }

  checkAttrAssign(s: AttrAssignStmt, ctx: Ctx): void {
    const t = this.expr(s.value, ctx);
    const full = [...(ctx.fn ? [] : ctx.section), ...s.path];
    s.fullPath = full;
    if (s.path.includes("result")) {
      this.err(
        "structural",
        "'result' is a reserved word in con4m, and cannot be used for attributes",
        s.pos,
      );
      return;
    }
    this.declareAttr(
      full,
      t,
      s.pos,
      (key, existing) =>
        `Attribute assignment of ${key} doesn't match previous type ('${
          typeToString(existing)
        }' vs '${typeToString(t)}')`,
    );
  }

  /**
   * Declares (or re-types) the attribute at `full` with type `t`: its sections
   * must exist, it must not be a section, and a second declaration must unify
   * with the first (`mismatch` words the error).
   */
  declareAttr(
    full: readonly string[],
    t: Type,
    pos: SourcePos,
    mismatch: (key: string, existing: Type) => string,
  ): void {
    if (!this.ensureSections(full.slice(0, -1), pos)) return;
    const key = full.join(".");
    const existing = this.slot(full);
    if (existing?.kind === "section") {
      this.conflict(`${key}: should be an attr, but already have it as a section`, pos);
      return;
    }
    if (existing === undefined) {
      this.attrs.set(key, { kind: "attr", type: t });
      if (!this.createdAttrs.has(key)) this.createdAttrs.set(key, t);
      return;
    }
    if (!this.createdAttrs.has(key)) this.createdAttrs.set(key, existing.type);
    if (!unify(existing.type, t)) this.err("typing", mismatch(key, existing.type), pos);
  }

  checkSection(s: SectionStmt, ctx: Ctx): void {
    if (ctx.fn !== null) {
      this.err("structural", "Cannot introduce a section within a function", s.pos);
      return;
    }
    if (this.hasFunction(s.name)) {
      this.err(
        "structural",
        `Can't re-define name ${s.name}: Conflicts with existing function`,
        s.pos,
      );
    } else if (this.lookupVar(ctx, s.name) !== undefined) {
      this.err(
        "structural",
        `Can't re-define name ${s.name}: Conflicts with existing variable`,
        s.pos,
      );
    }
    const path = [...ctx.section, s.name, ...(s.label !== undefined ? [s.label] : [])];
    this.ensureSections(path, s.pos);
    if (s.body) {
      this.checkStmts(s.body.stmts, { ...ctx, scope: new Scope(ctx.scope), section: path });
    }
  }

  checkFuncDef(s: FuncDefStmt): void {
    const lf = (this.localFuncs.get(s.name) ?? []).find((f) => f.def === s)!;
    const sig = s.sig as FuncType;
    if (this.pass === 1) {
      if (this.hasBuiltin(s.name)) {
        this.err("structural", "Function name conflicts with a builtin function", s.pos);
      } else if (this.persistent.has(s.name)) {
        this.err(
          "structural",
          `Can't re-define name ${s.name}: Conflicts with existing variable`,
          s.pos,
        );
      }
    }
    if (this.pass === 1) {
      // Detect a duplicate from the declared shape first, so calls ignore it.
      const dupeOf = (this.localFuncs.get(s.name) ?? []).find((o) =>
        o !== lf && o.checkedPass > 0 && !o.duplicate &&
        o.def.formals.length === s.formals.length &&
        unifies(copyType(o.ref.type), copyType(sig))
      );
      if (dupeOf !== undefined) lf.duplicate = true;
    }
    const scope = new Scope(null);
    s.formals.forEach((f, i) => {
      if (scope.vars.has(f.name)) {
        this.err("structural", `Duplicate parameter name ${f.name}`, f.pos);
      }
      scope.vars.set(f.name, { type: sig.params[i], readOnly: false });
    });
    const fn: FnCtx = { def: s, ret: sig.ret, sawResult: false };
    this.checkStmts(s.body.stmts, { scope, section: [], fn, loop: false });
    if (!fn.sawResult && prune(sig.ret).kind === "var") unify(sig.ret, tVoid);
    lf.checkedPass = this.pass;
    if (this.pass === 1) {
      for (const other of this.localFuncs.get(s.name) ?? []) {
        if (other === lf) break;
        if (!other.duplicate && unifies(copyType(other.ref.type), copyType(sig))) {
          this.err("structural", `Duplicate implementation of function '${s.name}'`, s.pos);
          lf.duplicate = true;
          break;
        }
      }
    }
  }

  checkParameter(s: ParameterStmt, ctx: Ctx): void {
    const seen = new Set<string>();
    const t: Type = newTypeVar();
    for (const p of s.props) {
      if (!PARAM_PROPS.has(p.name)) {
        this.err(
          "structural",
          "Parameter properties must be one of: doc, shortdoc, default, validator, sensitive",
          p.pos,
        );
        continue;
      }
      if (seen.has(p.name)) {
        this.err("structural", "Dupliciate parameter property setting not allowed.", p.pos);
      }
      seen.add(p.name);
      const pt = this.expr(p.value, ctx);
      switch (p.name) {
        case "sensitive":
          if (!unify(pt, tBool)) {
            this.err("typing", "Parameter 'sensitive' must be a bool", p.pos);
          }
          break;
        case "doc":
        case "shortdoc":
          if (p.value.kind !== "String") {
            this.err("typing", `Parameter '${p.name}' must be a string literal`, p.pos);
          }
          break;
        case "default": {
          // A literal, or a callback computing it.
          const d = prune(pt);
          const vt = d.kind === "func" && p.value.kind === "Callback"
            ? (d.bare ? newTypeVar() : d.ret)
            : pt;
          if (!unify(t, vt)) {
            this.err("typing", "Parameter default doesn't match the parameter's type", p.pos);
          }
          break;
        }
        case "validator": {
          const v = prune(pt);
          if (v.kind !== "func") {
            this.err("typing", "Parameter validator must be a callback", p.pos);
          } else if (!v.bare) {
            if (v.params.length !== 1 || !unify(v.params[0], t) || !unify(v.ret, tString)) {
              this.err(
                "typing",
                "Parameter validator must have the signature func (T) -> string",
                p.pos,
              );
            }
          }
          break;
        }
      }
    }
    if (s.isVar) {
      const name = s.path[0];
      const existing = this.lookupVar(ctx, name);
      if (existing !== undefined) {
        if (!unify(existing.type, t)) {
          this.err("typing", `Parameter ${name} doesn't match the variable's type`, s.pos);
        }
      } else {
        ctx.scope.vars.set(name, { type: t, readOnly: false });
      }
      return;
    }
    this.declareAttr(
      [...ctx.section, ...s.path],
      t,
      s.pos,
      (key) => `Parameter ${key} doesn't match the attribute's type`,
    );
  }

  // ------------------------------------------------------------------ expressions

  expr(e: Expr, ctx: Ctx): Type {
    const t = this.exprInner(e, ctx);
    e.ty = t;
    return t;
  }

  exprInner(e: Expr, ctx: Ctx): Type {
    switch (e.kind) {
      case "Int":
        if (e.value > INT64_MAX) this.err("typing", "Number too large for int type.", e.pos);
        return tInt;
      case "Float":
        return tFloat;
      case "String":
        return tString;
      case "Char":
        return tChar;
      case "Bool":
        return tBool;
      case "Other": {
        const c = classifyOtherLiteral(e.text);
        if (c === undefined) {
          this.err("typing", `Invalid literal: <<${e.text}>>`, e.pos);
          return newTypeVar();
        }
        e.value = c.value;
        return prim(c.type);
      }
      case "List": {
        const item = newTypeVar();
        for (const x of e.items) {
          if (!unify(item, this.expr(x, ctx))) {
            this.err("typing", "List items must all be the same type", x.pos);
          }
        }
        return listOf(item);
      }
      case "Dict": {
        const k = newTypeVar();
        const v = newTypeVar();
        for (const en of e.entries) {
          const kt = this.expr(en.key, ctx);
          const vt = this.expr(en.value, ctx);
          if (!unify(k, kt) || !unify(v, vt)) {
            this.err("typing", "Dict items must all be the same type.", en.key.pos);
          }
        }
        return dictOf(k, v);
      }
      case "Tuple":
        return tupleOf(e.items.map((x) => this.expr(x, ctx)));
      case "TypeLit": {
        const value = typeFromSyntax(e.syntax);
        e.value = value;
        return typespecOf(value);
      }
      case "Callback":
        if (e.name === undefined) {
          return typespecOf(e.sig ? typeFromSyntax(e.sig) : bareFunc());
        }
        return e.sig ? typeFromSyntax(e.sig) : bareFunc();
      case "Ident":
        return this.ident(e, ctx);
      case "Member":
        return this.member(e, ctx);
      case "Index":
        return this.index(e.base, e.index, ctx, e.pos);
      case "Not": {
        const t = this.expr(e.operand, ctx);
        if (!unify(t, tBool)) {
          this.err("typing", "'not' / '!' requires a boolean operand", e.pos);
        }
        return tBool;
      }
      case "Unary": {
        const t = this.expr(e.operand, ctx);
        if (!unaryOk(t)) {
          this.err("typing", "Unary operator only works on numeric types", e.pos);
        }
        return t;
      }
      case "Binary": {
        const l = this.expr(e.left, ctx);
        const r = this.expr(e.right, ctx);
        if (e.op === "&&" || e.op === "||") {
          if (!unify(l, tBool) || !unify(r, tBool)) {
            this.err("typing", "Each side of || and && expressions must eval to a bool", e.pos);
          }
          return tBool;
        }
        if (!unify(l, r)) {
          this.err(
            "typing",
            `${MISMATCH_MSG} ('${typeToString(l)}' vs '${typeToString(r)}')`,
            e.pos,
          );
          return e.op === "/" ? tFloat : ["+", "-", "*", "%"].includes(e.op) ? newTypeVar() : tBool;
        }
        const res = binaryResult(e.op, l);
        if (!res.ok) {
          this.err("typing", `${res.message} ('${typeToString(l)}')`, e.pos);
          return newTypeVar();
        }
        return res.type;
      }
      case "Call":
        return this.call(e, ctx);
    }
  }

  attrRef(path: string[], t: Type): { ref: NameRef; type: Type } {
    return { ref: { kind: "attr", path }, type: t };
  }

  ident(e: IdentExpr, ctx: Ctx): Type {
    if (e.name === "result" && ctx.fn !== null) {
      e.ref = { kind: "var", name: "result" };
      return ctx.fn.ret;
    }
    const v = this.lookupVar(ctx, e.name);
    if (v !== undefined) {
      e.ref = { kind: "var", name: e.name };
      return v.type;
    }
    const bases = ctx.fn || ctx.section.length === 0 ? [[]] : [ctx.section, []];
    for (const base of bases) {
      const path = [...base, e.name];
      const s = this.slot(path);
      if (s === undefined) continue;
      if (s.kind === "section") {
        this.err("typing", `${e.name} is a section, not an attribute`, e.pos);
        return newTypeVar();
      }
      e.ref = { kind: "attr", path };
      return s.type;
    }
    this.err("typing", `Variable ${e.name} used before definition`, e.pos);
    return newTypeVar();
  }

  member(e: MemberExpr, ctx: Ctx): Type {
    const bases = ctx.fn || ctx.section.length === 0 ? [[]] : [ctx.section, []];
    const dotted = e.path.join(".");
    if (this.lookupVar(ctx, e.path[0]) !== undefined) {
      this.err("typing", `${e.path[0]} is a variable; it has no member ${e.path[1]}`, e.pos);
      return newTypeVar();
    }
    for (const base of bases) {
      const first = this.slot([...base, e.path[0]]);
      if (first === undefined) continue;
      if (first.kind !== "section") break;
      const path = [...base, ...e.path];
      for (let i = 2; i < e.path.length; i++) {
        const s = this.slot([...base, ...e.path.slice(0, i)]);
        if (s?.kind !== "section") {
          this.err("typing", `Attribute ${dotted} not found`, e.pos);
          return newTypeVar();
        }
      }
      const last = this.slot(path);
      if (last === undefined) break;
      if (last.kind === "section") {
        this.err(
          "typing",
          "Final target of member operation is a section, not an attribute",
          e.pos,
        );
        return newTypeVar();
      }
      e.ref = { kind: "attr", path };
      return last.type;
    }
    this.err("typing", `Attribute ${dotted} used before definition`, e.pos);
    return newTypeVar();
  }

  index(base: Expr, ix: Expr, ctx: Ctx, pos: SourcePos): Type {
    let bt = prune(this.expr(base, ctx));
    const it = this.expr(ix, ctx);
    if (bt.kind === "var") {
      const pi = prune(it);
      const guess = pi.kind === "prim" && pi.name === "int"
        ? listOf(newTypeVar())
        : dictOf(it, newTypeVar());
      unify(bt, guess);
      bt = prune(bt);
    }
    switch (bt.kind) {
      case "prim":
        if (bt.name === "string") {
          if (!unify(it, tInt)) this.err("typing", "Invalid type to index.", pos);
          return tChar;
        }
        break;
      case "list":
        if (!unify(it, tInt)) this.err("typing", "Invalid type to index.", pos);
        return bt.item;
      case "tuple": {
        if (ix.kind !== "Int") {
          this.err(
            "typing",
            "Tuple index must be an integer literal for static type checking",
            pos,
          );
          return newTypeVar();
        }
        const n = Number(ix.value);
        if (n < 0 || n >= bt.items.length) {
          this.err("typing", "Tuple index out of bounds", pos);
          return newTypeVar();
        }
        return bt.items[n];
      }
      case "dict": {
        const k = prune(bt.key);
        if (k.kind === "prim" && !["string", "int", "char"].includes(k.name)) {
          this.err("typing", "Dict indicies can only be strings or ints", pos);
        }
        if (!unify(bt.key, it)) this.err("typing", "Invalid type to index.", pos);
        return bt.value;
      }
      default:
        break;
    }
    this.err("typing", `Invalid type to index. ('${typeToString(bt)}')`, pos);
    return newTypeVar();
  }

  call(e: CallExpr, ctx: Ctx): Type {
    const argTypes = e.args.map((a) => this.expr(a, ctx));
    const ret = newTypeVar();
    const callType = funcOf(argTypes, ret);
    const cands = this.functionsNamed(e.name);
    if (cands.length === 0) {
      const known = [...this.localFuncs.keys(), ...(this.env.functionNames?.() ?? [])];
      this.err(
        "typing",
        `No function with the name '${e.name}' was found.${didYouMean(e.name, known)}`,
        e.pos,
      );
      return newTypeVar();
    }
    const matches = cands.filter((c) => unifies(copyType(c.type), callType));
    const forward = (c: FuncRef): boolean =>
      c.def !== undefined &&
      (this.localFuncs.get(c.name) ?? []).some((f) => f.def === c.def && f.checkedPass < this.pass);
    if (matches.length === 1) {
      const m = matches[0];
      unify(copyType(m.type), callType);
      e.target = m;
      if (forward(m) && this.pass === 1) this.needPass2 = true;
      return prune(ret);
    }
    if (matches.length === 0) {
      if (cands.some(forward) && this.pass === 1) {
        this.needPass2 = true;
        return ret;
      }
      if (e.name === "echo") {
        e.target = cands[0];
        return tVoid;
      }
      const sig = `${e.name}(${argTypes.map(typeToString).join(", ")})`;
      const options = cands.map((c) => `${c.name}${sigText(c.type)}`).join(", ");
      this.err(
        "typing",
        `Could not find an implementation for the function '${sig}' Perhaps you meant: ${options}`,
        e.pos,
      );
      return ret;
    }
    // Several candidates match.
    if (this.pass === 1 && (argTypes.some((t) => !isConcrete(t)) || matches.some(forward))) {
      this.needPass2 = true;
      return ret;
    }
    const sig = `${e.name}(${argTypes.map(typeToString).join(", ")})`;
    this.err(
      "typing",
      `Ambiguous call (matched multiple implementations): ${sig}; declare parameter types to disambiguate`,
      e.pos,
    );
    return ret;
  }
}

function sigText(t: Type): string {
  const s = typeToString(t);
  return s.startsWith("(") ? s : `(${s})`;
}

/**
 * Check a parsed program against the host state in `env` and return everything learned
 * (errors, functions defined, attribute slots, new persistent variables). Annotates the
 * program's nodes in place.
 */
export function analyzeProgram(program: Program, env: CheckEnv = {}): CheckResult {
  const c = new Checker(env);
  c.run(program);
  const errors = [...c.structural, ...c.typing].sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : 0
  );
  return {
    errors,
    functions: c.funcOrder.map((f) => f.ref),
    attrs: c.createdAttrs,
    sections: c.createdSections,
    globals: c.newGlobals,
  };
}

/**
 * Type-check a parsed program against the host state in `env`; returns the errors (empty when the
 * program is well typed). Annotates the program in place (see module doc).
 *
 * @example
 * ```ts
 * const errs = checkProgram(parseCon4m("x := 1 + \"a\"\n", "a.c4m"), {});
 * errs[0].message; // "a.c4m:1:6: Types of left and right side of binary ops must match …"
 * ```
 */
export function checkProgram(program: Program, env: CheckEnv = {}): Con4mError[] {
  return analyzeProgram(program, env).errors;
}
