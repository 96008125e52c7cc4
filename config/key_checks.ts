/**
 * Checks over every key of a configuration that chalk-ts runs itself after each layer, because in
 * con4m they would walk thousands of sections on every start-up: each template key names a keyspec,
 * and user keys (not `standard`) are named `X_...` (chalkable) or `_X_...` (report only). Messages
 * use con4m's `When checking` form so that they are placed like schema errors.
 *
 * @module
 */

import { Con4mError } from "../con4m/errors.ts";
import type { Con4mRuntime } from "../con4m/runtime.ts";

/** The key problems of the evaluated configuration (empty when none). */
export function keyProblems(rt: Con4mRuntime): Con4mError[] {
  const errors: Con4mError[] = [];
  const known = new Set(rt.sectionNames("keyspec"));
  for (const name of known) {
    if (rt.findBool(`keyspec.${name}.standard`) === true) continue;
    if (name.startsWith("X_") || name.startsWith("_X_")) continue;
    errors.push(
      new Con4mError(
        "validate",
        `When checking keyspec.${name}: user-defined key '${name}' must start with X_ (chalkable) or _X_ (report only)`,
      ),
    );
  }
  for (const kind of ["mark_template", "report_template"]) {
    for (const tpl of rt.sectionNames(kind)) {
      for (const key of rt.sectionNames(`${kind}.${tpl}.key`)) {
        if (known.has(key)) continue;
        errors.push(
          new Con4mError(
            "validate",
            `When checking ${kind}.${tpl}.key.${key}: 'use': no keyspec named '${key}'`,
          ),
        );
      }
    }
  }
  return errors;
}
