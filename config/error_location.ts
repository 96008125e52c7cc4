/**
 * Where in a configuration file a validation error comes from. con4m's schema checks run on the
 * evaluated attribute tree and carry no position; chalk-ts points at the assignment (or section) of
 * the checked path in the file that was just loaded, so every configuration error reads
 * `file:line:col: message`.
 *
 * @module
 */

import type { Body, Program } from "../con4m/ast.ts";
import { Con4mError, formatCon4mError, type SourcePos } from "../con4m/errors.ts";

/** The dotted path a validation message is about, and the field it names, if any. */
export interface ErrorSubject {
  /** Dotted attribute or section path. */
  path: string;
  /** A field of that section named in the message as `'field'`. */
  field?: string;
}

/** Extract the checked path from a con4m validation message (undefined when none). */
export function errorSubject(message: string): ErrorSubject | undefined {
  const checking = /^When checking ([^:]+): (.*)$/s.exec(message);
  if (checking) {
    const field = /^'([A-Za-z0-9_$.]+)'/.exec(checking[2])?.[1];
    return field === undefined ? { path: checking[1] } : { path: checking[1], field };
  }
  const unknown = /^Unknown field for a \S+ section: (\S+)(?: \(did you mean [^)]*\))?$/.exec(
    message,
  );
  if (unknown) return { path: unknown[1] };
  return undefined;
}

interface Found {
  attrs: Map<string, SourcePos>;
  sections: Map<string, SourcePos>;
}

/**
 * Records that the file first opens the section `path` at `pos`, and each section around it: a
 * dotted assignment (`tool.semgrep.x = 1`) or a labelled section (`object_store_config s {`)
 * opens them without naming them in a statement of their own.
 */
function opens(found: Found, path: readonly string[], pos: SourcePos): void {
  for (let n = 1; n <= path.length; n++) {
    const key = path.slice(0, n).join(".");
    if (!found.sections.has(key)) found.sections.set(key, pos);
  }
}

function walk(body: Body, prefix: readonly string[], found: Found): void {
  for (const s of body.stmts) {
    switch (s.kind) {
      case "AttrAssign": {
        const path = [...prefix, ...s.path];
        found.attrs.set(path.join("."), s.pos);
        opens(found, path.slice(0, -1), s.pos);
        break;
      }
      case "Section": {
        const here = s.label === undefined ? [...prefix, s.name] : [...prefix, s.name, s.label];
        found.sections.set(here.join("."), s.pos);
        opens(found, here, s.pos);
        if (s.body !== null) walk(s.body, here, found);
        break;
      }
      case "If":
        for (const b of s.branches) walk(b.body, prefix, found);
        if (s.elseBody !== undefined) walk(s.elseBody, prefix, found);
        break;
      case "For":
        walk(s.body, prefix, found);
        break;
      default:
        break;
    }
  }
}

/**
 * The position in `program` of the last assignment to `subject` (or to its named field),
 * else of the section it names, else of its closest enclosing section; undefined when the
 * file does not mention it.
 */
export function locateSubject(program: Program, subject: ErrorSubject): SourcePos | undefined {
  const found: Found = { attrs: new Map(), sections: new Map() };
  walk(program.body, [], found);
  const candidates = subject.field === undefined
    ? [subject.path]
    : [`${subject.path}.${subject.field}`, subject.path];
  for (const c of candidates) {
    const pos = found.attrs.get(c) ?? found.sections.get(c);
    if (pos !== undefined) return pos;
  }
  // The closest enclosing section, the subject itself excluded (it was looked up above).
  const parts = subject.path.split(".");
  for (let n = parts.length - 1; n > 0; n--) {
    const pos = found.sections.get(parts.slice(0, n).join("."));
    if (pos !== undefined) return pos;
  }
  return undefined;
}

/** Where `err` points: its own position, else the place {@linkcode locateSubject} finds. */
function errorPosition(
  err: Con4mError,
  file: string,
  program: Program | undefined,
): { file: string; line: number; col: number } | undefined {
  if (err.line > 0) return { file: err.file || file, line: err.line, col: err.col };
  const subject = errorSubject(err.reason);
  const pos = subject !== undefined && program !== undefined
    ? locateSubject(program, subject)
    : undefined;
  return pos === undefined ? undefined : { file, line: pos.line, col: pos.col };
}

/**
 * One `file:line:col: message` line for `err`, raised while loading `file` (parsed as
 * `program` when parsing succeeded). Position-less errors are placed with
 * {@linkcode locateSubject}; those that cannot be placed read `file: message`.
 */
export function errorLine(err: Con4mError, file: string, program: Program | undefined): string {
  const pos = errorPosition(err, file, program);
  return pos === undefined
    ? `${file}: ${err.reason}`
    : `${pos.file}:${pos.line}:${pos.col}: ${err.reason}`;
}

/**
 * The line of `source` (the text of `file`) that `err` points at, and a caret
 * under its column, each indented by two spaces (as con4m's own
 * `formatCon4mError` shows them): shown under the error line. Empty when the
 * error has no place in `source`.
 *
 * @example
 * ```ts
 * errorExcerpt(err, "c.c4m", program, 'a: 1\nlog_level: 3\n');
 * // ["  log_level: 3", "  ^"]
 * ```
 */
export function errorExcerpt(
  err: Con4mError,
  file: string,
  program: Program | undefined,
  source: string,
): string[] {
  const pos = errorPosition(err, file, program);
  if (pos === undefined || pos.file !== file) return [];
  const placed = new Con4mError(err.phase, err.reason, pos);
  return formatCon4mError(placed, { source }).split("\n").slice(1);
}
