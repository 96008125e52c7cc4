/**
 * Mark and report templates: named sets of keys. A key reaches a mark or a
 * report only when the active template uses it, so which data leaves the
 * machine is configuration, not code: the templates themselves live in the base
 * configuration (`config/base/templates.c4m`) and in user configurations.
 */

/** A named set of keys. */
export interface Template {
  readonly name: string;
  readonly keys: ReadonlySet<string>;
}

/** Keys every mark carries whatever the template. */
export const FORCED_MARK_KEYS: readonly string[] = [
  "MAGIC",
  "CHALK_VERSION",
  "CHALK_ID",
  "METADATA_ID",
  "HASH",
];
