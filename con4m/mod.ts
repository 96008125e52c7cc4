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
