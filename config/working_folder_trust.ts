/**
 * A `chalk.c4m` in the working folder is code, written by whoever wrote the
 * checkout: on a CI machine building an untrusted change (a pull request) it
 * is not loaded unless the embedded configuration or a flag trusts it
 * (docs/configuration.md, "Configuration files in CI").
 *
 * @module
 */

/** Variables that say a CI system runs chalk: one per system, set to any value. */
const CI_VARIABLES: readonly string[] = [
  "GITHUB_ACTIONS",
  "GITLAB_CI",
  "JENKINS_URL",
  "CIRCLECI",
  "TF_BUILD",
  "BITBUCKET_BUILD_NUMBER",
  "BUILDKITE",
  "TRAVIS",
  "TEAMCITY_VERSION",
  "CODEBUILD_BUILD_ID",
  "DRONE",
  "APPVEYOR",
];

/**
 * What shows that chalk runs under CI (`CI=true`, `GITHUB_ACTIONS=true`, ...), or undefined.
 * `CI` counts unless it is empty, `false` or `0`.
 */
export function ciEvidence(getEnv: (name: string) => string | undefined): string | undefined {
  const ci = getEnv("CI");
  if (ci !== undefined && !["", "false", "0"].includes(ci.trim().toLowerCase())) {
    return `CI=${ci}`;
  }
  for (const name of CI_VARIABLES) {
    const value = getEnv(name);
    if (value !== undefined && value !== "") return `${name}=${value}`;
  }
  return undefined;
}

/**
 * True when a configuration found through `config_path` entry `entry` at `realFile` (a real
 * path) comes from the working folder `realCwd`: a relative entry, or a file under it (`~` may
 * be the working folder). A working folder of `/` holds everything, so only relative entries
 * count there.
 */
export function inWorkingFolder(entry: string, realFile: string, realCwd: string): boolean {
  const relative = !entry.startsWith("/") && entry !== "~" && !entry.startsWith("~/");
  return relative || (realCwd !== "/" && realFile.startsWith(`${realCwd}/`));
}

/** The warning for a working-folder configuration refused because of `evidence`. */
export function refusalReason(evidence: string): string {
  return `not loaded: a configuration in the working folder is not trusted when CI is detected ` +
    `(${evidence}); trust it with trust_working_folder_config in the embedded configuration ` +
    `or --trust-working-folder-config`;
}
