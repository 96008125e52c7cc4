/**
 * Error values for every con4m phase, with source positions and a formatter that prints
 * `file:line:col: message`, the offending source line and a caret.
 *
 * @module
 */

/** The phase of con4m processing that produced an error. */
export type Con4mPhase = "parse" | "check" | "validate" | "runtime" | "component";

/** A source position: file name, 1-based line and 1-based column. */
export interface SourcePos {
  /** File name (as given to the parser). */
  file: string;
  /** 1-based line number. */
  line: number;
  /** 1-based column (code units from the line start + 1). */
  col: number;
}

/** Options for {@linkcode formatCon4mError}. */
export interface FormatOptions {
  /** Source text of the file, to print the offending line and a caret. */
  source?: string;
}

/**
 * One con4m error. Positions are 0 when unknown (spec validation errors have none).
 *
 * @example
 * ```ts
 * const e = new Con4mError("check", "Variable x used before definition", { file: "a.c4m", line: 3, col: 5 });
 * e.toString(); // "a.c4m:3:5: Variable x used before definition"
 * ```
 */
export class Con4mError extends Error {
  /** Phase that detected the error. */
  readonly phase: Con4mPhase;
  /** File name ("" when unknown). */
  readonly file: string;
  /** 1-based line (0 when unknown). */
  readonly line: number;
  /** 1-based column (0 when unknown). */
  readonly col: number;
  /** The bare message, without position. */
  readonly reason: string;

  /** Create an error for `phase` at `pos` (omit `pos` for position-less errors). */
  constructor(phase: Con4mPhase, reason: string, pos?: SourcePos) {
    super(pos ? `${pos.file}:${pos.line}:${pos.col}: ${reason}` : reason);
    this.name = "Con4mError";
    this.phase = phase;
    this.reason = reason;
    this.file = pos?.file ?? "";
    this.line = pos?.line ?? 0;
    this.col = pos?.col ?? 0;
  }

  /** `file:line:col: message` (or just the message when there is no position). */
  override toString(): string {
    return this.message;
  }
}

/**
 * Several errors reported together (e.g. all type errors of a file). `errors` is never empty.
 */
export class Con4mErrorList extends Error {
  /** The individual errors, in source order where possible. */
  readonly errors: readonly Con4mError[];

  /** Wrap a non-empty list of errors. */
  constructor(errors: readonly Con4mError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "Con4mErrorList";
    this.errors = errors;
  }
}

/**
 * Format an error as `file:line:col: message`; when `opts.source` is given and the error
 * has a position, add the offending line and a caret under the column.
 *
 * @example
 * ```ts
 * formatCon4mError(err, { source: text });
 * // "a.c4m:2:11: Parse error: ...\n  blah blah blah\n            ^"
 * ```
 */
export function formatCon4mError(err: Con4mError, opts: FormatOptions = {}): string {
  const head = err.message;
  if (opts.source === undefined || err.line <= 0) return head;
  const lines = opts.source.split(/\r?\n/);
  const src = lines[err.line - 1];
  if (src === undefined) return head;
  const caretPad = src.slice(0, Math.max(0, err.col - 1)).replace(/[^\t]/g, " ");
  return `${head}\n  ${src}\n  ${caretPad}^`;
}

/** Format every error of a list (see {@linkcode formatCon4mError}), one block per error. */
export function formatCon4mErrors(errs: readonly Con4mError[], opts: FormatOptions = {}): string {
  return errs.map((e) => formatCon4mError(e, opts)).join("\n");
}
