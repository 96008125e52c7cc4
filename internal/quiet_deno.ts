/**
 * Deno checks for a newer release of itself in any run that lasts more than
 * about half a second: a DNS lookup and a request to dl.deno.land, from a
 * program that runs in build pipelines and production containers. chalk's
 * programs are started with the check off: the bundle's sh prologue and the
 * wrapped images' env file set `DENO_NO_UPDATE_CHECK`, and a reporter chalk
 * starts gets it in its environment. Deno reads it at its own start, so
 * chalk then takes the prologue's variables out of its environment: its
 * workloads and docker do not see them.
 *
 * @module
 */

/** The variable Deno reads, with the value that turns the check off. */
export const NO_UPDATE_CHECK: Readonly<Record<string, string>> = { DENO_NO_UPDATE_CHECK: "1" };

/** Set by the bundle's sh prologue next to {@link NO_UPDATE_CHECK}: the two are chalk's, not the caller's. */
export const SHEBANG_MARK = "CHALK_TS_QUIET_DENO";

/**
 * Set by the bundle's sh prologue on a docker it passes a command to: when that docker is
 * another chalk program, its prologue leaves the command to its full pass-through, which
 * skips chalk programs, instead of handing it back (scripts/sh_prologue.ts).
 */
export const DOCKER_HOP = "CHALK_TS_DOCKER_HOP";

/** Removes what the bundle's sh prologue set for Deno and docker from chalk's own environment. */
export function forgetShebangEnv(): void {
  Deno.env.delete(DOCKER_HOP);
  if (Deno.env.get(SHEBANG_MARK) !== "1") return;
  Deno.env.delete(SHEBANG_MARK);
  for (const name of Object.keys(NO_UPDATE_CHECK)) Deno.env.delete(name);
}
