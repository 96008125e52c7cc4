// deno-fmt-ignore-file
// deno-lint-ignore-file
// Generated from con4m/grammar.ne by `deno task grammar`. Do not edit.
// Generated automatically by nearley, version 2.20.1
// http://github.com/Hardmath123/nearley
// Bypasses TS6133. Allow declared but unused functions.
// @ts-ignore
function id(d: any[]): any { return d[0]; }
declare var sep: any;
declare var lbrace: any;
declare var rbrace: any;
declare var ident: any;
declare var typename: any;
declare var attrhead: any;
declare var dot: any;
declare var colon: any;
declare var equals: any;
declare var tilde: any;
declare var walrus: any;
declare var comma: any;
declare var strlit: any;
declare var kw_elif: any;
declare var kw_if: any;
declare var kw_else: any;
declare var kw_for: any;
declare var kw_from: any;
declare var kw_to: any;
declare var kw_break: any;
declare var kw_continue: any;
declare var kw_return: any;
declare var kw_funcdef: any;
declare var lparen: any;
declare var rparen: any;
declare var kw_var: any;
declare var kw_export: any;
declare var kw_enum: any;
declare var kw_use: any;
declare var kw_parameter: any;
declare var or: any;
declare var and: any;
declare var eq: any;
declare var ne: any;
declare var lt: any;
declare var le: any;
declare var gt: any;
declare var ge: any;
declare var plus: any;
declare var minus: any;
declare var star: any;
declare var slash: any;
declare var percent: any;
declare var not: any;
declare var lbrack: any;
declare var rbrack: any;
declare var ldict: any;
declare var rdict: any;
declare var intlit: any;
declare var floatlit: any;
declare var charlit: any;
declare var kw_true: any;
declare var kw_false: any;
declare var otherlit: any;
declare var kw_func: any;
declare var backtick: any;
declare var typeapp: any;
declare var arrow: any;

import { grammarLexer as lexer, type Token } from "./lexer.ts";
import type {
  BinaryOp,
  Body,
  Expr,
  PrimName,
  Stmt,
  TypeSyntax,
} from "./ast.ts";

type Cons<T> = null | [Cons<T>, T];

function cons<T>(list: Cons<T>, item: T): Cons<T> {
  return [list, item];
}

function arr<T>(list: Cons<T>): T[] {
  const out: T[] = [];
  for (let c = list; c !== null; c = c[0]) out.push(c[1]);
  return out.reverse();
}

const PRIMS = new Set([
  "bool", "int", "char", "float", "string", "void",
  "Duration", "IPAddr", "CIDR", "Size", "Date", "Time", "DateTime",
]);

function body(open: Token, stmts: Cons<Stmt>): Body {
  return { kind: "Body", pos: open.pos, stmts: arr(stmts) };
}

function bin(left: Expr, op: Token, right: Expr): Expr {
  return { kind: "Binary", pos: left.pos, op: op.text as BinaryOp, left, right };
}

// Binding power of each binary operator (higher binds tighter).
const PREC: Record<string, number> = {
  "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4,
  "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
};

// Group `operand (op operand)*` by precedence, left-associative.
function climb(items: (Expr | Token)[]): Expr {
  let i = 0;
  const parse = (minPrec: number): Expr => {
    let left = items[i++] as Expr;
    while (i < items.length) {
      const op = items[i] as Token;
      const prec = PREC[op.text];
      if (prec < minPrec) break;
      i++;
      const right = parse(prec + 1);
      left = bin(left, op, right);
    }
    return left;
  };
  return parse(1);
}

// `typename` alone: a primitive or plain `typespec`.
function bareType(t: Token, reject: unknown): TypeSyntax | unknown {
  if (PRIMS.has(t.value)) return { tag: "prim", name: t.value as PrimName };
  if (t.value === "typespec") return { tag: "typespec" };
  return reject;
}

// `typename [ args ]`.
function appliedType(t: Token, args: TypeSyntax[], reject: unknown): TypeSyntax | unknown {
  switch (t.value) {
    case "list":
      return args.length === 1 ? { tag: "list", item: args[0] } : reject;
    case "dict":
      return args.length === 2 ? { tag: "dict", key: args[0], value: args[1] } : reject;
    case "tuple":
      return args.length >= 2 ? { tag: "tuple", items: args } : reject;
    case "typespec": {
      const a = args[0];
      return args.length === 1 && a.tag === "tvar" ? { tag: "typespec", tvar: a.name } : reject;
    }
  }
  return reject;
}

interface SigParam {
  star: boolean;
  type: TypeSyntax;
}

function sig(params: SigParam[], ret: TypeSyntax | null, reject: unknown): TypeSyntax | unknown {
  for (let i = 0; i < params.length - 1; i++) if (params[i].star) return reject;
  const varargs = params.length > 0 && params[params.length - 1].star;
  return { tag: "func", params: params.map((p) => p.type), varargs, ret };
}

interface NearleyToken {
  value: any;
  [key: string]: any;
};

interface NearleyLexer {
  reset: (chunk: string, info: any) => void;
  next: () => NearleyToken | undefined;
  save: () => any;
  formatError: (token: never) => string;
  has: (tokenType: string) => boolean;
};

interface NearleyRule {
  name: string;
  symbols: NearleySymbol[];
  postprocess?: (d: any[], loc?: number, reject?: {}) => any;
};

type NearleySymbol = string | { literal: any } | { test: (token: any) => boolean };

interface Grammar {
  Lexer: NearleyLexer | undefined;
  ParserRules: NearleyRule[];
  ParserStart: string;
};

const grammar: Grammar = {
  Lexer: lexer,
  ParserRules: [
    {"name": "Program", "symbols": [], "postprocess": () => null},
    {"name": "Program", "symbols": ["Stmts"], "postprocess": id},
    {"name": "Stmts", "symbols": ["Stmt"], "postprocess": (d) => cons(null, d[0])},
    {"name": "Stmts", "symbols": ["Stmts", (lexer.has("sep") ? {type: "sep"} : sep), "Stmt"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Block", "symbols": [(lexer.has("lbrace") ? {type: "lbrace"} : lbrace), (lexer.has("rbrace") ? {type: "rbrace"} : rbrace)], "postprocess": (d) => body(d[0], null)},
    {"name": "Block", "symbols": [(lexer.has("lbrace") ? {type: "lbrace"} : lbrace), "Stmts", (lexer.has("rbrace") ? {type: "rbrace"} : rbrace)], "postprocess": (d) => body(d[0], d[1])},
    {"name": "Stmt", "symbols": ["AttrAssign"], "postprocess": id},
    {"name": "Stmt", "symbols": ["VarAssign"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Unpack"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Section"], "postprocess": id},
    {"name": "Stmt", "symbols": ["If"], "postprocess": id},
    {"name": "Stmt", "symbols": ["For"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Simple"], "postprocess": id},
    {"name": "Stmt", "symbols": ["FuncDef"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Decl"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Use"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Parameter"], "postprocess": id},
    {"name": "Stmt", "symbols": ["Expr"], "postprocess": (d) => ({ kind: "ExprStmt", pos: d[0].pos, expr: d[0] })},
    {"name": "Name", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": id},
    {"name": "Name", "symbols": [(lexer.has("typename") ? {type: "typename"} : typename)], "postprocess": id},
    {"name": "Dotted", "symbols": ["Name"], "postprocess": (d) => cons(null, d[0])},
    {"name": "Dotted", "symbols": [(lexer.has("attrhead") ? {type: "attrhead"} : attrhead)], "postprocess": (d) => cons(null, d[0])},
    {"name": "Dotted", "symbols": ["Dotted", (lexer.has("dot") ? {type: "dot"} : dot), "Name"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "AssignOp", "symbols": [(lexer.has("colon") ? {type: "colon"} : colon)], "postprocess": id},
    {"name": "AssignOp", "symbols": [(lexer.has("equals") ? {type: "equals"} : equals)], "postprocess": id},
    {"name": "AttrAssign", "symbols": ["Dotted", "AssignOp", "Expr"], "postprocess":  (d) => {
          const p = arr<Token>(d[0]);
          return { kind: "AttrAssign", pos: p[0].pos, path: p.map((t) => t.value), lock: false, value: d[2] };
        } },
    {"name": "AttrAssign", "symbols": [(lexer.has("tilde") ? {type: "tilde"} : tilde), "Dotted", "AssignOp", "Expr"], "postprocess":  (d) => ({
          kind: "AttrAssign", pos: d[0].pos, path: arr<Token>(d[1]).map((t) => t.value), lock: true,
          value: d[3],
        }) },
    {"name": "VarAssign", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident), (lexer.has("walrus") ? {type: "walrus"} : walrus), "Expr"], "postprocess": (d) => ({ kind: "VarAssign", pos: d[0].pos, name: d[0].value, value: d[2] })},
    {"name": "Idents2", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident), (lexer.has("comma") ? {type: "comma"} : comma), (lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => cons(cons(null, d[0]), d[2])},
    {"name": "Idents2", "symbols": ["Idents2", (lexer.has("comma") ? {type: "comma"} : comma), (lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Unpack", "symbols": ["Idents2", (lexer.has("walrus") ? {type: "walrus"} : walrus), "Expr"], "postprocess":  (d) => {
          const names = arr<Token>(d[0]);
          return { kind: "Unpack", pos: names[0].pos, names: names.map((t) => t.value), value: d[2] };
        } },
    {"name": "Label", "symbols": ["Name"], "postprocess": (d) => ({ text: d[0].value, str: false })},
    {"name": "Label", "symbols": [(lexer.has("strlit") ? {type: "strlit"} : strlit)], "postprocess": (d) => ({ text: d[0].value, str: true })},
    {"name": "Section", "symbols": ["Name", "Label"], "postprocess":  (d) => ({
          kind: "Section", pos: d[0].pos, name: d[0].value, label: d[1].text, labelIsString: d[1].str,
          body: null,
        }) },
    {"name": "Section", "symbols": ["Name", "Block"], "postprocess": (d) => ({ kind: "Section", pos: d[0].pos, name: d[0].value, body: d[1] })},
    {"name": "Section", "symbols": ["Name", "Label", "Block"], "postprocess":  (d) => ({
          kind: "Section", pos: d[0].pos, name: d[0].value, label: d[1].text, labelIsString: d[1].str,
          body: d[2],
        }) },
    {"name": "Elifs", "symbols": [], "postprocess": () => null},
    {"name": "Elifs", "symbols": ["Elifs", (lexer.has("kw_elif") ? {type: "kw_elif"} : kw_elif), "Expr", "Block"], "postprocess": (d) => cons(d[0], { pos: d[1].pos, cond: d[2], body: d[3] })},
    {"name": "If", "symbols": [(lexer.has("kw_if") ? {type: "kw_if"} : kw_if), "Expr", "Block", "Elifs"], "postprocess":  (d) => ({
          kind: "If", pos: d[0].pos, branches: [{ pos: d[0].pos, cond: d[1], body: d[2] }, ...arr(d[3])],
        }) },
    {"name": "If", "symbols": [(lexer.has("kw_if") ? {type: "kw_if"} : kw_if), "Expr", "Block", "Elifs", (lexer.has("kw_else") ? {type: "kw_else"} : kw_else), "Block"], "postprocess":  (d) => ({
          kind: "If", pos: d[0].pos, branches: [{ pos: d[0].pos, cond: d[1], body: d[2] }, ...arr(d[3])],
          elseBody: d[5],
        }) },
    {"name": "For", "symbols": [(lexer.has("kw_for") ? {type: "kw_for"} : kw_for), (lexer.has("ident") ? {type: "ident"} : ident), (lexer.has("kw_from") ? {type: "kw_from"} : kw_from), "Expr", (lexer.has("kw_to") ? {type: "kw_to"} : kw_to), "Expr", "Block"], "postprocess": (d) => ({ kind: "For", pos: d[0].pos, varName: d[1].value, from: d[3], to: d[5], body: d[6] })},
    {"name": "Simple", "symbols": [(lexer.has("kw_break") ? {type: "kw_break"} : kw_break)], "postprocess": (d) => ({ kind: "Break", pos: d[0].pos })},
    {"name": "Simple", "symbols": [(lexer.has("kw_continue") ? {type: "kw_continue"} : kw_continue)], "postprocess": (d) => ({ kind: "Continue", pos: d[0].pos })},
    {"name": "Simple", "symbols": [(lexer.has("kw_return") ? {type: "kw_return"} : kw_return)], "postprocess": (d) => ({ kind: "Return", pos: d[0].pos })},
    {"name": "Simple", "symbols": [(lexer.has("kw_return") ? {type: "kw_return"} : kw_return), "Expr"], "postprocess": (d) => ({ kind: "Return", pos: d[0].pos, value: d[1] })},
    {"name": "Formal", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => ({ pos: d[0].pos, name: d[0].value })},
    {"name": "Formal", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident), (lexer.has("colon") ? {type: "colon"} : colon), "Type"], "postprocess": (d) => ({ pos: d[0].pos, name: d[0].value, type: d[2] })},
    {"name": "Formals", "symbols": ["Formal"], "postprocess": (d) => cons(null, d[0])},
    {"name": "Formals", "symbols": ["Formals", (lexer.has("comma") ? {type: "comma"} : comma), "Formal"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "FuncDef", "symbols": [(lexer.has("kw_funcdef") ? {type: "kw_funcdef"} : kw_funcdef), "Name", (lexer.has("lparen") ? {type: "lparen"} : lparen), (lexer.has("rparen") ? {type: "rparen"} : rparen), "Block"], "postprocess": (d) => ({ kind: "FuncDef", pos: d[0].pos, name: d[1].value, formals: [], body: d[4] })},
    {"name": "FuncDef", "symbols": [(lexer.has("kw_funcdef") ? {type: "kw_funcdef"} : kw_funcdef), "Name", (lexer.has("lparen") ? {type: "lparen"} : lparen), "Formals", (lexer.has("rparen") ? {type: "rparen"} : rparen), "Block"], "postprocess": (d) => ({ kind: "FuncDef", pos: d[0].pos, name: d[1].value, formals: arr(d[3]), body: d[5] })},
    {"name": "Idents", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => cons(null, d[0])},
    {"name": "Idents", "symbols": ["Idents", (lexer.has("comma") ? {type: "comma"} : comma), (lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Decl", "symbols": [(lexer.has("kw_var") ? {type: "kw_var"} : kw_var), "Idents", (lexer.has("colon") ? {type: "colon"} : colon), "Type"], "postprocess":  (d) => ({
          kind: "VarDecl", pos: d[0].pos, names: arr<Token>(d[1]).map((t) => t.value), type: d[3],
        }) },
    {"name": "Decl", "symbols": [(lexer.has("kw_export") ? {type: "kw_export"} : kw_export), "Idents"], "postprocess": (d) => ({ kind: "Export", pos: d[0].pos, names: arr<Token>(d[1]).map((t) => t.value) })},
    {"name": "Decl", "symbols": [(lexer.has("kw_enum") ? {type: "kw_enum"} : kw_enum), "Idents"], "postprocess": (d) => ({ kind: "Enum", pos: d[0].pos, names: arr<Token>(d[1]).map((t) => t.value) })},
    {"name": "Use", "symbols": [(lexer.has("kw_use") ? {type: "kw_use"} : kw_use), "Name"], "postprocess": (d) => ({ kind: "Use", pos: d[0].pos, name: d[1].value })},
    {"name": "Use", "symbols": [(lexer.has("kw_use") ? {type: "kw_use"} : kw_use), "Name", (lexer.has("kw_from") ? {type: "kw_from"} : kw_from), (lexer.has("strlit") ? {type: "strlit"} : strlit)], "postprocess": (d) => ({ kind: "Use", pos: d[0].pos, name: d[1].value, from: d[3].value })},
    {"name": "ParamTarget", "symbols": ["Dotted"], "postprocess": (d) => ({ isVar: false, path: arr<Token>(d[0]).map((t) => t.value) })},
    {"name": "ParamTarget", "symbols": [(lexer.has("kw_var") ? {type: "kw_var"} : kw_var), (lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => ({ isVar: true, path: [d[1].value] })},
    {"name": "ParamOp", "symbols": [(lexer.has("colon") ? {type: "colon"} : colon)], "postprocess": id},
    {"name": "ParamOp", "symbols": [(lexer.has("equals") ? {type: "equals"} : equals)], "postprocess": id},
    {"name": "ParamOp", "symbols": [(lexer.has("walrus") ? {type: "walrus"} : walrus)], "postprocess": id},
    {"name": "ParamProp", "symbols": ["Name", "ParamOp", "Expr"], "postprocess": (d) => ({ pos: d[0].pos, name: d[0].value, value: d[2] })},
    {"name": "ParamProps", "symbols": ["ParamProp"], "postprocess": (d) => cons(null, d[0])},
    {"name": "ParamProps", "symbols": ["ParamProps", (lexer.has("sep") ? {type: "sep"} : sep), "ParamProp"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Parameter", "symbols": [(lexer.has("kw_parameter") ? {type: "kw_parameter"} : kw_parameter), "ParamTarget"], "postprocess": (d) => ({ kind: "Parameter", pos: d[0].pos, ...d[1], props: [], hasBody: false })},
    {"name": "Parameter", "symbols": [(lexer.has("kw_parameter") ? {type: "kw_parameter"} : kw_parameter), "ParamTarget", (lexer.has("lbrace") ? {type: "lbrace"} : lbrace), (lexer.has("rbrace") ? {type: "rbrace"} : rbrace)], "postprocess": (d) => ({ kind: "Parameter", pos: d[0].pos, ...d[1], props: [], hasBody: true })},
    {"name": "Parameter", "symbols": [(lexer.has("kw_parameter") ? {type: "kw_parameter"} : kw_parameter), "ParamTarget", (lexer.has("lbrace") ? {type: "lbrace"} : lbrace), "ParamProps", (lexer.has("rbrace") ? {type: "rbrace"} : rbrace)], "postprocess": (d) => ({ kind: "Parameter", pos: d[0].pos, ...d[1], props: arr(d[3]), hasBody: true })},
    {"name": "Expr", "symbols": ["Chain"], "postprocess": (d) => climb(arr(d[0]))},
    {"name": "Expr", "symbols": ["Chain", "BinOp", "NotExpr"], "postprocess": (d) => climb([...arr<Expr | Token>(d[0]), d[1], d[2]])},
    {"name": "Expr", "symbols": ["NotExpr"], "postprocess": id},
    {"name": "Chain", "symbols": ["Unary"], "postprocess": (d) => cons(null, d[0])},
    {"name": "Chain", "symbols": ["Chain", "BinOp", "Unary"], "postprocess": (d) => cons(cons(d[0], d[1]), d[2])},
    {"name": "BinOp", "symbols": [(lexer.has("or") ? {type: "or"} : or)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("and") ? {type: "and"} : and)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("eq") ? {type: "eq"} : eq)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("ne") ? {type: "ne"} : ne)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("lt") ? {type: "lt"} : lt)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("le") ? {type: "le"} : le)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("gt") ? {type: "gt"} : gt)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("ge") ? {type: "ge"} : ge)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("plus") ? {type: "plus"} : plus)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("minus") ? {type: "minus"} : minus)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("star") ? {type: "star"} : star)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("slash") ? {type: "slash"} : slash)], "postprocess": id},
    {"name": "BinOp", "symbols": [(lexer.has("percent") ? {type: "percent"} : percent)], "postprocess": id},
    {"name": "AddOp", "symbols": [(lexer.has("plus") ? {type: "plus"} : plus)], "postprocess": id},
    {"name": "AddOp", "symbols": [(lexer.has("minus") ? {type: "minus"} : minus)], "postprocess": id},
    {"name": "NotExpr", "symbols": [(lexer.has("not") ? {type: "not"} : not), "Expr"], "postprocess": (d) => ({ kind: "Not", pos: d[0].pos, operand: d[1] })},
    {"name": "Unary", "symbols": ["Postfix"], "postprocess": id},
    {"name": "Unary", "symbols": ["AddOp", "Postfix"], "postprocess": (d) => ({ kind: "Unary", pos: d[0].pos, op: d[0].text, operand: d[1] })},
    {"name": "Postfix", "symbols": ["Primary"], "postprocess": id},
    {"name": "Postfix", "symbols": ["Member"], "postprocess":  (d) => {
          const p = arr<Token>(d[0]);
          return { kind: "Member", pos: p[0].pos, path: p.map((t) => t.value) };
        } },
    {"name": "Postfix", "symbols": ["Postfix", (lexer.has("lbrack") ? {type: "lbrack"} : lbrack), "Expr", (lexer.has("rbrack") ? {type: "rbrack"} : rbrack)], "postprocess": (d) => ({ kind: "Index", pos: d[0].pos, base: d[0], index: d[2] })},
    {"name": "Postfix", "symbols": ["Postfix", (lexer.has("dot") ? {type: "dot"} : dot), "Name", (lexer.has("lparen") ? {type: "lparen"} : lparen), "Args", (lexer.has("rparen") ? {type: "rparen"} : rparen)], "postprocess": (d) => ({ kind: "Call", pos: d[0].pos, name: d[2].value, args: [d[0], ...arr(d[4])], method: true })},
    {"name": "Member", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident), (lexer.has("dot") ? {type: "dot"} : dot), "Name"], "postprocess": (d) => cons(cons(null, d[0]), d[2])},
    {"name": "Member", "symbols": ["Member", (lexer.has("dot") ? {type: "dot"} : dot), "Name"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Args", "symbols": [], "postprocess": () => null},
    {"name": "Args", "symbols": ["ExprList"], "postprocess": id},
    {"name": "ExprList", "symbols": ["Expr"], "postprocess": (d) => cons(null, d[0])},
    {"name": "ExprList", "symbols": ["ExprList", (lexer.has("comma") ? {type: "comma"} : comma), "Expr"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Primary", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident)], "postprocess": (d) => ({ kind: "Ident", pos: d[0].pos, name: d[0].value })},
    {"name": "Primary", "symbols": [(lexer.has("ident") ? {type: "ident"} : ident), (lexer.has("lparen") ? {type: "lparen"} : lparen), "Args", (lexer.has("rparen") ? {type: "rparen"} : rparen)], "postprocess": (d) => ({ kind: "Call", pos: d[0].pos, name: d[0].value, args: arr(d[2]), method: false })},
    {"name": "Primary", "symbols": [(lexer.has("lparen") ? {type: "lparen"} : lparen), "Expr", (lexer.has("rparen") ? {type: "rparen"} : rparen)], "postprocess": (d) => d[1]},
    {"name": "Primary", "symbols": [(lexer.has("lparen") ? {type: "lparen"} : lparen), "Expr", (lexer.has("comma") ? {type: "comma"} : comma), "ExprList", (lexer.has("rparen") ? {type: "rparen"} : rparen)], "postprocess": (d) => ({ kind: "Tuple", pos: d[0].pos, items: [d[1], ...arr(d[3])] })},
    {"name": "Primary", "symbols": [(lexer.has("lbrack") ? {type: "lbrack"} : lbrack), "Args", (lexer.has("rbrack") ? {type: "rbrack"} : rbrack)], "postprocess": (d) => ({ kind: "List", pos: d[0].pos, items: arr(d[1]) })},
    {"name": "Primary", "symbols": [(lexer.has("ldict") ? {type: "ldict"} : ldict), (lexer.has("rdict") ? {type: "rdict"} : rdict)], "postprocess": (d) => ({ kind: "Dict", pos: d[0].pos, entries: [] })},
    {"name": "Primary", "symbols": [(lexer.has("ldict") ? {type: "ldict"} : ldict), "DictEntries", (lexer.has("rdict") ? {type: "rdict"} : rdict)], "postprocess": (d) => ({ kind: "Dict", pos: d[0].pos, entries: arr(d[1]) })},
    {"name": "Primary", "symbols": [(lexer.has("intlit") ? {type: "intlit"} : intlit)], "postprocess": (d) => ({ kind: "Int", pos: d[0].pos, value: BigInt(d[0].value), text: d[0].value })},
    {"name": "Primary", "symbols": [(lexer.has("floatlit") ? {type: "floatlit"} : floatlit)], "postprocess": (d) => ({ kind: "Float", pos: d[0].pos, value: Number(d[0].value), text: d[0].value })},
    {"name": "Primary", "symbols": [(lexer.has("strlit") ? {type: "strlit"} : strlit)], "postprocess": (d) => ({ kind: "String", pos: d[0].pos, value: d[0].value })},
    {"name": "Primary", "symbols": [(lexer.has("charlit") ? {type: "charlit"} : charlit)], "postprocess": (d) => ({ kind: "Char", pos: d[0].pos, value: Number(d[0].value) })},
    {"name": "Primary", "symbols": [(lexer.has("kw_true") ? {type: "kw_true"} : kw_true)], "postprocess": (d) => ({ kind: "Bool", pos: d[0].pos, value: true })},
    {"name": "Primary", "symbols": [(lexer.has("kw_false") ? {type: "kw_false"} : kw_false)], "postprocess": (d) => ({ kind: "Bool", pos: d[0].pos, value: false })},
    {"name": "Primary", "symbols": [(lexer.has("otherlit") ? {type: "otherlit"} : otherlit)], "postprocess": (d) => ({ kind: "Other", pos: d[0].pos, text: d[0].value })},
    {"name": "Primary", "symbols": ["ExprType"], "postprocess": (d) => ({ kind: "TypeLit", pos: d[0].pos, syntax: d[0].syntax })},
    {"name": "Primary", "symbols": [(lexer.has("kw_func") ? {type: "kw_func"} : kw_func), "Name"], "postprocess": (d) => ({ kind: "Callback", pos: d[0].pos, name: d[1].value })},
    {"name": "Primary", "symbols": [(lexer.has("kw_func") ? {type: "kw_func"} : kw_func), "Name", "FuncSig"], "postprocess": (d) => ({ kind: "Callback", pos: d[0].pos, name: d[1].value, sig: d[2] })},
    {"name": "DictEntries", "symbols": ["Expr", (lexer.has("colon") ? {type: "colon"} : colon), "Expr"], "postprocess": (d) => cons(null, { key: d[0], value: d[2] })},
    {"name": "DictEntries", "symbols": ["DictEntries", (lexer.has("comma") ? {type: "comma"} : comma), "Expr", (lexer.has("colon") ? {type: "colon"} : colon), "Expr"], "postprocess": (d) => cons(d[0], { key: d[2], value: d[4] })},
    {"name": "ExprType", "symbols": ["NamedType"], "postprocess": (d) => ({ pos: d[0].pos, syntax: d[0].syntax })},
    {"name": "ExprType", "symbols": [(lexer.has("backtick") ? {type: "backtick"} : backtick), "Name"], "postprocess": (d) => ({ pos: d[0].pos, syntax: { tag: "tvar", name: d[1].value } })},
    {"name": "ExprType", "symbols": [(lexer.has("kw_func") ? {type: "kw_func"} : kw_func), "FuncSig"], "postprocess": (d) => ({ pos: d[0].pos, syntax: d[1] })},
    {"name": "ExprType", "symbols": [(lexer.has("kw_func") ? {type: "kw_func"} : kw_func)], "postprocess": (d) => ({ pos: d[0].pos, syntax: { tag: "func", params: null, varargs: false, ret: null } })},
    {"name": "NamedType", "symbols": [(lexer.has("typename") ? {type: "typename"} : typename)], "postprocess":  (d, _l, reject) => {
          const s = bareType(d[0], reject);
          return s === reject ? reject : { pos: d[0].pos, syntax: s };
        } },
    {"name": "NamedType", "symbols": [(lexer.has("typeapp") ? {type: "typeapp"} : typeapp), (lexer.has("lbrack") ? {type: "lbrack"} : lbrack), "TypeArgs", (lexer.has("rbrack") ? {type: "rbrack"} : rbrack)], "postprocess":  (d, _l, reject) => {
          const s = appliedType(d[0], arr(d[2]), reject);
          return s === reject ? reject : { pos: d[0].pos, syntax: s };
        } },
    {"name": "TypeArgs", "symbols": ["Type"], "postprocess": (d) => cons(null, d[0])},
    {"name": "TypeArgs", "symbols": ["TypeArgs", (lexer.has("comma") ? {type: "comma"} : comma), "Type"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "Type", "symbols": ["OneType"], "postprocess": id},
    {"name": "Type", "symbols": ["Unions"], "postprocess": (d) => ({ tag: "union", options: arr(d[0]) })},
    {"name": "Unions", "symbols": ["OneType", (lexer.has("or") ? {type: "or"} : or), "OneType"], "postprocess": (d) => cons(cons(null, d[0]), d[2])},
    {"name": "Unions", "symbols": ["Unions", (lexer.has("or") ? {type: "or"} : or), "OneType"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "OneType", "symbols": ["NamedType"], "postprocess": (d) => d[0].syntax},
    {"name": "OneType", "symbols": [(lexer.has("backtick") ? {type: "backtick"} : backtick), "Name"], "postprocess": (d) => ({ tag: "tvar", name: d[1].value })},
    {"name": "OneType", "symbols": ["FuncSig"], "postprocess": id},
    {"name": "OneType", "symbols": [(lexer.has("kw_func") ? {type: "kw_func"} : kw_func), "FuncSig"], "postprocess": (d) => d[1]},
    {"name": "OneType", "symbols": [(lexer.has("kw_func") ? {type: "kw_func"} : kw_func)], "postprocess": () => ({ tag: "func", params: null, varargs: false, ret: null })},
    {"name": "FuncSig", "symbols": [(lexer.has("lparen") ? {type: "lparen"} : lparen), (lexer.has("rparen") ? {type: "rparen"} : rparen), "RetType"], "postprocess": (d) => ({ tag: "func", params: [], varargs: false, ret: d[2] })},
    {"name": "FuncSig", "symbols": [(lexer.has("lparen") ? {type: "lparen"} : lparen), "SigParams", (lexer.has("rparen") ? {type: "rparen"} : rparen), "RetType"], "postprocess": (d, _l, reject) => sig(arr(d[1]), d[3], reject)},
    {"name": "RetType", "symbols": [], "postprocess": () => null},
    {"name": "RetType", "symbols": [(lexer.has("arrow") ? {type: "arrow"} : arrow), "OneType"], "postprocess": (d) => d[1]},
    {"name": "SigParams", "symbols": ["SigParam"], "postprocess": (d) => cons(null, d[0])},
    {"name": "SigParams", "symbols": ["SigParams", (lexer.has("comma") ? {type: "comma"} : comma), "SigParam"], "postprocess": (d) => cons(d[0], d[2])},
    {"name": "SigParam", "symbols": ["Type"], "postprocess": (d) => ({ star: false, type: d[0] })},
    {"name": "SigParam", "symbols": [(lexer.has("star") ? {type: "star"} : star), "Type"], "postprocess": (d) => ({ star: true, type: d[1] })}
  ],
  ParserStart: "Program",
};

export default grammar;
