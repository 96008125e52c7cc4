/**
 * Components: resolving `use NAME [from LOCATION]` to source text before evaluation (with cycle
 * detection), running a component once per `use` with its own variables and locking everything it
 * sets, and `parameter` values.
 *
 * @module
 */

import { resolve } from "../internal/posix_path.ts";
import type { Expr, ParameterStmt, Program, SourcePos, Stmt, UseStmt } from "./ast.ts";
import { AttrTreeError } from "./attributes.ts";
import { Con4mError } from "./errors.ts";
import { evalExpr, type ExecCtx, exprType, invoke, typeOfValue } from "./eval_expr.ts";
import { type LoadedComponent, runtimeError } from "./eval_state.ts";
import { execBody } from "./eval_stmt.ts";
import { classifyOtherLiteral } from "./other_literals.ts";
import { Frame } from "./scopes.ts";
import { funcOf, newTypeVar, prune, type Type, typeFromSyntax } from "./types.ts";
import { type Con4mValue, isCallback } from "./values.ts";

/** How component sources are found and parsed. */
export interface ComponentLoader {
  /** Read a local file (throws when missing). */
  readFile(file: string): Promise<string>;
  /** Fetch an https URL (throws on failure). */
  fetchUrl(url: string): Promise<string>;
  /** Parse source text (throws {@linkcode Con4mError} on syntax errors). */
  parse(text: string, file: string): Program | Promise<Program>;
  /** Location used by `use NAME` without `from` (a directory or https URL). */
  defaultLocation?: string;
}

/** A loader reading local files with Deno and remote ones with `fetch`. */
export function defaultComponentLoader(
  parse: (text: string, file: string) => Program | Promise<Program>,
  defaultLocation?: string,
): ComponentLoader {
  return {
    readFile: (file) => Deno.readTextFile(file),
    fetchUrl: async (url) => {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) {
        await res.body?.cancel();
        throw new Error(`HTTP ${res.status}`);
      }
      return await res.text();
    },
    parse,
    defaultLocation,
  };
}

/** The key a `use` statement is stored under in {@linkcode EvalState.components}. */
export function useKey(s: UseStmt): string {
  return `${s.name}@${s.from ?? ""}`;
}

function expandHome(p: string): string {
  if (p === "~" || p.startsWith("~/")) {
    const home = Deno.env.get("HOME") ?? "";
    return home + p.slice(1);
  }
  return p;
}

/** The location of component `name` found at `from` (a file path or an https URL). */
export function componentUrl(name: string, from: string | undefined, loader: ComponentLoader): {
  url: string;
  remote: boolean;
} {
  const loc = from ?? loader.defaultLocation ?? ".";
  if (/^https?:\/\//.test(loc)) {
    return { url: `${loc.replace(/\/+$/, "")}/${name}.c4m`, remote: true };
  }
  return { url: resolve(expandHome(loc), `${name}.c4m`), remote: false };
}

function collectUses(stmts: readonly Stmt[], out: UseStmt[]): void {
  for (const s of stmts) {
    switch (s.kind) {
      case "Use":
        out.push(s);
        break;
      case "Section":
        if (s.body) collectUses(s.body.stmts, out);
        break;
      case "If":
        for (const b of s.branches) collectUses(b.body.stmts, out);
        if (s.elseBody) collectUses(s.elseBody.stmts, out);
        break;
      case "For":
        collectUses(s.body.stmts, out);
        break;
      default:
        break;
    }
  }
}

/**
 * Fetch and parse every component `program` uses, transitively, into `into` (keyed by
 * {@linkcode useKey}). `selfUrl` identifies `program` for cycle detection. Returns the
 * errors ("Could not retrieve needed source file", "Cyclical components are not allowed").
 */
export async function resolveComponents(
  program: Program,
  selfUrl: string,
  loader: ComponentLoader,
  into: Map<string, LoadedComponent>,
): Promise<Con4mError[]> {
  const errors: Con4mError[] = [];
  const cache = new Map<string, Program>();
  const visit = async (p: Program, chain: string[]): Promise<void> => {
    const uses: UseStmt[] = [];
    collectUses(p.body.stmts, uses);
    for (const u of uses) {
      const key = useKey(u);
      const { url, remote } = componentUrl(u.name, u.from, loader);
      if (chain.includes(url)) {
        errors.push(
          new Con4mError(
            "component",
            `Cyclical components are not allowed-- component ${url} can import itself`,
            u.pos,
          ),
        );
        continue;
      }
      let prog = cache.get(url);
      if (prog === undefined) {
        let text: string;
        try {
          if (remote) {
            if (url.startsWith("http://")) {
              errors.push(
                new Con4mError(
                  "component",
                  `Insecure (http) loads are not allowed: ${url}`,
                  u.pos,
                ),
              );
              continue;
            }
            text = await loader.fetchUrl(url);
          } else text = await loader.readFile(url);
        } catch {
          errors.push(
            new Con4mError("component", `Could not retrieve needed source file: ${url}`, u.pos),
          );
          continue;
        }
        try {
          prog = await loader.parse(text, url);
        } catch (err) {
          if (err instanceof Con4mError) errors.push(err);
          else throw err;
          continue;
        }
        cache.set(url, prog);
      }
      if (!into.has(key)) into.set(key, { url, program: prog });
      await visit(prog, [...chain, url]);
    }
  };
  await visit(program, [selfUrl]);
  return errors;
}

/** Run a `use` statement: the component's code in the same tree, locking what it sets. */
export async function execUse(ctx: ExecCtx, s: UseStmt): Promise<void> {
  const comp = ctx.state.components.get(useKey(s));
  if (comp === undefined) {
    throw new Con4mError(
      "component",
      `Could not retrieve needed source file: component '${s.name}' was not loaded`,
      s.pos,
    );
  }
  ctx.state.prepareProgram?.(comp.program);
  const inner: ExecCtx = {
    state: ctx.state,
    frame: new Frame(undefined, ctx.state.globals),
    section: ctx.state.root,
    lockAll: true,
    depth: ctx.depth + 1,
    component: comp.url,
  };
  if (inner.depth > ctx.state.maxDepth) {
    throw runtimeError("Component nesting too deep", s.pos);
  }
  await execBody(inner, comp.program.body, inner.frame);
  ctx.state.finishProgram?.(comp.program);
}

/** The key of a parameter: the variable name or the dotted attribute path. */
export function parameterKey(s: ParameterStmt): string {
  return s.path.join(".");
}

async function callDefault(
  ctx: ExecCtx,
  name: string,
  sig: Type | undefined,
  pos: SourcePos,
): Promise<Con4mValue | undefined> {
  const want = sig ?? funcOf([], newTypeVar());
  const fn = ctx.state.functions.find(name, want);
  if (fn === undefined) {
    throw runtimeError(`Parameter default callback '${name}' was not found`, pos);
  }
  return await invoke(ctx, fn, [], [], pos);
}

/**
 * Run a `parameter` statement: take the host-supplied value (checked by the parameter's
 * validator), else the default (a literal or a callback computing it), and store it in the
 * variable or attribute.
 */
export async function execParameter(ctx: ExecCtx, s: ParameterStmt): Promise<void> {
  const supplied = ctx.state.parameterValues.get(ctx.component ?? "")?.get(parameterKey(s));
  let value: Con4mValue | undefined = supplied;
  let type: Type | undefined = supplied !== undefined ? typeOfValue(supplied) : undefined;
  const props = new Map(s.props.map((p) => [p.name, p]));
  if (value === undefined) {
    const def = props.get("default");
    if (def !== undefined) {
      const dv = await evalExpr(ctx, def.value);
      if (isCallback(dv)) {
        const sig = def.value.kind === "Callback" && def.value.sig
          ? typeFromSyntax(def.value.sig)
          : undefined;
        value = await callDefault(ctx, dv.name, sig, def.pos);
        const st = sig !== undefined ? prune(sig) : undefined;
        type = st?.kind === "func" ? st.ret : undefined;
      } else {
        value = dv;
        type = exprType(def.value, dv);
      }
    }
  }
  if (value === undefined) {
    throw new Con4mError(
      "component",
      `Component not configured: no value for parameter ${parameterKey(s)}`,
      s.pos,
    );
  }
  type ??= typeOfValue(value);
  // Like the original, validators check values supplied by the user of the component;
  // defaults are trusted.
  const validator = supplied === undefined ? undefined : props.get("validator");
  if (validator !== undefined) {
    const cb = await evalExpr(ctx, validator.value);
    if (isCallback(cb)) {
      const sig = funcOf([type], newTypeVar());
      const fn = ctx.state.functions.find(cb.name, sig) ??
        ctx.state.functions.find(cb.name);
      if (fn === undefined) {
        throw runtimeError(`Parameter validator '${cb.name}' was not found`, validator.pos);
      }
      const msg = await invoke(ctx, fn, [value], [type], validator.pos);
      if (typeof msg === "string" && msg !== "") {
        throw new Con4mError(
          "component",
          `Invalid value for parameter ${parameterKey(s)}: ${msg}`,
          s.pos,
        );
      }
    }
  }
  if (s.isVar) {
    ctx.frame.assign(s.path[0], value, type);
    return;
  }
  try {
    const out = ctx.state.root.setAttr(s.path, value, type, { lock: ctx.lockAll });
    if (!out.ok) throw runtimeError(out.reason, s.pos);
  } catch (err) {
    if (err instanceof AttrTreeError) throw runtimeError(err.reason, s.pos);
    throw err;
  }
}

/** What a host needs to ask a user for a parameter value (`chalk load`). */
export interface ParameterInfo {
  /** Component url the parameter belongs to ("" for the loaded file itself). */
  component: string;
  /** Variable name or dotted attribute path (the key for {@linkcode EvalState.parameterValues}). */
  key: string;
  /** `parameter var name` (true) or `parameter a.b.c` (false). */
  isVar: boolean;
  /** Short documentation (`shortdoc:`). */
  shortdoc?: string;
  /** Documentation (`doc:`). */
  doc?: string;
  /** The default when it is a literal. */
  default?: Con4mValue;
  /** Name of the function computing the default (`default: func f() -> T`). */
  defaultCallback?: string;
  /** Name of the validator function, if any. */
  validator?: string;
}

function literalValue(e: Expr): Con4mValue | undefined {
  switch (e.kind) {
    case "String":
    case "Bool":
    case "Float":
    case "Int":
      return e.value;
    case "Char":
      return BigInt(e.value);
    case "Other":
      return classifyOtherLiteral(e.text)?.value;
    case "List": {
      const items = e.items.map(literalValue);
      return items.every((x) => x !== undefined) ? items as Con4mValue[] : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The parameters `program` declares (at any block depth), described for a host that asks
 * the user for values before running it.
 */
export function parameterInfo(program: Program, component = ""): ParameterInfo[] {
  const out: ParameterInfo[] = [];
  const visit = (stmts: readonly Stmt[]): void => {
    for (const s of stmts) {
      if (s.kind === "Section" && s.body) visit(s.body.stmts);
      if (s.kind === "If") {
        for (const b of s.branches) visit(b.body.stmts);
        if (s.elseBody) visit(s.elseBody.stmts);
      }
      if (s.kind !== "Parameter") continue;
      const info: ParameterInfo = { component, key: parameterKey(s), isVar: s.isVar };
      for (const p of s.props) {
        const v = p.value;
        if (p.name === "doc" && v.kind === "String") info.doc = v.value;
        else if (p.name === "shortdoc" && v.kind === "String") info.shortdoc = v.value;
        else if (p.name === "validator" && v.kind === "Callback") info.validator = v.name;
        else if (p.name === "default") {
          if (v.kind === "Callback") info.defaultCallback = v.name;
          else info.default = literalValue(v);
        }
      }
      out.push(info);
    }
  };
  visit(program.body.stmts);
  return out;
}
