/**
 * Configurations written for Chalk v0.1 use a few attribute spellings that
 * chalk-ts's schema (like current Chalk's) has turned into sections:
 * `exec.heartbeat: true` is `exec.heartbeat.run`, and `exec.heartbeat_rate`
 * is `exec.heartbeat.rate` (docs/configuration.md, "v0.1 spellings"). Each
 * layer's parsed program is rewritten before it is checked, so both
 * spellings work, in dotted and in section form (`exec { heartbeat: true }`).
 *
 * @module
 */
import type { Body, Program, Stmt } from "../con4m/ast.ts";
import type { Con4mError } from "../con4m/errors.ts";
import type { EvalState } from "../con4m/eval_state.ts";
import { defaultChecker } from "../con4m/stack.ts";

/** Old attribute path → its place in the schema today. */
const RENAMES: readonly { from: readonly string[]; to: readonly string[] }[] = [
  { from: ["exec", "heartbeat"], to: ["exec", "heartbeat", "run"] },
  { from: ["exec", "heartbeat_rate"], to: ["exec", "heartbeat", "rate"] },
];

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}

function rewriteStmt(stmt: Stmt, section: readonly string[]): void {
  switch (stmt.kind) {
    case "AttrAssign": {
      const full = [...section, ...stmt.path];
      const rename = RENAMES.find((r) => samePath(r.from, full));
      // Keep the part written inside the section: only the tail differs.
      if (rename) stmt.path = rename.to.slice(section.length);
      return;
    }
    case "Section":
      if (stmt.body && stmt.label === undefined) rewriteBody(stmt.body, [...section, stmt.name]);
      return;
    case "If":
      for (const b of stmt.branches) rewriteBody(b.body, section);
      if (stmt.elseBody) rewriteBody(stmt.elseBody, section);
      return;
    case "For":
      rewriteBody(stmt.body, section);
      return;
  }
}

function rewriteBody(body: Body, section: readonly string[]): void {
  for (const stmt of body.stmts) rewriteStmt(stmt, section);
}

/** Rewrites v0.1 attribute spellings of `program` in place. */
export function rewriteLegacySpellings(program: Program): void {
  rewriteBody(program.body, []);
}

/** con4m's checker, after the v0.1 spellings are rewritten: the checker of chalk's layers. */
export function chalkChecker(program: Program, state: EvalState): Con4mError[] {
  rewriteLegacySpellings(program);
  return defaultChecker(program, state);
}
