/**
 * The Dockerfile chalk builds: the user's lines kept as they are, and chalk's
 * instructions inserted right after the target stage inside a marked block.
 * Pure.
 */

/** First line of every block chalk adds. */
export const ADDED_BLOCK_START = "# {{{ added by chalk - https://crashoverride.com/docs/chalk";
/** Last line of every block chalk adds. */
export const ADDED_BLOCK_END = "# }}}";

/** A continuation docker ends at the end of the file: its line and the escape character. */
export interface OpenContinuation {
  /** 0-based physical line ending in the escape character. */
  line: number;
  escape: string;
}

/**
 * Inserts `added` after physical line `afterLine` (0-based) of `text`,
 * wrapped in the chalk block markers. Line endings of the original are kept.
 * An instruction still continued at the end of the file (`open`) would swallow
 * the block, so its trailing escape character goes: docker drops it at the end
 * of the file anyway, so the instruction means what it meant.
 *
 * @example
 * ```ts
 * insertAfterLine("FROM a\nRUN x\n", 1, ["LABEL k=v"]);
 * // "FROM a\nRUN x\n# {{{ added by chalk - ...\nLABEL k=v\n# }}}\n"
 * ```
 */
export function insertAfterLine(
  text: string,
  afterLine: number,
  added: readonly string[],
  open?: OpenContinuation,
): string {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  if (open) lines[open.line] = closeContinuation(lines[open.line], open.escape);
  // A final newline leaves an empty last element: keep it last.
  const block = [ADDED_BLOCK_START, ...added, ADDED_BLOCK_END];
  const at = Math.min(afterLine + 1, lines.length);
  const before = lines.slice(0, at);
  const after = lines.slice(at);
  if (after.length === 0) after.push("");
  return [...before, ...block, ...after].join(eol);
}

/** The line without its trailing escape character (and the blanks docker allows after it). */
function closeContinuation(line: string, escape: string): string {
  const trimmed = line.replace(/[ \t]+$/, "");
  return trimmed.endsWith(escape) ? trimmed.slice(0, -escape.length) : line;
}

/** `COPY [--chmod=MODE] SRC DEST`, JSON form so that odd names survive. */
export function copyInstruction(source: string, dest: string, chmod?: string): string {
  const flag = chmod ? `--chmod=${chmod} ` : "";
  return `COPY ${flag}${JSON.stringify([source, dest])}`;
}
