/**
 * Validation of a candidate configuration before chalk installs it (D10):
 * the text must parse as con4m. Problems come back as one-line
 * `file:line:col: message` strings.
 */
import { tryParseCon4m } from "../con4m/parser.ts";

/** Problems with `text` (empty when it is acceptable). */
export function configProblems(text: string, source: string): string[] {
  return tryParseCon4m(text, source).errors.map((e) => e.message);
}
