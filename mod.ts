/**
 * chalk-ts: the `chalk` program (run from source) and its library surface.
 *
 * @example
 * ```ts
 * import { chalkIdFromHash } from "./mod.ts";
 * chalkIdFromHash("16c3c45462fc89d7fcc84c3749cb0900bdd1052f760ebd7cea1ab3956ad7326f");
 * // "64V66C-V36G-TK8D-HJCSHK"
 * ```
 * @module
 */
import { runMain } from "./cli/main.ts";

export * from "./codecs/mod.ts";
export { main } from "./cli/main.ts";

if (import.meta.main) runMain();
