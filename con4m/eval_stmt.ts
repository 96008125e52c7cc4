/**
 * Statement evaluation: attribute and variable assignment, sections, `if`, `for`, `return`, `var`,
 * `export`, `enum`, and the hooks for `use`/`parameter`.
 *
 * @module
 */

import type { AttrAssignStmt, Body, SectionStmt, Stmt } from "./ast.ts";
import { AttrTreeError } from "./attributes.ts";
import { execParameter, execUse } from "./components.ts";
import { runtimeError } from "./eval_state.ts";
import { evalExpr, type ExecCtx, exprType, inFn } from "./eval_expr.ts";
import { Frame } from "./scopes.ts";
import { tInt, typeFromSyntax } from "./types.ts";
import { isList } from "./values.ts";

/** How a block ended. */
export enum Signal {
  /** Ran to the end. */
  Normal,
  /** `break`. */
  Break,
  /** `continue`. */
  Continue,
  /** `return`. */
  Return,
}

/**
 * Run the statements of `body` in `frame` (the caller chooses whether that is a new block
 * frame). Function definitions are skipped (they are registered before evaluation).
 */
export async function execBody(ctx: ExecCtx, body: Body, frame: Frame): Promise<Signal> {
  const inner = frame === ctx.frame ? ctx : { ...ctx, frame };
  const state = ctx.state;
  for (const s of body.stmts) {
    state.budget?.step(s.pos);
    const sig = await execStmt(inner, s);
    if (sig !== Signal.Normal) return sig;
  }
  return Signal.Normal;
}

async function execAttrAssign(ctx: ExecCtx, s: AttrAssignStmt): Promise<void> {
  const value = await evalExpr(ctx, s.value);
  const type = exprType(s.value, value);
  const path = s.fullPath ??
    (ctx.fn === undefined ? [...splitNonEmpty(ctx.section.path), ...s.path] : s.path);
  let out;
  try {
    out = ctx.state.root.setAttr(path, value, type, { lock: s.lock || ctx.lockAll });
  } catch (err) {
    if (err instanceof AttrTreeError) throw runtimeError(inFn(ctx, err.reason), s.pos);
    throw err;
  }
  if (!out.ok) throw runtimeError(inFn(ctx, out.reason), s.pos);
}

function splitNonEmpty(p: string): string[] {
  return p === "" ? [] : p.split(".");
}

async function execSection(ctx: ExecCtx, s: SectionStmt): Promise<Signal> {
  if (ctx.fn !== undefined) {
    throw runtimeError("Cannot introduce a section within a function", s.pos);
  }
  const path = s.label === undefined ? [s.name] : [s.name, s.label];
  let scope;
  try {
    scope = ctx.section.ensureScope(path);
  } catch (err) {
    if (err instanceof AttrTreeError) throw runtimeError(err.reason, s.pos);
    throw err;
  }
  if (s.body === null) return Signal.Normal;
  const sig = await execBody({ ...ctx, section: scope }, s.body, new Frame(ctx.frame));
  return sig;
}

/** Run one statement. */
export async function execStmt(ctx: ExecCtx, s: Stmt): Promise<Signal> {
  switch (s.kind) {
    case "AttrAssign":
      await execAttrAssign(ctx, s);
      return Signal.Normal;
    case "VarAssign": {
      const v = await evalExpr(ctx, s.value);
      if (s.name === "result" && ctx.fn === undefined) {
        throw runtimeError(
          "Cannot assign to special variable 'result' outside a function definition.",
          s.pos,
        );
      }
      if (ctx.frame.assign(s.name, v, exprType(s.value, v)) === undefined) {
        throw runtimeError(inFn(ctx, `Cannot assign to the (locked) value ${s.name}`), s.pos);
      }
      return Signal.Normal;
    }
    case "Unpack": {
      const v = await evalExpr(ctx, s.value);
      if (!isList(v)) {
        throw runtimeError(inFn(ctx, "Trying to unpack a value that is not a tuple."), s.pos);
      }
      if (v.length !== s.names.length) {
        throw runtimeError(inFn(ctx, "Trying to unpack a tuple of the wrong size."), s.pos);
      }
      const t = s.value.ty;
      s.names.forEach((n, i) => {
        const tt = t !== undefined && t.kind === "tuple" ? t.items[i] : undefined;
        if (ctx.frame.assign(n, v[i], tt) === undefined) {
          throw runtimeError(inFn(ctx, `Cannot assign to the (locked) value ${n}`), s.pos);
        }
      });
      return Signal.Normal;
    }
    case "Section":
      return await execSection(ctx, s);
    case "If": {
      for (const b of s.branches) {
        const c = await evalExpr(ctx, b.cond);
        if (typeof c !== "boolean") {
          throw runtimeError(inFn(ctx, "If conditional must evaluate to a boolean"), b.pos);
        }
        if (c) return await execBody(ctx, b.body, new Frame(ctx.frame));
      }
      if (s.elseBody !== undefined) return await execBody(ctx, s.elseBody, new Frame(ctx.frame));
      return Signal.Normal;
    }
    case "For": {
      const from = await evalExpr(ctx, s.from);
      const to = await evalExpr(ctx, s.to);
      if (typeof from !== "bigint" || typeof to !== "bigint") {
        throw runtimeError(inFn(ctx, "For index ranges must be integers."), s.pos);
      }
      const up = from < to;
      const first = up ? from : from - 1n;
      for (let i = first; up ? i < to : i >= to; i += up ? 1n : -1n) {
        // An empty body runs no statement: the iteration itself is the step.
        ctx.state.budget?.step(s.pos);
        const f = new Frame(ctx.frame);
        f.declare(s.varName, { value: i, type: tInt, readonly: true });
        const sig = await execBody(ctx, s.body, f);
        if (sig === Signal.Break) break;
        if (sig === Signal.Return) return sig;
      }
      return Signal.Normal;
    }
    case "Break":
      return Signal.Break;
    case "Continue":
      return Signal.Continue;
    case "Return": {
      if (ctx.fn === undefined) {
        throw runtimeError("Return not allowed outside function definition", s.pos);
      }
      if (s.value !== undefined) {
        const v = await evalExpr(ctx, s.value);
        const slot = ctx.frame.lookup("result");
        if (slot !== undefined) slot.value = v;
      }
      return Signal.Return;
    }
    case "FuncDef":
      return Signal.Normal;
    case "VarDecl": {
      const t = typeFromSyntax(s.type);
      for (const n of s.names) {
        if (ctx.frame.vars.has(n)) continue;
        ctx.frame.declare(n, { value: undefined, type: t });
      }
      return Signal.Normal;
    }
    case "Export": {
      for (const n of s.names) {
        const slot = ctx.frame.lookup(n);
        if (slot === undefined) {
          throw runtimeError(`Variable ${n} used before definition`, s.pos);
        }
        ctx.state.globals.set(n, slot);
      }
      return Signal.Normal;
    }
    case "Enum": {
      s.names.forEach((n, i) => {
        ctx.state.globals.set(n, { value: BigInt(i), type: tInt, readonly: true });
      });
      return Signal.Normal;
    }
    case "Use":
      await execUse(ctx, s);
      return Signal.Normal;
    case "Parameter":
      await execParameter(ctx, s);
      return Signal.Normal;
    case "ExprStmt":
      await evalExpr(ctx, s.expr);
      return Signal.Normal;
  }
}
