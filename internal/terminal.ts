/**
 * Whether chalk runs attached to a terminal: decides exec's default log level (none on a
 * terminal, where the workload's output is what people read; else error).
 *
 * @module
 */

/**
 * True when stderr is a terminal that takes escape sequences: not `TERM=dumb` (Emacs' shell,
 * some CI consoles), which shows `ESC[K` and colour codes as text. Decides the progress line's
 * drawing (`\r\x1b[K`) and the default colour.
 */
export function stderrTakesEscapes(): boolean {
  return Deno.stderr.isTerminal() && Deno.env.get("TERM") !== "dumb";
}

/** True when stdin, stdout or stderr is a terminal. */
export function usingTty(): boolean {
  return Deno.stdin.isTerminal() || Deno.stdout.isTerminal() || Deno.stderr.isTerminal();
}
