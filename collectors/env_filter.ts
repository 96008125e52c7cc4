/**
 * `_ENV` / `INJECTOR_ENV` filtering: secrets are
 * redacted, most variables are left out, a short allow-list is shown.
 */

/** The knobs of the environment filter (config attributes of the same names). */
export interface EnvFilterPolicy {
  neverShow: readonly string[];
  redact: readonly string[];
  alwaysShow: readonly string[];
  /** What happens to every other variable: only the first letter counts, as in chalk. */
  defaultAction: string;
}

/** chalk's default policy. */
export const DEFAULT_ENV_POLICY: EnvFilterPolicy = {
  neverShow: [],
  redact: ["AWS_SECRET_ACCESS_KEY"],
  alwaysShow: ["PATH", "PWD", "XDG_SESSION_TYPE", "USER", "SSH_TTY"],
  defaultAction: "ignore",
};

/** The value shown in place of a secret. */
export const REDACTED = "<<redact>>";

/** Applies `policy` to `env` (in the environment's own order). */
export function filterEnv(
  env: Iterable<[string, string]>,
  policy: EnvFilterPolicy = DEFAULT_ENV_POLICY,
): Map<string, string> {
  const out = new Map<string, string>();
  const action = policy.defaultAction.slice(0, 1).toLowerCase();
  for (const [name, value] of env) {
    if (policy.neverShow.includes(name)) continue;
    if (policy.redact.includes(name)) out.set(name, REDACTED);
    else if (policy.alwaysShow.includes(name)) out.set(name, value);
    else if (action === "r") out.set(name, REDACTED);
    else if (action === "s") out.set(name, value);
  }
  return out;
}
