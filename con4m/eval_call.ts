/**
 * Calling user functions: a fresh frame holding the formals and `result`, attribute access relative
 * to the root, and the `result` protocol for return values.
 *
 * @module
 */

import type { SourcePos } from "./ast.ts";
import type { UserFunction } from "./eval_state.ts";
import { runtimeError } from "./eval_state.ts";
import type { ExecCtx } from "./eval_expr.ts";
import { execBody, Signal } from "./eval_stmt.ts";
import { Frame } from "./scopes.ts";
import { isPrim, prune, type Type } from "./types.ts";
import type { Con4mValue } from "./values.ts";

/** True when the signature's return type is known and not `void`. */
function mustReturn(sig: Type): boolean {
  const s = prune(sig);
  if (s.kind !== "func" || s.bare) return false;
  const r = prune(s.ret);
  return r.kind !== "var" && !isPrim(r, "void");
}

/**
 * Run user function `fn` with `args`. Returns its `result` (undefined for void functions).
 * Runtime errors inside carry the function's name.
 */
export async function callUserFunction(
  ctx: ExecCtx,
  fn: UserFunction,
  args: readonly Con4mValue[],
  argTypes: readonly Type[],
  pos: SourcePos,
): Promise<Con4mValue | undefined> {
  ctx.state.budget?.step(pos);
  if (ctx.depth >= ctx.state.maxDepth) {
    throw runtimeError(`Call depth limit reached when calling '${fn.name}'`, pos);
  }
  const frame = new Frame(undefined, ctx.state.globals);
  const formals = fn.def.formals;
  if (formals.length !== args.length) {
    throw runtimeError(
      `Function '${fn.name}' expects ${formals.length} arguments, got ${args.length}`,
      pos,
    );
  }
  formals.forEach((f, i) => frame.declare(f.name, { value: args[i], type: argTypes[i] }));
  const result = { value: undefined as Con4mValue | undefined };
  frame.declare("result", result);
  const inner: ExecCtx = {
    state: ctx.state,
    frame,
    section: ctx.state.root,
    fn: fn.name,
    lockAll: ctx.lockAll,
    depth: ctx.depth + 1,
    component: ctx.component,
  };
  const sig = await execBody(inner, fn.def.body, frame);
  if (sig === Signal.Break || sig === Signal.Continue) {
    throw runtimeError(`Break or continue outside a loop in '${fn.name}'`, pos);
  }
  if (result.value === undefined && fn.def.sig !== undefined && mustReturn(fn.def.sig)) {
    throw runtimeError(
      `Function: '${fn.name}' did not return a result, but is declared to return one`,
      pos,
    );
  }
  return result.value;
}
