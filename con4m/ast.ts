/**
 * Parse tree of a con4m program. Every node carries the position of its first token. The checker
 * annotates nodes in place (fields marked "set by the checker"); the parser never sets them.
 *
 * @module
 */

import type { SourcePos } from "./errors.ts";
import type { Type } from "./types.ts";

export type { SourcePos };

/** Names of the primitive types usable in type syntax. */
export const PRIM_NAMES = [
  "bool",
  "int",
  "char",
  "float",
  "string",
  "void",
  "Duration",
  "IPAddr",
  "CIDR",
  "Size",
  "Date",
  "Time",
  "DateTime",
] as const;

/** One of {@link PRIM_NAMES}. */
export type PrimName = typeof PRIM_NAMES[number];

/** The type names that start a type literal in expression position. */
export const TYPE_NAMES: ReadonlySet<string> = new Set([
  ...PRIM_NAMES,
  "list",
  "dict",
  "tuple",
  "typespec",
]);

// ---------------------------------------------------------------------------------------------
// Type syntax (what a type literal looks like in the source; converted to `Type` by types.ts)
// ---------------------------------------------------------------------------------------------

/** Syntax of a type; converted to a {@linkcode Type} with `typeFromSyntax`. */
export type TypeSyntax =
  | { tag: "prim"; name: PrimName }
  | { tag: "list"; item: TypeSyntax }
  | { tag: "dict"; key: TypeSyntax; value: TypeSyntax }
  | { tag: "tuple"; items: TypeSyntax[] }
  | { tag: "typespec"; tvar?: string }
  | { tag: "tvar"; name: string }
  /** `params === null` is the bare `func` type (any function). */
  | { tag: "func"; params: TypeSyntax[] | null; varargs: boolean; ret: TypeSyntax | null }
  | { tag: "union"; options: TypeSyntax[] };

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** Binary operators, normalised (`and` → `&&`, `or` → `||`, `is` → `==`). */
export type BinaryOp =
  | "||"
  | "&&"
  | "!="
  | "=="
  | ">="
  | "<="
  | ">"
  | "<"
  | "+"
  | "-"
  | "%"
  | "*"
  | "/";

/** Fields common to every expression node. */
export interface ExprBase {
  /** Position of the first token. */
  pos: SourcePos;
  /** Static type (set by the checker). */
  ty?: Type;
}

/** Where a bare name or member chain was resolved by the checker. */
export type NameRef =
  /** A variable (local, formal, global/exported, enum member, `result`). */
  | { kind: "var"; name: string }
  /** An attribute at an absolute dotted path (from the root). */
  | { kind: "attr"; path: string[] };

/** `left op right`. */
export interface BinaryExpr extends ExprBase {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** `not e` / `! e` (greedy: `e` is the whole rest of the expression). */
export interface NotExpr extends ExprBase {
  kind: "Not";
  operand: Expr;
}

/** Unary sign `+e` / `-e`. */
export interface UnaryExpr extends ExprBase {
  kind: "Unary";
  op: "+" | "-";
  operand: Expr;
}

/** A bare name. */
export interface IdentExpr extends ExprBase {
  kind: "Ident";
  name: string;
  /** Resolution (set by the checker). */
  ref?: NameRef;
}

/** A dotted member chain `a.b.c` (at least two names). */
export interface MemberExpr extends ExprBase {
  kind: "Member";
  path: string[];
  /** Resolution (set by the checker). */
  ref?: NameRef;
}

/** `base[index]`. */
export interface IndexExpr extends ExprBase {
  kind: "Index";
  base: Expr;
  index: Expr;
}

/** A function implementation chosen by the checker for a call site. */
export interface FuncRef {
  /** Function name. */
  name: string;
  /** Generic signature (a `func` type); each call instantiates a fresh copy. */
  type: Type;
  /** True for host/builtin functions. */
  builtin: boolean;
  /** The user definition, when the function was defined in con4m source. */
  def?: FuncDefStmt;
  /** Host payload (e.g. the builtin implementation), opaque to the checker. */
  impl?: unknown;
}

/** `name(args)`, or method style `recv.name(args)` (then `args[0]` is the receiver). */
export interface CallExpr extends ExprBase {
  kind: "Call";
  name: string;
  args: Expr[];
  /** True when written `recv.name(...)` (uniform function call syntax). */
  method: boolean;
  /** Implementation chosen by overload resolution (set by the checker). */
  target?: FuncRef;
}

/** Integer literal (also used for enum values). */
export interface IntLit extends ExprBase {
  kind: "Int";
  value: bigint;
  /** Source text of the literal. */
  text: string;
}

/** Float literal. */
export interface FloatLit extends ExprBase {
  kind: "Float";
  value: number;
  text: string;
}

/** String literal (escapes decoded; adjacent literals joined by `+` are NOT folded). */
export interface StringLit extends ExprBase {
  kind: "String";
  value: string;
}

/** Character literal (a Unicode code point). */
export interface CharLit extends ExprBase {
  kind: "Char";
  value: number;
}

/** `true` / `false`. */
export interface BoolLit extends ExprBase {
  kind: "Bool";
  value: boolean;
}

/** An other-literal `<< text >>` or a bare dotted/colon number. */
export interface OtherLit extends ExprBase {
  kind: "Other";
  /** Trimmed text between the markers. */
  text: string;
  /** Classified value (set by the checker when a classifier is available). */
  value?: unknown;
}

/** `[a, b, …]`. */
export interface ListLit extends ExprBase {
  kind: "List";
  items: Expr[];
}

/** `{k: v, …}`. */
export interface DictLit extends ExprBase {
  kind: "Dict";
  entries: { key: Expr; value: Expr }[];
}

/** `(a, b, …)` with at least two items. */
export interface TupleLit extends ExprBase {
  kind: "Tuple";
  items: Expr[];
}

/** A type used as a value, e.g. `list[string]`. */
export interface TypeLit extends ExprBase {
  kind: "TypeLit";
  syntax: TypeSyntax;
  /** The denoted type (set by the checker; the expression's `ty` is `typespec[value]`). */
  value?: Type;
}

/** `func name`, `func name(T) -> R`, or a bare signature type `func (T) -> R`. */
export interface CallbackLit extends ExprBase {
  kind: "Callback";
  /** Target function name; absent for a pure function-type literal `func (T) -> R`. */
  name?: string;
  /** Optional signature (a `func` TypeSyntax). */
  sig?: TypeSyntax;
}

/** Any expression. */
export type Expr =
  | BinaryExpr
  | NotExpr
  | UnaryExpr
  | IdentExpr
  | MemberExpr
  | IndexExpr
  | CallExpr
  | IntLit
  | FloatLit
  | StringLit
  | CharLit
  | BoolLit
  | OtherLit
  | ListLit
  | DictLit
  | TupleLit
  | TypeLit
  | CallbackLit;

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** Fields common to every statement node. */
export interface StmtBase {
  /** Position of the first token. */
  pos: SourcePos;
}

/** A `{ … }` block or the top level of a file. */
export interface Body {
  kind: "Body";
  pos: SourcePos;
  stmts: Stmt[];
}

/** `a.b.c: v`, `a = v`, `~a.b: v`. */
export interface AttrAssignStmt extends StmtBase {
  kind: "AttrAssign";
  /** Dotted path relative to the current section. */
  path: string[];
  /** True for `~` (lock after setting). */
  lock: boolean;
  value: Expr;
  /** Absolute path of the attribute (set by the checker; sections resolved statically). */
  fullPath?: string[];
}

/** `x := v`. */
export interface VarAssignStmt extends StmtBase {
  kind: "VarAssign";
  name: string;
  value: Expr;
}

/** `a, b := tuple`. */
export interface UnpackStmt extends StmtBase {
  kind: "Unpack";
  names: string[];
  value: Expr;
}

/** `name [label] { … }` or a body-less `name [label]`. */
export interface SectionStmt extends StmtBase {
  kind: "Section";
  name: string;
  /** Instance label (identifier or string literal). */
  label?: string;
  /** Whether the label was written as a string literal. */
  labelIsString?: boolean;
  /** The body; `null` for a header with no body. */
  body: Body | null;
}

/** One `if`/`elif` arm. */
export interface CondBranch {
  pos: SourcePos;
  cond: Expr;
  body: Body;
}

/** `if c { … } elif c { … } else { … }`. */
export interface IfStmt extends StmtBase {
  kind: "If";
  branches: CondBranch[];
  elseBody?: Body;
}

/** `for i from a to b { … }`. */
export interface ForStmt extends StmtBase {
  kind: "For";
  varName: string;
  from: Expr;
  to: Expr;
  body: Body;
}

/** `break`. */
export interface BreakStmt extends StmtBase {
  kind: "Break";
}

/** `continue`. */
export interface ContinueStmt extends StmtBase {
  kind: "Continue";
}

/** `return [e]`. */
export interface ReturnStmt extends StmtBase {
  kind: "Return";
  value?: Expr;
}

/** One formal parameter `name [: type]`. */
export interface Formal {
  pos: SourcePos;
  name: string;
  type?: TypeSyntax;
}

/** `func name(formals) { … }`. */
export interface FuncDefStmt extends StmtBase {
  kind: "FuncDef";
  name: string;
  formals: Formal[];
  body: Body;
  /** Generic signature (set by the checker). */
  sig?: Type;
}

/** `var a, b: type`. */
export interface VarDeclStmt extends StmtBase {
  kind: "VarDecl";
  names: string[];
  type: TypeSyntax;
}

/** `export a, b`. */
export interface ExportStmt extends StmtBase {
  kind: "Export";
  names: string[];
}

/** `enum A, B, C`. */
export interface EnumStmt extends StmtBase {
  kind: "Enum";
  names: string[];
}

/** `use name [from "location"]`. */
export interface UseStmt extends StmtBase {
  kind: "Use";
  name: string;
  from?: string;
}

/** One parameter property `name: value` inside a parameter body. */
export interface ParamProp {
  pos: SourcePos;
  name: string;
  value: Expr;
}

/** `parameter a.b.c { … }` or `parameter var name { … }`. */
export interface ParameterStmt extends StmtBase {
  kind: "Parameter";
  /** True for `parameter var name`. */
  isVar: boolean;
  /** The variable name (one element) or the dotted attribute path. */
  path: string[];
  /** Properties; empty for a body-less header. */
  props: ParamProp[];
  /** Whether a `{ … }` body was written. */
  hasBody: boolean;
}

/** An expression evaluated for its side effects. */
export interface ExprStmt extends StmtBase {
  kind: "ExprStmt";
  expr: Expr;
}

/** Any statement. */
export type Stmt =
  | AttrAssignStmt
  | VarAssignStmt
  | UnpackStmt
  | SectionStmt
  | IfStmt
  | ForStmt
  | BreakStmt
  | ContinueStmt
  | ReturnStmt
  | FuncDefStmt
  | VarDeclStmt
  | ExportStmt
  | EnumStmt
  | UseStmt
  | ParameterStmt
  | ExprStmt;

/** A parsed file. */
export interface Program {
  kind: "Program";
  /** File name given to the parser. */
  file: string;
  /** Original source text (kept for `chalk dump` and caret messages). */
  source: string;
  /** Top-level statements in order (including function definitions). */
  body: Body;
}
