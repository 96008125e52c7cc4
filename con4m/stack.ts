/**
 * The configuration stack: a validation state that runs c42 spec files and a config state that runs
 * config files, each step parsed, checked, evaluated and validated at its own check level, with
 * attributes, functions and exported variables persisting between steps. Errors are collected,
 * never thrown, so hosts can print all of them.
 *
 * @module
 */

import type { FuncDefStmt, FuncRef, Program } from "./ast.ts";
import { AttrScope, AttrTreeError, splitPath } from "./attributes.ts";
import { type EvalLimits, withBudget } from "./budget.ts";
import { analyzeProgram, type CheckEnv, type GlobalVar } from "./checker.ts";
import {
  type BuiltinDef,
  defineBuiltin,
  type HostHooks,
  sharedBuiltinType,
} from "./builtins/builtin_def.ts";
import { defaultHostHooks } from "./builtins/host_hooks.ts";
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "./builtins/mod.ts";
import {
  type ComponentLoader,
  defaultComponentLoader,
  type ParameterInfo,
  parameterInfo,
  resolveComponents,
} from "./components.ts";
import { Con4mError, Con4mErrorList, type Con4mPhase } from "./errors.ts";
import { invoke } from "./eval_expr.ts";
import { stateHooks } from "./eval_hooks.ts";
import { EvalState, type LoadedComponent, type UserFunction } from "./eval_state.ts";
import { execBody } from "./eval_stmt.ts";
import { Frame } from "./scopes.ts";
import { buildMetaSpec, compileSpec, type Spec, SpecDefinitionError } from "./spec.ts";
import { type CheckLevel, validateTree, type ValidationEnv } from "./spec_validate.ts";
import {
  copyType,
  funcOf,
  newTypeVar,
  parseSignature,
  prune,
  type Type,
  typeFromSyntax,
  typeToString,
  unifies,
} from "./types.ts";
import { Con4mDict, type Con4mValue, typespecValue } from "./values.ts";

/**
 * The parser (nearley, moo and the grammar), loaded at the first text to parse: a run whose
 * configuration is the base snapshot alone never parses one (docs/architecture.md, "Start-up").
 */
const parser = () => import("./parser.ts");

export type { CheckLevel };

/** The phase a step stops after (`deno task con4m parse|check|run`). */
export type StopAfter = "parse" | "check" | "run";

/**
 * Type-checks a program against a state before it runs (annotating the tree). Returns the
 * errors. The stack works without one (names are then resolved at run time).
 */
export type ProgramChecker = (program: Program, state: EvalState) => Con4mError[];

/** Options of {@linkcode ConfigStack}. */
export interface ConfigStackOptions {
  /** Replace some of the system hooks builtins use (environment, stderr, ...). */
  hooks?: Partial<HostHooks>;
  /** Builtins to install in both states (default: core + chalk's portable builtins). */
  builtins?: readonly BuiltinDef[];
  /** How `use` finds components (default: local files and https). */
  loader?: ComponentLoader;
  /** Type checker (default: {@linkcode defaultChecker}; see {@linkcode ProgramChecker}). */
  checker?: ProgramChecker;
}

/** One step that was loaded, with its original text (for `chalk dump`). */
export interface LoadedLayer {
  /** File name or label. */
  file: string;
  /** Spec or config. */
  kind: "spec" | "config";
  /** The original source text, verbatim. */
  source: string;
  /** The check level used. */
  check: CheckLevel;
}

/** Result of a stack step. */
export interface StepResult {
  /** True when the step produced no error. */
  ok: boolean;
  /** Errors, in the order found (empty when ok). */
  errors: Con4mError[];
  /** The parsed program (when parsing succeeded). */
  program?: Program;
}

/** Options of one load step. */
export interface LoadOptions {
  /** Validation level after the step (default "full"). */
  check?: CheckLevel;
  /** Stop after this phase (default "run"). */
  stopAfter?: StopAfter;
  /** Identity of the file for component cycle detection (default: the file name). */
  url?: string;
  /** Parameter values for this file's `parameter` statements, by key. */
  parameters?: Record<string, Con4mValue>;
}

function toErrors(err: unknown, phase: Con4mPhase = "runtime", file = ""): Con4mError[] {
  if (err instanceof Con4mErrorList) return [...err.errors];
  if (err instanceof Con4mError) return [err];
  if (err instanceof SpecDefinitionError) return [new Con4mError("validate", err.reason)];
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    const where = file === "" ? "" : ` in ${file}`;
    return [new Con4mError(phase, `Nesting too deep${where} (stack overflow)`)];
  }
  throw err;
}

/** The checker environment describing `state` (functions, attribute slots, globals). */
export function checkEnvFor(state: EvalState): CheckEnv {
  const globals = new Map<string, GlobalVar>();
  for (const [k, v] of state.globals) {
    globals.set(k, { type: v.type ?? newTypeVar(), readOnly: v.readonly });
  }
  return {
    functions(name: string): FuncRef[] {
      const out: FuncRef[] = [];
      for (const f of state.functions.user.get(name) ?? []) {
        out.push({ name, type: f.sig, builtin: false, def: f.def });
      }
      for (const b of state.functions.builtins.get(name) ?? []) {
        out.push({ name, type: b.sig, builtin: true, impl: b.def });
      }
      return out;
    },
    functionNames: () => [...state.functions.user.keys(), ...state.functions.builtins.keys()],
    attr(path: readonly string[]) {
      const item = state.root.lookup(path);
      if (item === undefined) return undefined;
      if (item instanceof AttrScope) return { kind: "section" };
      return { kind: "attr", type: item.type };
    },
    globals,
  };
}

const pendingSlots = new WeakMap<Program, { sections: Set<string>; attrs: Map<string, Type> }>();

/**
 * The default {@linkcode ProgramChecker}: runs the con4m checker against `state` and remembers the
 * attribute and section slots the file mentions; {@linkcode createSlots} adds them after
 * evaluation, so slots of branches that did not run exist too while the tree keeps the order in
 * which the code wrote it.
 */
export function defaultChecker(program: Program, state: EvalState): Con4mError[] {
  const res = analyzeProgram(program, checkEnvFor(state));
  if (res.errors.length > 0) return res.errors;
  pendingSlots.set(program, { sections: res.sections, attrs: res.attrs });
  return [];
}

/** Create the slots remembered by {@linkcode defaultChecker} for `program` that are missing. */
export function createSlots(program: Program, state: EvalState): void {
  const slots = pendingSlots.get(program);
  if (slots === undefined) return;
  pendingSlots.delete(program);
  for (const sec of slots.sections) {
    const parts = splitPath(sec);
    if (state.root.lookup(parts) === undefined) {
      try {
        state.root.ensureScope(parts);
      } catch (err) {
        if (!(err instanceof AttrTreeError)) throw err;
      }
    }
  }
  for (const [path, type] of slots.attrs) {
    const parts = splitPath(path);
    if (state.root.lookup(parts) === undefined) {
      try {
        state.root.ensureAttr(parts, type);
      } catch (err) {
        if (!(err instanceof AttrTreeError)) throw err;
      }
    }
  }
}

/**
 * A configuration stack.
 *
 * @example
 * ```ts
 * const stack = new ConfigStack();
 * await stack.loadSpec(specText, "my.c42spec");
 * const r = await stack.loadConfig('name: "x"\n', "my.c4m");
 * if (!r.ok) console.error(r.errors.map(String).join("\n"));
 * ```
 */
export class ConfigStack {
  readonly #validation: EvalState;
  /** State running config files. */
  readonly config: EvalState;
  #spec: Spec | undefined;
  /** Loaded steps, in order. */
  readonly layers: LoadedLayer[] = [];
  /** The spec of spec files: built when a spec file is first loaded. */
  #meta: Spec | undefined;
  /** A snapshot's validation state and spec, restored when first used (see {@link deferRestore}). */
  #restoreValidation: ((state: EvalState) => void) | undefined;
  #restoreSpec: (() => Spec | undefined) | undefined;
  readonly #loader: ComponentLoader;
  readonly #checker: ProgramChecker | undefined;
  readonly #baseHooks: HostHooks;

  /** Create a stack with the given builtins and hooks. */
  constructor(opts: ConfigStackOptions = {}) {
    this.#baseHooks = defaultHostHooks(opts.hooks ?? {});
    this.#validation = this.#newState();
    this.config = this.#newState();
    this.#checker = opts.checker ?? defaultChecker;
    this.#loader = opts.loader ??
      defaultComponentLoader(async (text, file) => (await parser()).parseCon4m(text, file));
    for (const b of opts.builtins ?? [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS]) {
      this.addBuiltin(b);
    }
  }

  /** State running spec files. */
  get validation(): EvalState {
    const restore = this.#restoreValidation;
    if (restore !== undefined) {
      this.#restoreValidation = undefined;
      restore(this.#validation);
    }
    return this.#validation;
  }

  /** The compiled spec configs are validated against (undefined until a spec is loaded). */
  get spec(): Spec | undefined {
    const restore = this.#restoreSpec;
    if (restore !== undefined) {
      this.#restoreSpec = undefined;
      this.#spec = restore();
    }
    return this.#spec;
  }

  set spec(spec: Spec | undefined) {
    this.#restoreSpec = undefined;
    this.#spec = spec;
  }

  /**
   * Leaves a snapshot's validation state and spec to be restored when first used
   * (`con4m/snapshot.ts`): a run that loads no configuration file of its own never reads
   * them, and restoring them was a third of chalk's start-up configuration work.
   */
  deferRestore(validation: (state: EvalState) => void, spec: () => Spec | undefined): void {
    this.#restoreValidation = validation;
    this.#restoreSpec = spec;
  }

  #newState(): EvalState {
    const s = new EvalState(this.#baseHooks);
    s.hooks = stateHooks(s, this.#baseHooks);
    s.prepareProgram = (p) => this.#prepare(p, s);
    s.finishProgram = (p) => createSlots(p, s);
    return s;
  }

  /** Install a builtin in one or both states. */
  addBuiltin(def: BuiltinDef, which: "both" | "config" | "validation" = "both"): void {
    // Parsed when first looked at: a run calls few of the builtins it installs.
    const sig = () => sharedBuiltinType(def);
    if (which !== "validation") this.config.functions.addBuiltin(def, sig);
    // The state itself, not its restore: builtins come first, as in a stack never snapshotted.
    if (which !== "config") this.#validation.functions.addBuiltin(def, sig);
  }

  /** Check a program (when a checker is installed) and register its functions. */
  #prepare(program: Program, state: EvalState): void {
    if (this.#checker !== undefined) {
      const errs = this.#checker(program, state);
      if (errs.length > 0) throw new Con4mErrorList(errs);
    }
    registerFunctions(program, state);
  }

  /** Load a c42 spec file into the validation state, then recompile the spec. */
  loadSpec(text: string, file: string, opts: LoadOptions = {}): Promise<StepResult> {
    return withBudget([this.validation], () => this.#loadSpec(text, file, opts));
  }

  async #loadSpec(text: string, file: string, opts: LoadOptions): Promise<StepResult> {
    const check = opts.check ?? "full";
    const res = await this.#step(this.validation, text, file, opts, "spec");
    if (!res.ok || (opts.stopAfter ?? "run") !== "run") return res;
    try {
      this.#meta ??= buildMetaSpec();
      const errors = await validateTree(this.validation.root, this.#meta, check, undefined);
      if (errors.length > 0) return { ok: false, errors, program: res.program };
      this.spec = compileSpec(this.validation.root);
    } catch (err) {
      return { ok: false, errors: toErrors(err), program: res.program };
    }
    return res;
  }

  /** Load a config file into the config state and validate it against the spec. */
  loadConfig(text: string, file: string, opts: LoadOptions = {}): Promise<StepResult> {
    return withBudget(this.#states, () => this.#loadConfig(text, file, opts));
  }

  async #loadConfig(text: string, file: string, opts: LoadOptions): Promise<StepResult> {
    const check = opts.check ?? "full";
    const res = await this.#step(this.config, text, file, opts, "config");
    if (!res.ok || (opts.stopAfter ?? "run") !== "run") return res;
    const errors = await this.validate(check);
    return errors.length > 0 ? { ok: false, errors, program: res.program } : res;
  }

  /** Validate the config state against the spec at `check` (no-op without a spec). */
  async validate(check: CheckLevel = "full"): Promise<Con4mError[]> {
    const spec = this.spec;
    if (spec === undefined) return [];
    try {
      return await withBudget(
        this.#states,
        () => validateTree(this.config.root, spec, check, this.#validationEnv()),
      );
    } catch (err) {
      return toErrors(err);
    }
  }

  /** Both states: a config step runs in one and is validated by functions of the other. */
  get #states(): EvalState[] {
    return [this.config, this.validation];
  }

  /**
   * Bounds of every later step (a file run and validated): steps, wall time, value sizes.
   * Default `DEFAULT_EVAL_LIMITS`.
   */
  get limits(): EvalLimits {
    return this.config.limits;
  }

  set limits(limits: EvalLimits) {
    this.config.limits = limits;
    this.#validation.limits = limits;
  }

  /** Run a host callback between steps. */
  async runCallback(fn: (stack: ConfigStack) => void | Promise<void>): Promise<void> {
    await fn(this);
  }

  #validationEnv(): ValidationEnv {
    const v = this.validation;
    const target = this.config;
    return {
      runCount: target.runCount,
      callFunction: async (name, sig, args, argTypes) => {
        const fn = v.functions.find(name, sig);
        if (fn === undefined) return { found: false };
        const saved = v.introspectionTarget;
        v.introspectionTarget = target;
        try {
          const ctx = {
            state: v,
            frame: new Frame(undefined, v.globals),
            section: v.root,
            lockAll: false,
            depth: 0,
          };
          const value = await invoke(
            ctx,
            fn,
            args,
            argTypes,
            fn.kind === "user" ? fn.fn.def.pos : { file: "", line: 0, col: 0 },
          );
          return { found: true, value };
        } finally {
          v.introspectionTarget = saved;
        }
      },
    };
  }

  async #step(
    state: EvalState,
    text: string,
    file: string,
    opts: LoadOptions,
    kind: "spec" | "config",
  ): Promise<StepResult> {
    const stopAfter = opts.stopAfter ?? "run";
    let parsed;
    try {
      parsed = (await parser()).tryParseCon4m(text, file);
    } catch (err) {
      return { ok: false, errors: toErrors(err, "parse", file) };
    }
    if (parsed.program === undefined) return { ok: false, errors: parsed.errors };
    const program = parsed.program;
    if (stopAfter === "parse") return { ok: true, errors: [], program };
    if (this.#checker !== undefined) {
      let errs: Con4mError[];
      try {
        errs = this.#checker(program, state);
      } catch (err) {
        return { ok: false, errors: toErrors(err, "check", file), program };
      }
      if (errs.length > 0) return { ok: false, errors: errs, program };
    }
    if (stopAfter === "check") {
      // Later files are checked against what this one declares (slots, functions).
      try {
        registerFunctions(program, state);
      } catch (err) {
        return { ok: false, errors: toErrors(err), program };
      }
      createSlots(program, state);
      return { ok: true, errors: [], program };
    }
    this.layers.push({ file, kind, source: text, check: opts.check ?? "full" });
    try {
      registerFunctions(program, state);
      state.components = new Map();
      const compErrors = await resolveComponents(
        program,
        opts.url ?? file,
        this.#loader,
        state.components,
      );
      if (compErrors.length > 0) return { ok: false, errors: compErrors, program };
      if (opts.parameters !== undefined) {
        state.parameterValues.set("", new Map(Object.entries(opts.parameters)));
      }
      const frame = new Frame(undefined, state.globals);
      await execBody(
        { state, frame, section: state.root, lockAll: false, depth: 0 },
        program.body,
        frame,
      );
      createSlots(program, state);
      state.runCount++;
    } catch (err) {
      return { ok: false, errors: toErrors(err, "runtime", file), program };
    }
    return { ok: true, errors: [], program };
  }

  /**
   * The parameters a config and the components it uses declare, without running anything
   * (fetches and parses the components). Supply values with {@linkcode setParameters}
   * (component parameters) or `LoadOptions.parameters` (the file's own).
   */
  async parameters(
    text: string,
    file: string,
    url = file,
  ): Promise<{ parameters: ParameterInfo[]; errors: Con4mError[] }> {
    const parsed = (await parser()).tryParseCon4m(text, file);
    if (parsed.program === undefined) return { parameters: [], errors: parsed.errors };
    const comps = new Map<string, LoadedComponent>();
    const errors = await resolveComponents(parsed.program, url, this.#loader, comps);
    const parameters = parameterInfo(parsed.program);
    const seen = new Set<string>();
    for (const c of comps.values()) {
      if (seen.has(c.url)) continue;
      seen.add(c.url);
      parameters.push(...parameterInfo(c.program, c.url));
    }
    return { parameters, errors };
  }

  /** Supply values for a component's parameters (keyed by the component's url). */
  setParameters(componentUrl: string, values: Record<string, Con4mValue>): void {
    this.config.parameterValues.set(componentUrl, new Map(Object.entries(values)));
  }

  /** Lock a user function so later layers cannot replace it. */
  lockFunction(name: string): void {
    for (const f of this.config.functions.user.get(name) ?? []) f.locked = true;
  }

  /** The config state's attribute tree. */
  get root(): AttrScope {
    return this.config.root;
  }
}

/** The generic signature of a user function (from the checker, else from its formals). */
export function functionSignature(def: FuncDefStmt): Type {
  if (def.sig !== undefined) return def.sig;
  const vars = new Map();
  return funcOf(
    def.formals.map((f) => (f.type ? typeFromSyntax(f.type, vars) : newTypeVar())),
    newTypeVar(),
  );
}

/**
 * Register the top-level functions of `program` in `state`, replacing same-signature
 * functions of earlier steps; two unifiable definitions in one file are an error.
 */
export function registerFunctions(program: Program, state: EvalState): void {
  const seen: UserFunction[] = [];
  for (const s of program.body.stmts) {
    if (s.kind !== "FuncDef") continue;
    const sig = functionSignature(s);
    if (seen.some((f) => f.name === s.name && unifies(copyType(f.sig), copyType(sig)))) {
      throw new Con4mError("check", `Duplicate implementation of function '${s.name}'`, s.pos);
    }
    const fn: UserFunction = { name: s.name, sig, def: s, file: program.file, locked: false };
    seen.push(fn);
    state.functions.addUser(fn);
  }
}

function primZero(name: string): Con4mValue | undefined {
  switch (name) {
    case "void":
      return undefined;
    case "bool":
      return false;
    case "float":
      return 0;
    case "int":
    case "char":
    case "Duration":
    case "Size":
      return 0n;
    default:
      return "";
  }
}

/** The zero value of a type, used by {@linkcode stubBuiltin} (undefined for `void`). */
export function zeroValue(t: Type): Con4mValue | undefined {
  const p = prune(t);
  switch (p.kind) {
    case "prim":
      return primZero(p.name);
    case "list":
      return [];
    case "dict":
      return new Con4mDict();
    case "tuple":
      return p.items.map((x) => zeroValue(x) ?? null);
    case "typespec":
      return typespecValue(p.bound);
    default:
      return null;
  }
}

/**
 * A builtin that does nothing and returns the zero value of its return type, from a
 * signature like `"subscribe(string, string) -> bool"`. Lets configs written for a host
 * (chalk's `subscribe`, `error`, ...) be checked and run without that host.
 *
 * @example
 * ```ts
 * const stack = new ConfigStack();
 * stack.addBuiltin(stubBuiltin("subscribe(string, string) -> bool"));
 * ```
 */
export function stubBuiltin(signature: string): BuiltinDef {
  const { name, type } = parseSignature(signature);
  const ret = type.ret;
  return defineBuiltin(name, typeToString(type), () => zeroValue(ret), {
    doc: "host stub",
    tags: ["stub"],
  });
}
