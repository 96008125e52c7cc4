/**
 * What a builtin function is: its name, its con4m signature (as text, parsed by the checker
 * with `parseType`), its implementation, and the context the implementation receives
 * (argument types and host hooks). Runtime failures are {@linkcode BuiltinError}s.
 *
 * @module
 */

import type { EvalBudget } from "../budget.ts";
import { Con4mError } from "../errors.ts";
import { parseType, type Type } from "../types.ts";
import type { CallbackValue, Con4mValue } from "../values.ts";

/**
 * A builtin failed at runtime (bad input, missing key, invalid literal text...). The message
 * is one line; the evaluator adds the function name and source position.
 */
export class BuiltinError extends Error {
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error with a one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "BuiltinError";
    this.reason = reason;
  }
}

/** What an attribute path denotes in the attribute tree. */
export type AttrLookup =
  | { kind: "missing" }
  | { kind: "section" }
  | {
    kind: "attr";
    /** The attribute's type. */
    type: Type;
    /** Its value (`undefined` when declared but never set). */
    value: Con4mValue | undefined;
  };

/**
 * What builtins need from their host. System hooks have defaults (see `defaultHostHooks` in
 * `host_hooks.ts`); the attribute hooks are provided by the runtime (while a spec validates a
 * config, they read the config's tree).
 */
export interface HostHooks {
  /** Value of an environment variable, `undefined` when unset. */
  getEnv(name: string): string | undefined;
  /** Set an environment variable for this process. */
  setEnv(name: string, value: string): void;
  /** The whole environment. */
  allEnv(): Record<string, string>;
  /** The current working directory. */
  cwd(): string;
  /** Change the current working directory (throws on failure). */
  chdir(path: string): void;
  /** Write text to standard error (used by `echo`, `abort`). */
  writeStderr(text: string): void;
  /** End the process (used by `abort`). */
  exit(code: number): never;
  /** Process arguments without argv[0] (`program_args()`). */
  programArgs(): string[];
  /** Absolute path of the running program (`program_path()`). */
  programPath(): string;
  /** Look up a dotted attribute path from the root. */
  lookupAttr(path: string): AttrLookup;
  /** Names of sub-sections directly under a dotted path (`[]` if none or not a section). */
  sections(path: string): string[];
  /** Names of attributes directly under a dotted path. */
  fields(path: string): string[];
  /** Install an override for an attribute; false when refused. */
  addOverride(path: string, value: Con4mValue, type: Type): boolean;
  /** Deep-copy section `from` to its sibling named `to`; false on failure. */
  copyObject(from: string, to: string): boolean;
  /** Does the callback resolve to a function? */
  functionExists(cb: CallbackValue): boolean;
  /**
   * Resolve a `{name}` of `format()`: dotted attribute from the root, else an attribute of the
   * current section, else a variable. `undefined` when not found.
   */
  formatLookup(name: string): { value: Con4mValue; type: Type } | undefined;
}

/** What a builtin implementation receives besides its arguments. */
export interface BuiltinContext {
  /** Static types of the arguments at the call site (after inference). */
  argTypes: readonly Type[];
  /** Host hooks (environment, attribute tree, ...). */
  host: HostHooks;
  /** The evaluation's budget: a builtin that waits (a command) stops at its deadline. */
  budget?: EvalBudget;
}

/** What an implementation returns: a value, nothing (void), or a promise of either. */
export type BuiltinResult = Con4mValue | undefined | Promise<Con4mValue | undefined>;

/** A builtin implementation. Arguments are already type-checked by the checker. */
export type BuiltinImpl = (args: readonly Con4mValue[], ctx: BuiltinContext) => BuiltinResult;

/** One builtin signature (overloads are several defs with the same name). */
export interface BuiltinDef {
  /** Function name as called from con4m. */
  readonly name: string;
  /** Signature as con4m type text, e.g. `func(string, string) -> list[string]`. */
  readonly sig: string;
  /** The implementation. */
  readonly impl: BuiltinImpl;
  /** True when `impl` returns a promise (the evaluator must await it). */
  readonly async: boolean;
  /** One-paragraph documentation. */
  readonly doc: string;
  /** Grouping tags (`"string"`, `"fs"`, `"chalk"`...). */
  readonly tags: readonly string[];
}

/** Optional parts of {@linkcode defineBuiltin}. */
export interface DefineBuiltinOptions {
  /** Documentation text. */
  doc?: string;
  /** Grouping tags. */
  tags?: readonly string[];
  /** The implementation returns a promise. */
  async?: boolean;
}

/**
 * Define a builtin. `sig` is a con4m function type (`func(string) -> bool`, or with the name
 * left out as `(string) -> bool`). This is the host API chalk uses to add its own functions.
 * The signature is parsed when a stack first looks at it (parsing all ~200 of chalk's at every
 * start cost ~8 ms); a bad one then throws {@linkcode BuiltinError}, and
 * `tests/con4m/builtins/signatures_test.ts` parses every builtin chalk defines.
 *
 * @example
 * ```ts
 * const version = defineBuiltin("version", "func() -> string", () => "0.1.0");
 * ```
 */
export function defineBuiltin(
  name: string,
  sig: string,
  impl: BuiltinImpl,
  opts: DefineBuiltinOptions = {},
): BuiltinDef {
  const text = sig.trimStart().startsWith("func") ? sig.trim() : `func${sig.trim()}`;
  return {
    name,
    sig: text,
    impl,
    async: opts.async ?? false,
    doc: opts.doc ?? "",
    tags: opts.tags ?? [],
  };
}

/** Signatures parsed once per builtin: every configuration stack of a run reuses them. */
const parsedSignatures = new WeakMap<BuiltinDef, Type>();

/**
 * The signature of a builtin, parsed once and shared: callers copy it (`copyType`) before
 * unifying, as the checker does.
 */
export function sharedBuiltinType(def: BuiltinDef): Type {
  let t = parsedSignatures.get(def);
  if (t === undefined) {
    t = parseSignature(def);
    parsedSignatures.set(def, t);
  }
  return t;
}

/** The builtin's signature as a function type; {@linkcode BuiltinError} when it is not one. */
function parseSignature(def: BuiltinDef): Type {
  let t: Type;
  try {
    t = parseType(def.sig);
  } catch (e) {
    const reason = e instanceof Con4mError ? e.reason : String(e);
    throw new BuiltinError(`builtin ${def.name}: invalid signature "${def.sig}": ${reason}`);
  }
  if (t.kind !== "func" || t.bare) {
    throw new BuiltinError(`builtin ${def.name}: signature is not a function type: ${def.sig}`);
  }
  return t;
}

/**
 * The signature of a builtin as a fresh function type (new type variables each call, so
 * the checker may unify it freely).
 */
export function builtinType(def: BuiltinDef): Type {
  return parseType(def.sig);
}
