# con4m grammar, compiled into grammar.generated.ts by `deno task grammar`.
#
# Tokens come from lexer.ts (lexCon4m + filterTokens): statement separators are already
# normalised to single %sep tokens, `{` is split into %lbrace (block) and %ldict (dict), and
# type names not followed by `(` arrive as %typeapp (before `[`) or %typename; an identifier
# starting a statement and followed by `.` arrives as %attrhead (a dotted assignment target).
#
# Expressions use conventional precedence, left-associative, with a greedy `not` (both as
# docs/con4m.md, "Compatibility notes", says): see the `Expr` rule.
#
# Lists are built as cons cells (never mutated: Earley may share partial results) and turned
# into arrays by the rule that owns them.

@preprocessor typescript

@{%
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
%}

@lexer lexer

# ------------------------------------------------------------------------------ statements

Program -> null                         {% () => null %}
         | Stmts                        {% id %}

Stmts -> Stmt                           {% (d) => cons(null, d[0]) %}
       | Stmts %sep Stmt                {% (d) => cons(d[0], d[2]) %}

Block -> %lbrace %rbrace                {% (d) => body(d[0], null) %}
       | %lbrace Stmts %rbrace          {% (d) => body(d[0], d[1]) %}

Stmt -> AttrAssign                      {% id %}
      | VarAssign                       {% id %}
      | Unpack                          {% id %}
      | Section                         {% id %}
      | If                              {% id %}
      | For                             {% id %}
      | Simple                          {% id %}
      | FuncDef                         {% id %}
      | Decl                            {% id %}
      | Use                             {% id %}
      | Parameter                       {% id %}
      | Expr                            {% (d) => ({ kind: "ExprStmt", pos: d[0].pos, expr: d[0] }) %}

Name -> %ident                          {% id %}
      | %typename                       {% id %}

Dotted -> Name                          {% (d) => cons(null, d[0]) %}
        | %attrhead                     {% (d) => cons(null, d[0]) %}
        | Dotted %dot Name              {% (d) => cons(d[0], d[2]) %}

AssignOp -> %colon                      {% id %}
          | %equals                     {% id %}

AttrAssign -> Dotted AssignOp Expr
  {% (d) => {
    const p = arr<Token>(d[0]);
    return { kind: "AttrAssign", pos: p[0].pos, path: p.map((t) => t.value), lock: false, value: d[2] };
  } %}
            | %tilde Dotted AssignOp Expr
  {% (d) => ({
    kind: "AttrAssign", pos: d[0].pos, path: arr<Token>(d[1]).map((t) => t.value), lock: true,
    value: d[3],
  }) %}

VarAssign -> %ident %walrus Expr
  {% (d) => ({ kind: "VarAssign", pos: d[0].pos, name: d[0].value, value: d[2] }) %}

Idents2 -> %ident %comma %ident         {% (d) => cons(cons(null, d[0]), d[2]) %}
         | Idents2 %comma %ident        {% (d) => cons(d[0], d[2]) %}

Unpack -> Idents2 %walrus Expr
  {% (d) => {
    const names = arr<Token>(d[0]);
    return { kind: "Unpack", pos: names[0].pos, names: names.map((t) => t.value), value: d[2] };
  } %}

Label -> Name                           {% (d) => ({ text: d[0].value, str: false }) %}
       | %strlit                        {% (d) => ({ text: d[0].value, str: true }) %}

Section -> Name Label
  {% (d) => ({
    kind: "Section", pos: d[0].pos, name: d[0].value, label: d[1].text, labelIsString: d[1].str,
    body: null,
  }) %}
         | Name Block
  {% (d) => ({ kind: "Section", pos: d[0].pos, name: d[0].value, body: d[1] }) %}
         | Name Label Block
  {% (d) => ({
    kind: "Section", pos: d[0].pos, name: d[0].value, label: d[1].text, labelIsString: d[1].str,
    body: d[2],
  }) %}

Elifs -> null                           {% () => null %}
       | Elifs %kw_elif Expr Block      {% (d) => cons(d[0], { pos: d[1].pos, cond: d[2], body: d[3] }) %}

If -> %kw_if Expr Block Elifs
  {% (d) => ({
    kind: "If", pos: d[0].pos, branches: [{ pos: d[0].pos, cond: d[1], body: d[2] }, ...arr(d[3])],
  }) %}
    | %kw_if Expr Block Elifs %kw_else Block
  {% (d) => ({
    kind: "If", pos: d[0].pos, branches: [{ pos: d[0].pos, cond: d[1], body: d[2] }, ...arr(d[3])],
    elseBody: d[5],
  }) %}

For -> %kw_for %ident %kw_from Expr %kw_to Expr Block
  {% (d) => ({ kind: "For", pos: d[0].pos, varName: d[1].value, from: d[3], to: d[5], body: d[6] }) %}

Simple -> %kw_break                     {% (d) => ({ kind: "Break", pos: d[0].pos }) %}
        | %kw_continue                  {% (d) => ({ kind: "Continue", pos: d[0].pos }) %}
        | %kw_return                    {% (d) => ({ kind: "Return", pos: d[0].pos }) %}
        | %kw_return Expr               {% (d) => ({ kind: "Return", pos: d[0].pos, value: d[1] }) %}

Formal -> %ident                        {% (d) => ({ pos: d[0].pos, name: d[0].value }) %}
        | %ident %colon Type            {% (d) => ({ pos: d[0].pos, name: d[0].value, type: d[2] }) %}

Formals -> Formal                       {% (d) => cons(null, d[0]) %}
         | Formals %comma Formal        {% (d) => cons(d[0], d[2]) %}

FuncDef -> %kw_funcdef Name %lparen %rparen Block
  {% (d) => ({ kind: "FuncDef", pos: d[0].pos, name: d[1].value, formals: [], body: d[4] }) %}
         | %kw_funcdef Name %lparen Formals %rparen Block
  {% (d) => ({ kind: "FuncDef", pos: d[0].pos, name: d[1].value, formals: arr(d[3]), body: d[5] }) %}

Idents -> %ident                        {% (d) => cons(null, d[0]) %}
        | Idents %comma %ident          {% (d) => cons(d[0], d[2]) %}

Decl -> %kw_var Idents %colon Type
  {% (d) => ({
    kind: "VarDecl", pos: d[0].pos, names: arr<Token>(d[1]).map((t) => t.value), type: d[3],
  }) %}
      | %kw_export Idents
  {% (d) => ({ kind: "Export", pos: d[0].pos, names: arr<Token>(d[1]).map((t) => t.value) }) %}
      | %kw_enum Idents
  {% (d) => ({ kind: "Enum", pos: d[0].pos, names: arr<Token>(d[1]).map((t) => t.value) }) %}

Use -> %kw_use Name                     {% (d) => ({ kind: "Use", pos: d[0].pos, name: d[1].value }) %}
     | %kw_use Name %kw_from %strlit
  {% (d) => ({ kind: "Use", pos: d[0].pos, name: d[1].value, from: d[3].value }) %}

ParamTarget -> Dotted                   {% (d) => ({ isVar: false, path: arr<Token>(d[0]).map((t) => t.value) }) %}
             | %kw_var %ident           {% (d) => ({ isVar: true, path: [d[1].value] }) %}

ParamOp -> %colon                       {% id %}
         | %equals                      {% id %}
         | %walrus                      {% id %}

ParamProp -> Name ParamOp Expr          {% (d) => ({ pos: d[0].pos, name: d[0].value, value: d[2] }) %}

ParamProps -> ParamProp                 {% (d) => cons(null, d[0]) %}
            | ParamProps %sep ParamProp {% (d) => cons(d[0], d[2]) %}

Parameter -> %kw_parameter ParamTarget
  {% (d) => ({ kind: "Parameter", pos: d[0].pos, ...d[1], props: [], hasBody: false }) %}
           | %kw_parameter ParamTarget %lbrace %rbrace
  {% (d) => ({ kind: "Parameter", pos: d[0].pos, ...d[1], props: [], hasBody: true }) %}
           | %kw_parameter ParamTarget %lbrace ParamProps %rbrace
  {% (d) => ({ kind: "Parameter", pos: d[0].pos, ...d[1], props: arr(d[3]), hasBody: true }) %}

# ----------------------------------------------------------------------------- expressions

# An expression is a flat chain `operand (op operand)*`, grouped by precedence climbing in
# `climb` (conventional precedence, left-associative). A `not` expression may only be the
# last operand and swallows everything after it (greedy `not`), so the grammar stays
# unambiguous and shallow (fewer Earley states per token than one rule per level).
Expr -> Chain                           {% (d) => climb(arr(d[0])) %}
      | Chain BinOp NotExpr             {% (d) => climb([...arr<Expr | Token>(d[0]), d[1], d[2]]) %}
      | NotExpr                         {% id %}

Chain -> Unary                          {% (d) => cons(null, d[0]) %}
       | Chain BinOp Unary              {% (d) => cons(cons(d[0], d[1]), d[2]) %}

BinOp -> %or                            {% id %}
       | %and                           {% id %}
       | %eq                            {% id %}
       | %ne                            {% id %}
       | %lt                            {% id %}
       | %le                            {% id %}
       | %gt                            {% id %}
       | %ge                            {% id %}
       | %plus                          {% id %}
       | %minus                         {% id %}
       | %star                          {% id %}
       | %slash                         {% id %}
       | %percent                       {% id %}

AddOp -> %plus                          {% id %}
       | %minus                         {% id %}

NotExpr -> %not Expr                    {% (d) => ({ kind: "Not", pos: d[0].pos, operand: d[1] }) %}

Unary -> Postfix                        {% id %}
       | AddOp Postfix                  {% (d) => ({ kind: "Unary", pos: d[0].pos, op: d[0].text, operand: d[1] }) %}

Postfix -> Primary                      {% id %}
         | Member
  {% (d) => {
    const p = arr<Token>(d[0]);
    return { kind: "Member", pos: p[0].pos, path: p.map((t) => t.value) };
  } %}
         | Postfix %lbrack Expr %rbrack
  {% (d) => ({ kind: "Index", pos: d[0].pos, base: d[0], index: d[2] }) %}
         | Postfix %dot Name %lparen Args %rparen
  {% (d) => ({ kind: "Call", pos: d[0].pos, name: d[2].value, args: [d[0], ...arr(d[4])], method: true }) %}

Member -> %ident %dot Name              {% (d) => cons(cons(null, d[0]), d[2]) %}
        | Member %dot Name              {% (d) => cons(d[0], d[2]) %}

Args -> null                            {% () => null %}
      | ExprList                        {% id %}

ExprList -> Expr                        {% (d) => cons(null, d[0]) %}
          | ExprList %comma Expr        {% (d) => cons(d[0], d[2]) %}

Primary -> %ident                       {% (d) => ({ kind: "Ident", pos: d[0].pos, name: d[0].value }) %}
         | %ident %lparen Args %rparen
  {% (d) => ({ kind: "Call", pos: d[0].pos, name: d[0].value, args: arr(d[2]), method: false }) %}
         | %lparen Expr %rparen         {% (d) => d[1] %}
         | %lparen Expr %comma ExprList %rparen
  {% (d) => ({ kind: "Tuple", pos: d[0].pos, items: [d[1], ...arr(d[3])] }) %}
         | %lbrack Args %rbrack         {% (d) => ({ kind: "List", pos: d[0].pos, items: arr(d[1]) }) %}
         | %ldict %rdict                {% (d) => ({ kind: "Dict", pos: d[0].pos, entries: [] }) %}
         | %ldict DictEntries %rdict    {% (d) => ({ kind: "Dict", pos: d[0].pos, entries: arr(d[1]) }) %}
         | %intlit
  {% (d) => ({ kind: "Int", pos: d[0].pos, value: BigInt(d[0].value), text: d[0].value }) %}
         | %floatlit
  {% (d) => ({ kind: "Float", pos: d[0].pos, value: Number(d[0].value), text: d[0].value }) %}
         | %strlit                      {% (d) => ({ kind: "String", pos: d[0].pos, value: d[0].value }) %}
         | %charlit                     {% (d) => ({ kind: "Char", pos: d[0].pos, value: Number(d[0].value) }) %}
         | %kw_true                     {% (d) => ({ kind: "Bool", pos: d[0].pos, value: true }) %}
         | %kw_false                    {% (d) => ({ kind: "Bool", pos: d[0].pos, value: false }) %}
         | %otherlit                    {% (d) => ({ kind: "Other", pos: d[0].pos, text: d[0].value }) %}
         | ExprType                     {% (d) => ({ kind: "TypeLit", pos: d[0].pos, syntax: d[0].syntax }) %}
         | %kw_func Name                {% (d) => ({ kind: "Callback", pos: d[0].pos, name: d[1].value }) %}
         | %kw_func Name FuncSig
  {% (d) => ({ kind: "Callback", pos: d[0].pos, name: d[1].value, sig: d[2] }) %}

DictEntries -> Expr %colon Expr         {% (d) => cons(null, { key: d[0], value: d[2] }) %}
             | DictEntries %comma Expr %colon Expr
  {% (d) => cons(d[0], { key: d[2], value: d[4] }) %}

# ----------------------------------------------------------------------------------- types

# A type literal in expression position: no unions, function types need `func`.
ExprType -> NamedType                   {% (d) => ({ pos: d[0].pos, syntax: d[0].syntax }) %}
          | %backtick Name              {% (d) => ({ pos: d[0].pos, syntax: { tag: "tvar", name: d[1].value } }) %}
          | %kw_func FuncSig            {% (d) => ({ pos: d[0].pos, syntax: d[1] }) %}
          | %kw_func                    {% (d) => ({ pos: d[0].pos, syntax: { tag: "func", params: null, varargs: false, ret: null } }) %}

NamedType -> %typename
  {% (d, _l, reject) => {
    const s = bareType(d[0], reject);
    return s === reject ? reject : { pos: d[0].pos, syntax: s };
  } %}
           | %typeapp %lbrack TypeArgs %rbrack
  {% (d, _l, reject) => {
    const s = appliedType(d[0], arr(d[2]), reject);
    return s === reject ? reject : { pos: d[0].pos, syntax: s };
  } %}

TypeArgs -> Type                        {% (d) => cons(null, d[0]) %}
          | TypeArgs %comma Type        {% (d) => cons(d[0], d[2]) %}

Type -> OneType                         {% id %}
      | Unions                          {% (d) => ({ tag: "union", options: arr(d[0]) }) %}

Unions -> OneType %or OneType           {% (d) => cons(cons(null, d[0]), d[2]) %}
        | Unions %or OneType            {% (d) => cons(d[0], d[2]) %}

OneType -> NamedType                    {% (d) => d[0].syntax %}
         | %backtick Name               {% (d) => ({ tag: "tvar", name: d[1].value }) %}
         | FuncSig                      {% id %}
         | %kw_func FuncSig             {% (d) => d[1] %}
         | %kw_func                     {% () => ({ tag: "func", params: null, varargs: false, ret: null }) %}

FuncSig -> %lparen %rparen RetType      {% (d) => ({ tag: "func", params: [], varargs: false, ret: d[2] }) %}
         | %lparen SigParams %rparen RetType
  {% (d, _l, reject) => sig(arr(d[1]), d[3], reject) %}

RetType -> null                         {% () => null %}
         | %arrow OneType               {% (d) => d[1] %}

SigParams -> SigParam                   {% (d) => cons(null, d[0]) %}
           | SigParams %comma SigParam  {% (d) => cons(d[0], d[2]) %}

SigParam -> Type                        {% (d) => ({ star: false, type: d[0] }) %}
          | %star Type                  {% (d) => ({ star: true, type: d[1] }) %}
