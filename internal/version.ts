/**
 * chalk-ts's own version (docs/decisions.md, "CHALK_VERSION") and the commit
 * the build stamped in. `scripts/build.ts` replaces the token below with the
 * commit of the checkout it builds from.
 *
 * @module
 */

/** chalk-ts's semantic version. */
export const CHALK_VERSION = "0.1.0";

const STAMPED_COMMIT: string = "__CHALK_TS_BUILD_COMMIT__";

/** The commit stamped by the build, or undefined when running unstamped (from source). */
export function stampedCommit(): string | undefined {
  return /^[0-9a-f]{40}$/.test(STAMPED_COMMIT) ? STAMPED_COMMIT : undefined;
}
