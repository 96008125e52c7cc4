/**
 * The state an evaluation works on: the attribute tree, the function table (builtins and user
 * functions), persistent globals and the run counter. A stack keeps two of these (the validation
 * state for specs and the config state for configs).
 *
 * @module
 */

import type { FuncDefStmt, Program, SourcePos } from "./ast.ts";
import { AttrScope } from "./attributes.ts";
import { DEFAULT_EVAL_LIMITS, type EvalBudget, type EvalLimits } from "./budget.ts";
import type { BuiltinDef, HostHooks } from "./builtins/builtin_def.ts";
import { Con4mError } from "./errors.ts";
import type { VarSlot } from "./scopes.ts";
import type { ExecCtx } from "./eval_expr.ts";
import { copyType, type Type, unifies } from "./types.ts";
import type { Con4mValue } from "./values.ts";

/** A function defined in con4m source. */
export interface UserFunction {
  /** Function name. */
  name: string;
  /** Generic signature (a `func` type). */
  sig: Type;
  /** The definition (body, formals). */
  def: FuncDefStmt;
  /** File that defined it (for messages). */
  file: string;
  /** Cannot be replaced by a later layer. */
  locked: boolean;
}

/** A function the evaluator can call: a builtin or a user function. */
export type Callable =
  | { kind: "builtin"; def: BuiltinDef; sig: Type }
  | { kind: "user"; fn: UserFunction };

/**
 * Functions by name; several entries per name are overloads with non-unifiable signatures.
 * Registering a user function whose signature unifies with an existing user function of the
 * same name replaces it (a later layer overriding a callback).
 */
export class FunctionTable {
  /** Builtins by name. */
  readonly builtins: Map<string, { def: BuiltinDef; sig: Type }[]> = new Map();
  /** User functions by name. */
  readonly user: Map<string, UserFunction[]> = new Map();
  /** Bumped whenever a function is added or replaced (invalidates call-site caches). */
  version = 0;

  /**
   * Register a builtin (overloads allowed). `sig` may be given as a function that parses it: it
   * is called at the first look at the signature (most of the ~200 builtins are never called).
   */
  addBuiltin(def: BuiltinDef, sig: Type | (() => Type)): void {
    const list = this.builtins.get(def.name) ?? [];
    if (typeof sig !== "function") {
      list.push({ def, sig });
    } else {
      let parsed: Type | undefined;
      list.push({
        def,
        get sig() {
          return parsed ??= sig();
        },
      });
    }
    this.builtins.set(def.name, list);
    this.version++;
  }

  /** Register or replace a user function; throws when the old one is locked. */
  addUser(fn: UserFunction): void {
    const list = this.user.get(fn.name) ?? [];
    const i = list.findIndex((f) => unifies(copyType(f.sig), copyType(fn.sig)));
    if (i >= 0) {
      if (list[i].locked) {
        throw new Con4mError(
          "check",
          `An implementation is already installed, and is locked: ${fn.name}`,
          fn.def.pos,
        );
      }
      list[i] = fn;
    } else list.push(fn);
    this.user.set(fn.name, list);
    this.version++;
  }

  /** The user function `name` whose signature unifies with `sig` (latest wins). */
  findUser(name: string, sig?: Type): UserFunction | undefined {
    const list = this.user.get(name);
    if (list === undefined) return undefined;
    if (sig === undefined) return list.length === 1 ? list[0] : undefined;
    const found = list.filter((f) => unifies(copyType(f.sig), copyType(sig)));
    return found.length === 1 ? found[0] : undefined;
  }

  /** A callable named `name` matching `sig`: user functions first, then builtins. */
  find(name: string, sig?: Type): Callable | undefined {
    const u = this.findUser(name, sig);
    if (u !== undefined) return { kind: "user", fn: u };
    const bs = this.builtins.get(name);
    if (bs === undefined) return undefined;
    const found = sig === undefined
      ? bs
      : bs.filter((b) => unifies(copyType(b.sig), copyType(sig)));
    return found.length === 1
      ? { kind: "builtin", def: found[0].def, sig: found[0].sig }
      : undefined;
  }

  /** Does any function named `name` exist? */
  has(name: string): boolean {
    return this.user.has(name) || this.builtins.has(name);
  }
}

/** A component loaded before evaluation. */
export interface LoadedComponent {
  /** Resolved location (file path or URL) — identity for cycle detection. */
  url: string;
  /** Parsed program. */
  program: Program;
}

/** Everything that persists across the steps of one stack state. */
export class EvalState {
  /** The attribute tree. */
  root: AttrScope = new AttrScope("");
  /** Builtins and user functions. */
  readonly functions: FunctionTable = new FunctionTable();
  /** Persistent variables (exports, enum members). */
  readonly globals: Map<string, VarSlot> = new Map();
  /** Number of completed runs (for `stack_limit`). */
  runCount = 0;
  /** Host hooks handed to builtins. */
  hooks: HostHooks;
  /**
   * The state that introspection builtins look at. Normally this one; while a spec validates
   * a config it is the config's state.
   */
  introspectionTarget: EvalState | undefined;
  /** The evaluation context of the builtin call in progress (for `format`). */
  currentCtx: ExecCtx | undefined;
  /** Components resolved for the current step, by `use` name + location. */
  components: Map<string, LoadedComponent> = new Map();
  /** Parameter values supplied by the host, keyed by component url then parameter path. */
  parameterValues: Map<string, Map<string, Con4mValue>> = new Map();
  /** Checks a component program and registers its functions before it runs (set by the stack). */
  prepareProgram: ((p: Program) => void) | undefined;
  /** Completes a component program after it ran (creates its remaining slots). */
  finishProgram: ((p: Program) => void) | undefined;
  /** Maximum call depth before a runtime error (guards runaway recursion). */
  maxDepth = 400;
  /** Bounds of the evaluations this state starts (steps, time, value sizes). */
  limits: EvalLimits = DEFAULT_EVAL_LIMITS;
  /** The account of the evaluation in progress (see `withBudget`). */
  budget: EvalBudget | undefined;

  /** A state using `hooks` for builtins. */
  constructor(hooks: HostHooks) {
    this.hooks = hooks;
  }
}

/** A runtime error at `pos` (phase "runtime"). */
export function runtimeError(reason: string, pos: SourcePos | undefined): Con4mError {
  return new Con4mError("runtime", reason, pos);
}
