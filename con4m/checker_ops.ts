/**
 * Operator typing rules: which operand types each operator accepts and what it produces. Pure
 * functions over already unified operand types.
 *
 * @module
 */

import type { BinaryOp, PrimName } from "./ast.ts";
import { prune, tBool, tFloat, type Type } from "./types.ts";

const ARITH: Readonly<Record<string, ReadonlySet<PrimName>>> = {
  // Size + Size is refused by the original; allowed here, like Duration + Duration
  // (docs/con4m.md, "Compatibility notes").
  "+": new Set<PrimName>(["int", "float", "char", "string", "Duration", "Size"]),
  "-": new Set<PrimName>(["int", "float", "char", "Duration", "Size"]),
  "*": new Set<PrimName>(["int", "float", "char"]),
  "/": new Set<PrimName>(["int", "float", "char"]),
  "%": new Set<PrimName>(["int", "char"]),
};

const ORDERED: ReadonlySet<PrimName> = new Set<PrimName>([
  "int",
  "float",
  "char",
  "string",
  "Duration",
  "Size",
  "IPAddr",
  "CIDR",
  "Date",
  "Time",
  "DateTime",
]);

const NUMERIC: ReadonlySet<PrimName> = new Set<PrimName>(["int", "float", "char"]);

/** Result of typing an operator application: a type, or an error message. */
export type OpResult = { ok: true; type: Type } | { ok: false; message: string };

/** Message when the operand types of a binary operator differ. */
export const MISMATCH_MSG = "Types of left and right side of binary ops must match";

/**
 * Type a binary operator whose operands were already unified to `t` (`t` may still be an
 * unbound variable: then the operator is accepted and the result stays generic).
 */
export function binaryResult(op: BinaryOp, t: Type): OpResult {
  const p = prune(t);
  switch (op) {
    case "||":
    case "&&":
      return { ok: true, type: tBool };
    case "==":
    case "!=":
      return { ok: true, type: tBool };
    case "<":
    case "<=":
    case ">":
    case ">=":
      if (p.kind === "var" || (p.kind === "prim" && ORDERED.has(p.name))) {
        return { ok: true, type: tBool };
      }
      return { ok: false, message: "Comparison ops only work on numbers and strings" };
    default: {
      const allowed = ARITH[op];
      if (p.kind === "var") return { ok: true, type: op === "/" ? tFloat : p };
      if (p.kind === "prim" && allowed.has(p.name)) {
        return { ok: true, type: op === "/" ? tFloat : p };
      }
      return { ok: false, message: "Invalid type for bianry operator" };
    }
  }
}

/** Is `t` acceptable for unary `+`/`-` (int, char, float, or still unknown)? */
export function unaryOk(t: Type): boolean {
  const p = prune(t);
  return p.kind === "var" || (p.kind === "prim" && NUMERIC.has(p.name));
}
