/**
 * Jenkins (`JENKINS_URL`): build, job and node from Jenkins' environment,
 * and the commit and branch the Git plugin checked out.
 *
 * @module
 */
import {
  BuildKeys,
  type CiBuild,
  type CiEnv,
  type CiSystem,
  firstOf,
  refOf,
  withoutCredentials,
} from "./_ci_system.ts";

/** `origin/main` (the Git plugin's form) → `main`. */
function plainBranch(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const bare = name.replace(/^origin\//, "").replace(/^refs\/heads\//, "");
  return bare.startsWith("refs/") ? undefined : bare;
}

/**
 * BUILD_REF: a full ref the Git plugin gives (`refs/tags/v1` for a tag build) as it is, as the
 * original does; else the branch's `refs/heads/...`.
 */
function buildRef(gitBranch: string | undefined, branch: string | undefined): string | undefined {
  const bare = gitBranch?.replace(/^origin\//, "");
  if (bare?.startsWith("refs/")) return bare;
  return refOf(undefined, branch);
}

function read(env: CiEnv): CiBuild {
  const branch = firstOf(plainBranch(env.GIT_BRANCH), env.BRANCH_NAME);
  const origin = withoutCredentials(env.GIT_URL);
  const b = new BuildKeys()
    .set("ID", env.BUILD_ID)
    .set("URI", env.BUILD_URL)
    .set("API_URI", env.JENKINS_URL)
    .set("TRIGGER", env.BUILD_CAUSE)
    .set("COMMIT_ID", env.GIT_COMMIT)
    .set("REF", buildRef(env.GIT_BRANCH, branch))
    .set("ORIGIN_URI", origin)
    .set("ORIGIN_ID", env.JOB_NAME)
    .set("WORKFLOW_NAME", env.JOB_NAME)
    .set("WORKFLOW_PATH", env.JOB_URL)
    .contact(env.NODE_NAME);
  return {
    system: "jenkins",
    keys: b.keys,
    checkout: { commit: env.GIT_COMMIT, branch, originUri: origin, workspace: env.WORKSPACE },
  };
}

/** Jenkins. */
export const JENKINS: CiSystem = {
  name: "jenkins",
  detect: (env) => !!env.JENKINS_URL,
  read,
};
