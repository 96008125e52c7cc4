/**
 * The "Examples:" block of a command's `--help`: the lines people actually
 * type, so the help answers "how do I ..." without the README.
 *
 * @module
 */

/** The help text for `examples` (command line, what it does), aligned. */
export function examplesText(examples: readonly (readonly [string, string])[]): string {
  const width = Math.max(...examples.map(([cmd]) => cmd.length));
  const body = examples.map(([cmd, what]) => `  ${cmd.padEnd(width)}  # ${what}`).join("\n");
  return `\nExamples:\n${body}`;
}
