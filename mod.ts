/**
 * chalk-ts: the `chalk` program and its library surface.
 *
 * @example
 * ```ts
 * import { chalkIdFromHash } from "./mod.ts";
 * chalkIdFromHash("16c3c45462fc89d7fcc84c3749cb0900bdd1052f760ebd7cea1ab3956ad7326f");
 * // "64V66C-V36G-TK8D-HJCSHK"
 * ```
 * @module
 */
import { main } from "./cli/main.ts";
import { errorMessage } from "./internal/errors.ts";

export * from "./codecs/mod.ts";
export { main } from "./cli/main.ts";

if (import.meta.main) {
  let code: number;
  try {
    code = await main(Deno.args);
  } catch (e) {
    // Last line of defence: one line, never a stack trace (docs/decisions.md,
    // "One-line errors").
    console.error(`error: ${errorMessage(e)}`);
    code = 1;
  }
  Deno.exit(code);
}
