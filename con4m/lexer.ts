/**
 * con4m lexer built on moo, plus the newline/brace token filter that turns the raw token stream
 * into what the nearley grammar consumes.
 *
 * @module
 */

import moo from "moo";
import { TYPE_NAMES } from "./ast.ts";
import { Con4mError, type SourcePos } from "./errors.ts";

/** A token as consumed by the grammar. `type` names a grammar terminal. */
export interface Token {
  /** Terminal name (see {@linkcode TOKEN_TEXT} for the punctuation names). */
  type: string;
  /** Decoded value: string contents, number text, identifier name, operator text. */
  value: string;
  /** Operator/word text without continuation whitespace (nearley matches literals on it). */
  text: string;
  /** Offset of the first character in the source. */
  offset: number;
  /** Position of the first character. */
  pos: SourcePos;
}

/** Printable text for terminal names, used in error messages. */
export const TOKEN_TEXT: Readonly<Record<string, string>> = {
  or: "'||'",
  and: "'&&'",
  not: "'!'",
  eq: "'=='",
  ne: "'!='",
  lt: "'<'",
  le: "'<='",
  gt: "'>'",
  ge: "'>='",
  plus: "'+'",
  minus: "'-'",
  star: "'*'",
  slash: "'/'",
  percent: "'%'",
  colon: "':'",
  walrus: "':='",
  equals: "'='",
  comma: "','",
  dot: "'.'",
  lbrace: "'{'",
  rbrace: "'}'",
  ldict: "'{'",
  rdict: "'}'",
  lparen: "'('",
  rparen: "')'",
  lbrack: "'['",
  rbrack: "']'",
  arrow: "'->'",
  tilde: "'~'",
  backtick: "'`'",
  sep: "end of statement",
  ident: "an identifier",
  typename: "a type name",
  typeapp: "a type name",
  attrhead: "an identifier",
  intlit: "an integer",
  floatlit: "a float",
  strlit: "a string",
  charlit: "a character",
  otherlit: "a << >> literal",
  kw_true: "'true'",
  kw_false: "'false'",
  kw_var: "'var'",
  kw_export: "'export'",
  kw_enum: "'enum'",
  kw_func: "'func'",
  kw_funcdef: "'func'",
  kw_if: "'if'",
  kw_elif: "'elif'",
  kw_else: "'else'",
  kw_for: "'for'",
  kw_from: "'from'",
  kw_to: "'to'",
  kw_break: "'break'",
  kw_continue: "'continue'",
  kw_return: "'return'",
  kw_use: "'use'",
  kw_parameter: "'parameter'",
};

// Continuation rule: after these operators, skip blanks and one newline.
const CONT = String.raw`[ \t]*(?:\r?\n[ \t]*)?`;
function op(re: string): moo.Rule {
  return {
    match: new RegExp(re + CONT, "u"),
    lineBreaks: true,
    value: (s: string) => s.replace(/[ \t\r\n]+$/u, ""),
  };
}

const IDENT = String.raw`[\p{L}\p{Nl}_$][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_$]*`;

const WORDS: Record<string, string> = {
  var: "kw_var",
  export: "kw_export",
  enum: "kw_enum",
  func: "kw_func",
  if: "kw_if",
  elif: "kw_elif",
  else: "kw_else",
  for: "kw_for",
  from: "kw_from",
  to: "kw_to",
  break: "kw_break",
  continue: "kw_continue",
  return: "kw_return",
  true: "kw_true",
  True: "kw_true",
  false: "kw_false",
  False: "kw_false",
  and: "and",
  or: "or",
  not: "not",
  is: "eq",
};

const kwMap: Record<string, string[]> = {};
for (const [w, t] of Object.entries(WORDS)) (kwMap[t] ??= []).push(w);

// Compiled on first use: the Unicode-class regexes take milliseconds to build, and most chalk
// runs never lex con4m (the base configuration is a snapshot).
let compiled: moo.Lexer | undefined;
const rawLexer = (): moo.Lexer =>
  compiled ??= moo.compile({
    ws: { match: /[ \t]+/u },
    nl: { match: /\r?\n/u, lineBreaks: true },
    lineComment: { match: /(?:#|\/\/)[^\n]*/u },
    blockComment: { match: /\/\*[^]*?\*\//u, lineBreaks: true },
    badComment: { match: /\/\*[^]*/u, lineBreaks: true },
    longString: { match: /"""(?:[^"\\]|\\[^]|"(?!""))*"""/u, lineBreaks: true },
    badLongString: { match: /"""[^]*/u, lineBreaks: true },
    string: { match: /"(?:[^"\\\n]|\\[^])*"/u, lineBreaks: true },
    badString: { match: /"(?:[^"\\\n]|\\[^])*/u, lineBreaks: true },
    char: { match: /'(?:[^'\\\n]|\\[^])*'/u, lineBreaks: true },
    badChar: { match: /'(?:[^'\\\n]|\\[^])*/u, lineBreaks: true },
    other: { match: /<<[^]*?>>/u, lineBreaks: true },
    badOther: { match: /<<[^]*/u, lineBreaks: true },
    bareOther: { match: /[0-9]+(?:\.[0-9]+\.|:[0-9]*:)[^\s]*/u },
    float: { match: /[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+/u },
    badFloat: { match: /[0-9]+\.(?![0-9])/u },
    int: { match: /[0-9]+/u },
    ident: { match: new RegExp(IDENT, "u"), type: moo.keywords(kwMap) },
    or: op(String.raw`\|\|`),
    and: op("&&"),
    walrus: op(":="),
    arrow: op("->"),
    le: op("<="),
    ge: op(">="),
    eq: op("=="),
    ne: op("!="),
    lt: op("<"),
    gt: op(">"),
    not: op("!"),
    equals: op("="),
    colon: op(":"),
    plus: op(String.raw`\+`),
    minus: op("-"),
    star: op(String.raw`\*`),
    slash: op("/"),
    percent: op("%"),
    semi: op(";"),
    comma: op(","),
    dot: op(String.raw`\.`),
    lbrace: op(String.raw`\{`),
    lbrack: op(String.raw`\[`),
    lparen: op(String.raw`\(`),
    rbrace: { match: /\}/u },
    rbrack: { match: /\]/u },
    rparen: { match: /\)/u },
    tilde: { match: /~/u },
    backtick: { match: /`/u },
    invalid: { match: /[^]/u, lineBreaks: true },
  });

function decodeEscapes(body: string, pos: SourcePos): string {
  if (!body.includes("\\")) return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    i++;
    if (i >= body.length) {
      throw new Con4mError("parse", "Unterminated escape sequence in string literal", pos);
    }
    const e = body[i];
    const hex = (n: number): void => {
      const digits = body.slice(i + 1, i + 1 + n);
      if (digits.length < n) {
        throw new Con4mError("parse", "Unterminated escape sequence in string literal", pos);
      }
      if (!/^[0-9a-fA-F]+$/u.test(digits)) {
        throw new Con4mError("parse", "Invalid unicode escape in string literal", pos);
      }
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) {
        throw new Con4mError("parse", "Invalid unicode escape in string literal", pos);
      }
      out += String.fromCodePoint(cp);
      i += n;
    };
    switch (e) {
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "a":
        out += "\x07";
        break;
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "t":
        out += "\t";
        break;
      case "x":
        hex(2);
        break;
      case "u":
        hex(4);
        break;
      case "U":
        hex(8);
        break;
      default:
        out += e;
    }
  }
  return out;
}

/** Word operators are normalised to their symbol spelling. */
const CANONICAL_OPS: Record<string, string> = { or: "||", and: "&&", not: "!", eq: "==" };

const ERRORS: Record<string, string> = {
  badComment: "Unterminated comment",
  badLongString: "Unterminated string",
  badString: "Unterminated string",
  badChar: "Invalid char literal",
  badOther: "Unterminated literal",
  badFloat: "Invalid float literal: a '.' must be followed by a digit",
  invalid: "Invalid character found",
};

/**
 * Lex `text` into raw tokens (comments and blanks dropped; newlines kept as `sep` tokens,
 * `;` also as `sep`). Throws {@linkcode Con4mError} (phase "parse") on a lexical error.
 */
export function lexCon4m(text: string, file: string): Token[] {
  const nul = text.indexOf("\0");
  if (nul >= 0) text = text.slice(0, nul);
  const lexer = rawLexer();
  lexer.reset(text);
  const out: Token[] = [];
  for (const t of lexer) {
    const type = t.type!;
    if (type === "ws" || type === "lineComment" || type === "blockComment") continue;
    const pos: SourcePos = { file, line: t.line, col: t.col };
    const msg = ERRORS[type];
    if (msg !== undefined) throw new Con4mError("parse", msg, pos);
    let ttype = type;
    let value = t.value;
    let tokText = t.value;
    switch (type) {
      case "nl":
      case "semi":
        ttype = "sep";
        tokText = type === "nl" ? "\n" : ";";
        break;
      case "longString":
        ttype = "strlit";
        value = decodeEscapes(t.text.slice(3, -3), pos);
        break;
      case "string":
        ttype = "strlit";
        value = decodeEscapes(t.text.slice(1, -1), pos);
        break;
      case "char": {
        ttype = "charlit";
        const s = decodeEscapes(t.text.slice(1, -1), pos);
        const cps = [...s];
        if (cps.length > 1) throw new Con4mError("parse", "Invalid char literal", pos);
        value = String(cps.length === 0 ? 0 : cps[0].codePointAt(0)!);
        break;
      }
      case "other":
        ttype = "otherlit";
        value = t.text.slice(2, -2).trim();
        break;
      case "bareOther":
        ttype = "otherlit";
        break;
      case "float":
        ttype = "floatlit";
        break;
      case "int":
        ttype = "intlit";
        break;
    }
    const canonical = CANONICAL_OPS[ttype];
    if (canonical !== undefined) tokText = value = canonical;
    out.push({ type: ttype, value, text: tokText, offset: t.offset, pos });
  }
  return out;
}

/**
 * Tokens after which an operand is expected, so a `{` there opens a dict literal rather than
 * a block.
 */
const OPERAND_EXPECTED = new Set([
  "or",
  "and",
  "not",
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
  "colon",
  "walrus",
  "equals",
  "comma",
  "lparen",
  "lbrack",
  "ldict",
  "arrow",
  "kw_return",
  "kw_from",
  "kw_to",
  "sep",
]);

/** Tokens after which a new statement starts. */
const STMT_START = new Set(["sep", "lbrace", "rbrace"]);

type Frame = "paren" | "dict" | "block";

/**
 * Apply the token filter to raw tokens: decide which newlines terminate
 * statements, classify `{` as block (`lbrace`) or dict (`ldict`), re-type statement-leading
 * `use`/`parameter`/`func`, a leading `name.` (`attrhead`), and type names not followed by `(`, and normalise separators
 * (collapsed; none at the start/end of a block or file; one inserted after a block that ends
 * a statement when the next statement follows on the same line).
 */
export function filterTokens(raw: readonly Token[]): Token[] {
  const out: Token[] = [];
  const stack: Frame[] = [];
  let header = -1; // stack depth at which a header (if/elif/for/func) is open; -1 = none
  let lastBlockClose = false;
  const last = (): Token | undefined => out[out.length - 1];
  const atStmtStart = (): boolean => {
    const l = last();
    return l === undefined || STMT_START.has(l.type);
  };
  const emit = (t: Token): void => {
    if (
      lastBlockClose && t.type !== "sep" && t.type !== "rbrace" && t.type !== "kw_elif" &&
      t.type !== "kw_else"
    ) {
      const l = last()!;
      out.push({ type: "sep", value: "", text: "", offset: t.offset, pos: l.pos });
    }
    lastBlockClose = false;
    out.push(t);
  };
  // Index of the first non-separator token at or after a position (memoised for runs of
  // blank lines, which would otherwise be rescanned once per line).
  let scanFrom = -1;
  let scanTo = -1;
  const nextSignificant = (i: number): Token | undefined => {
    if (i >= scanFrom && i <= scanTo) return raw[scanTo];
    scanFrom = i;
    while (i < raw.length && raw[i].type === "sep") i++;
    scanTo = i;
    return raw[i];
  };
  for (let i = 0; i < raw.length; i++) {
    let t = raw[i];
    const top = stack[stack.length - 1];
    switch (t.type) {
      case "sep": {
        if (t.text === "\n") {
          if (top === "paren" || top === "dict") continue;
          if (header >= 0) continue;
        }
        const l = last();
        if (l === undefined || l.type === "sep" || l.type === "lbrace") continue;
        if (l.type === "kw_else" || l.type === "kw_export") continue;
        const n = nextSignificant(i + 1);
        if (n === undefined || n.type === "rbrace") continue;
        if (n.type === "kw_elif" || n.type === "kw_else") continue;
        lastBlockClose = false;
        out.push(t);
        continue;
      }
      case "lparen":
      case "lbrack":
        stack.push("paren");
        break;
      case "lbrace": {
        const l = last();
        const dict = l === undefined || OPERAND_EXPECTED.has(l.type) ||
          (l.type === "lbrace" && header < 0);
        if (dict) {
          t = { ...t, type: "ldict" };
          stack.push("dict");
        } else {
          stack.push("block");
          if (header === stack.length - 1) header = -1;
        }
        break;
      }
      case "rbrace":
      case "rparen":
      case "rbrack": {
        const f = stack.pop();
        if (t.type === "rbrace" && f === "dict") t = { ...t, type: "rdict" };
        emit(t);
        if (t.type === "rbrace" && f === "block") lastBlockClose = true;
        continue;
      }
      case "kw_if":
      case "kw_elif":
      case "kw_for":
        if (header < 0) header = stack.length;
        break;
      case "kw_func":
        if (atStmtStart()) {
          t = { ...t, type: "kw_funcdef" };
          if (header < 0) header = stack.length;
        }
        break;
      case "ident": {
        if (atStmtStart() && raw[i + 1]?.type === "dot") {
          // `a.b…` at statement start is always a dotted attribute assignment.
          t = { ...t, type: "attrhead" };
        } else if ((t.value === "use" || t.value === "parameter") && atStmtStart()) {
          t = { ...t, type: t.value === "use" ? "kw_use" : "kw_parameter" };
        } else if (TYPE_NAMES.has(t.value) && raw[i + 1]?.type !== "lparen") {
          t = { ...t, type: raw[i + 1]?.type === "lbrack" ? "typeapp" : "typename" };
        }
        break;
      }
    }
    emit(t);
  }
  return out;
}

/**
 * A nearley-compatible lexer over already filtered tokens. nearley calls `reset` on every
 * `feed`; the position is kept, so feed once.
 */
export class TokenStream {
  #toks: readonly Token[];
  #i = 0;

  /** Stream over `toks`. */
  constructor(toks: readonly Token[]) {
    this.#toks = toks;
  }

  /** Required by nearley; the stream keeps its position. */
  reset(_chunk?: string, _state?: unknown): void {}

  /** The next token, or undefined at the end. */
  next(): Token | undefined {
    return this.#toks[this.#i++];
  }

  /** Current position (nearley's lexer state). */
  save(): number {
    return this.#i;
  }

  /** Required by nearley; messages are built by the parser instead. */
  formatError(_token: unknown, message?: string): string {
    return message ?? "Parse error";
  }

  /** Every terminal in the grammar is a token type. */
  has(_type: string): boolean {
    return true;
  }
}

/** The lexer object the compiled grammar refers to (parsers pass their own stream). */
export const grammarLexer: TokenStream = new TokenStream([]);
