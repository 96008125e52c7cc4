/**
 * con4m parser: lexer + token filter + compiled nearley grammar, then the placement rules that the
 * original reports as parse errors.
 *
 * @module
 */

import nearley from "nearley";
import grammar from "./grammar.generated.ts";
import type { Body, Program, Stmt } from "./ast.ts";
import { Con4mError, Con4mErrorList, type SourcePos } from "./errors.ts";
import { TYPE_SYNTAX_ERROR } from "./types.ts";
import { filterTokens, lexCon4m, type Token, TOKEN_TEXT, TokenStream } from "./lexer.ts";

// Built at the first parse: a run whose configuration comes from the base snapshot never parses.
let compiled: nearley.Grammar | undefined;

/** Result of {@linkcode tryParseCon4m}: a program, or the errors that prevented one. */
export interface ParseResult {
  /** The parse tree (absent when there are errors). */
  program?: Program;
  /** Parse errors (empty on success). */
  errors: Con4mError[];
}

interface NearleyState {
  rule: { symbols: unknown[] };
  dot: number;
}

interface NearleyParser {
  results: unknown[];
  current: number;
  table: { scannable: NearleyState[] }[];
  feed(chunk: string): void;
  reportError: (token: unknown) => string;
  reportLexerError: (e: unknown) => string;
}

function newParser(tokens: readonly Token[]): NearleyParser {
  compiled ??= nearley.Grammar.fromCompiled(grammar);
  const p = new nearley.Parser(compiled, { lexer: new TokenStream(tokens) }) as NearleyParser;
  // nearley builds a long diagnostic on failure; we compute our own message instead.
  p.reportError = () => "";
  p.reportLexerError = () => "";
  return p;
}

function expectedTypes(p: NearleyParser): string[] {
  const column = p.table[p.current];
  const out = new Set<string>();
  for (const st of column?.scannable ?? []) {
    const sym = st.rule.symbols[st.dot] as { type?: string } | undefined;
    if (sym?.type) out.add(sym.type);
  }
  return [...out];
}

const EXPR_START = "intlit";
const OPERATORS = new Set([
  "or",
  "and",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "plus",
  "minus",
  "star",
  "slash",
  "percent",
  "lbrack",
]);
const TYPE_START = new Set(["lparen", "backtick", "kw_func", "typename", "typeapp", "star"]);

function describeExpected(types: string[]): string {
  const hasSep = types.includes("sep");
  const rest = types.filter((t) => t !== "sep");
  if (!hasSep && rest.length > 0 && rest.every((t) => TYPE_START.has(t))) {
    return TYPE_SYNTAX_ERROR;
  }
  if (hasSep && rest.length === 0) return "Expected end of statement here.";
  if (rest.includes(EXPR_START)) {
    const extra = rest.filter((t) => t === "rparen" || t === "rbrack" || t === "rdict");
    const tail = extra.length > 0 ? ` or ${extra.map((t) => TOKEN_TEXT[t] ?? t).join(", ")}` : "";
    return hasSep
      ? `Expected either end of statement or an expression${tail}`
      : `Expected an expression${tail}`;
  }
  const ops = rest.filter((t) => OPERATORS.has(t));
  const names = [
    ...new Set(rest.filter((t) => !OPERATORS.has(t)).map((t) => TOKEN_TEXT[t] ?? t)),
  ].sort();
  // Operators only continue an expression: name them as one group unless alone.
  if (ops.length > 0) {
    if (names.length === 0 && !hasSep) names.push(...ops.map((t) => TOKEN_TEXT[t] ?? t).sort());
    else names.push("an operator");
  }
  // A name position accepts identifiers and type names alike: say it once.
  const typeName = names.indexOf("a type name");
  if (typeName >= 0 && names.includes("an identifier")) names.splice(typeName, 1);
  if (hasSep) return `Expected either end of statement or: ${names.join(", ")}`;
  if (names.length === 0) return "Unexpected input";
  if (names.length === 1) return `Expected ${names[0]}`;
  return `Expected one of: ${names.join(", ")}`;
}

function describeToken(t: Token): string {
  if (t.type === "sep") return t.text === ";" ? "';'" : "end of line";
  if (t.type === "strlit") return "a string";
  if (t.type === "otherlit") return `<<${t.value}>>`;
  return `'${t.text}'`;
}

/** Position just after the last non-blank character (where "end of file" is reported). */
function endPos(text: string, file: string): SourcePos {
  const lines = text.trimEnd().split("\n");
  return { file, line: lines.length, col: lines[lines.length - 1].length + 1 };
}

/** Check placement rules that the original reports at parse time. */
function placementErrors(body: Body, errors: Con4mError[]): void {
  const walk = (stmts: readonly Stmt[], top: boolean, inLoop: boolean): void => {
    for (const s of stmts) {
      switch (s.kind) {
        case "FuncDef":
          if (!top) {
            errors.push(
              new Con4mError("parse", "Functions are only allowed at the top level", s.pos),
            );
          }
          walk(s.body.stmts, false, false);
          break;
        case "Enum":
          if (!top) {
            errors.push(
              new Con4mError(
                "parse",
                "Enums are only allowed at the top level of the config",
                s.pos,
              ),
            );
          }
          break;
        case "Export":
          if (!top) {
            errors.push(new Con4mError("parse", "'export' is only valid at the top-level.", s.pos));
          }
          break;
        case "Break":
          if (!inLoop) {
            errors.push(new Con4mError("parse", "Break not allowed outside of a loop", s.pos));
          }
          break;
        case "Continue":
          if (!inLoop) {
            errors.push(new Con4mError("parse", "Continue not allowed outside of a loop", s.pos));
          }
          break;
        case "Section":
          if (s.body) walk(s.body.stmts, false, inLoop);
          break;
        case "If":
          for (const b of s.branches) walk(b.body.stmts, false, inLoop);
          if (s.elseBody) walk(s.elseBody.stmts, false, inLoop);
          break;
        case "For":
          walk(s.body.stmts, false, true);
          break;
        default:
          break;
      }
    }
  };
  walk(body.stmts, true, false);
}

function tokenize(text: string, file: string): Token[] {
  return filterTokens(lexCon4m(text, file));
}

/**
 * Parse con4m source text; never throws. On failure `errors` holds one or more
 * {@linkcode Con4mError}s (phase "parse") with positions.
 */
export function tryParseCon4m(text: string, file: string): ParseResult {
  let tokens: Token[];
  try {
    tokens = tokenize(text, file);
  } catch (e) {
    if (e instanceof Con4mError) return { errors: [e] };
    throw e;
  }
  const p = newParser(tokens);
  try {
    p.feed("");
  } catch (e) {
    const tok = (e as { token?: Token }).token;
    if (tok === undefined) throw e;
    const prev = tokens[p.current - 1];
    const msg = tok.type === "rparen" && prev?.type === "lparen"
      ? "Parse error: Tuples must have two or more items."
      : `Parse error: ${describeExpected(expectedTypes(p))} (found ${describeToken(tok)})`;
    return { errors: [new Con4mError("parse", msg, tok.pos)] };
  }
  if (p.results.length === 0) {
    const msg = `Parse error: unexpected end of file; ${describeExpected(expectedTypes(p))}`;
    return { errors: [new Con4mError("parse", msg, endPos(text, file))] };
  }
  const stmts = p.results[0] as Stmt[] | null;
  const pos: SourcePos = { file, line: 1, col: 1 };
  const program: Program = {
    kind: "Program",
    file,
    source: text,
    body: { kind: "Body", pos, stmts: consToArray(stmts) },
  };
  const errors: Con4mError[] = [];
  placementErrors(program.body, errors);
  return errors.length > 0 ? { errors } : { program, errors };
}

type Cons<T> = null | [Cons<T>, T];

function consToArray<T>(list: unknown): T[] {
  const out: T[] = [];
  for (let c = list as Cons<T>; c !== null; c = c[0]) out.push(c[1]);
  return out.reverse();
}

/**
 * Parse con4m source text into a {@linkcode Program}. Throws {@linkcode Con4mErrorList}
 * (never anything else for bad input) when the text does not lex or parse.
 *
 * @example
 * ```ts
 * const prog = parseCon4m('log_level: "info"\n', "debug.c4m");
 * prog.body.stmts[0].kind; // "AttrAssign"
 * ```
 */
export function parseCon4m(text: string, file: string): Program {
  const r = tryParseCon4m(text, file);
  if (r.program === undefined) throw new Con4mErrorList(r.errors);
  return r.program;
}

/**
 * Number of distinct parses nearley finds for `text` (tests use it to prove the grammar is
 * unambiguous: a valid program has exactly 1). Lexical errors count as 0.
 */
export function countParses(text: string, file = "<test>"): number {
  let tokens: Token[];
  try {
    tokens = tokenize(text, file);
  } catch {
    return 0;
  }
  const p = newParser(tokens);
  try {
    p.feed("");
  } catch {
    return 0;
  }
  return p.results.length;
}
