/**
 * con4m for chalk-ts: public surface (re-exports only).
 *
 * @module
 */

// Front end: errors, parse tree, types, lexer, parser, checker.
export * from "./errors.ts";
export * from "./ast.ts";
export * from "./types.ts";
export { filterTokens, lexCon4m, type Token } from "./lexer.ts";
export { countParses, parseCon4m, type ParseResult, tryParseCon4m } from "./parser.ts";
export {
  analyzeProgram,
  type AttrSlot,
  type CheckEnv,
  checkProgram,
  type CheckResult,
  type GlobalVar,
} from "./checker.ts";

// Runtime: evaluation, c42 specs, stacks, snapshots, the typed host API.
export { Attribute, AttrScope, AttrTreeError, joinPath, splitPath } from "./attributes.ts";
export { DEFAULT_EVAL_LIMITS, EvalBudget, type EvalLimits, withBudget } from "./budget.ts";
export { type ComponentLoader, defaultComponentLoader } from "./components.ts";
export { EvalState, FunctionTable, type UserFunction } from "./eval_state.ts";
export {
  checkEnvFor,
  type CheckLevel,
  ConfigStack,
  type ConfigStackOptions,
  defaultChecker,
  type LoadedLayer,
  type LoadOptions,
  type ProgramChecker,
  type StepResult,
  type StopAfter,
  stubBuiltin,
  zeroValue,
} from "./stack.ts";
export {
  AttrAccessError,
  Con4mRuntime,
  type HostSetOptions,
  type PlainValue,
  toJsonValue,
  toPlain,
} from "./runtime.ts";
export { restoreStack, SnapshotError, snapshotStack } from "./snapshot.ts";
export {
  buildMetaSpec,
  compileSpec,
  type FieldSpec,
  type SectionSpec,
  type Spec,
  SpecDefinitionError,
} from "./spec.ts";
export { validateTree, type ValidationEnv } from "./spec_validate.ts";
export { type ParameterInfo, parameterInfo } from "./components.ts";
