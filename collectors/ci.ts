/**
 * Which CI system runs chalk, and what it says about the build: the
 * `BUILD_*` chalk-time host keys (and their run-time `_BUILD_*` twins),
 * read from each system's documented environment variables. One module per
 * system (`ci_*.ts`) maps its variables; this one picks the system and
 * turns its facts into keys.
 *
 * @example
 * ```ts
 * const build = detectCiBuild(Deno.env.toObject());
 * build?.keys.get("BUILD_URI"); // "https://github.com/o/r/actions/runs/1/attempts/1"
 * ```
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { AZURE_PIPELINES } from "./ci_azure_pipelines.ts";
import { BITBUCKET } from "./ci_bitbucket.ts";
import { CIRCLECI } from "./ci_circleci.ts";
import { GITHUB_ACTIONS } from "./ci_github.ts";
import { GITLAB_CI } from "./ci_gitlab.ts";
import { JENKINS } from "./ci_jenkins.ts";
import type { CiBuild, CiEnv, CiSystem } from "./_ci_system.ts";

export type { CiBuild, CiCheckout, CiEnv, CiSystem } from "./_ci_system.ts";

/** Every CI system chalk knows, in detection order. */
export const CI_SYSTEMS: readonly CiSystem[] = [
  GITHUB_ACTIONS,
  GITLAB_CI,
  JENKINS,
  CIRCLECI,
  AZURE_PIPELINES,
  BITBUCKET,
];

/**
 * The build of the CI system whose own marker variable is set, if any.
 * Only a system's documented marker counts (`GITHUB_ACTIONS=true`,
 * `GITLAB_CI`, `JENKINS_URL`, ...): a bare `CI=true` names no system.
 */
export function detectCiBuild(env: CiEnv): CiBuild | undefined {
  const system = CI_SYSTEMS.find((s) => s.detect(env));
  return system?.read(env);
}

/** The build's keys with `prefix` (`""` for chalk-time keys, `"_"` for run-time ones). */
export function ciBuildKeys(build: CiBuild | undefined, prefix: "" | "_"): MarkDict {
  const out: MarkDict = new Map();
  if (!build) return out;
  for (const [k, v] of build.keys) out.set(`${prefix}${k}`, v as MarkValue);
  return out;
}
