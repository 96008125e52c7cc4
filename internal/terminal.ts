/**
 * Whether chalk runs attached to a terminal: decides exec's default log level (none on a
 * terminal, where the workload's output is what people read; else error).
 *
 * @module
 */

/** True when stdin, stdout or stderr is a terminal. */
export function usingTty(): boolean {
  return Deno.stdin.isTerminal() || Deno.stdout.isTerminal() || Deno.stderr.isTerminal();
}
