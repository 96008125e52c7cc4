/**
 * `CHALK_PASSWORD`, the signing key's password (docs/trust.md), taken out of the environment as
 * chalk starts, before any command reads the environment or starts a process: a report's `_ENV`
 * (with `env_default_action: "show"`), a workload `chalk exec` becomes, docker and its builds
 * would otherwise all see it. Commands that sign read it from here.
 *
 * @module
 */

/** The variable that holds the signing key's password. */
export const PASSWORD_VARIABLE = "CHALK_PASSWORD";

let password: string | undefined;
let taken = false;

/** Reads the password once and removes it from the environment; later calls return it. */
export function takeSigningPassword(): string | undefined {
  if (!taken) {
    taken = true;
    password = Deno.env.get(PASSWORD_VARIABLE);
    Deno.env.delete(PASSWORD_VARIABLE);
  }
  return password;
}
