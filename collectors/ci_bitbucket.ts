/**
 * Bitbucket Pipelines (`BITBUCKET_BUILD_NUMBER`): step, pipeline,
 * repository and workspace from Bitbucket's default variables.
 *
 * @module
 */
import {
  BuildKeys,
  type CiBuild,
  type CiEnv,
  type CiSystem,
  refOf,
  trimSlash,
} from "./_ci_system.ts";

function read(env: CiEnv): CiBuild {
  const origin = env.BITBUCKET_GIT_HTTP_ORIGIN;
  const ref = refOf(env.BITBUCKET_TAG, env.BITBUCKET_BRANCH);
  const trigger = env.BITBUCKET_PR_ID ? "pullrequest" : env.BITBUCKET_TAG ? "tag" : "push";
  const b = new BuildKeys()
    .set("ID", env.BITBUCKET_STEP_UUID)
    .set(
      "URI",
      origin && `${trimSlash(origin)}/pipelines/results/${env.BITBUCKET_BUILD_NUMBER}`,
    )
    .set("TRIGGER", trigger)
    .set("COMMIT_ID", env.BITBUCKET_COMMIT)
    .set("REF", ref)
    .set("ORIGIN_URI", origin)
    .set("ORIGIN_ID", env.BITBUCKET_REPO_UUID)
    .set("ORIGIN_KEY", env.BITBUCKET_REPO_FULL_NAME)
    .set("ORIGIN_OWNER_ID", env.BITBUCKET_WORKSPACE)
    .set("WORKFLOW_NAME", env.BITBUCKET_REPO_FULL_NAME)
    .set("WORKFLOW_PATH", env.BITBUCKET_PIPELINE_UUID);
  return {
    system: "bitbucket",
    keys: b.keys,
    checkout: {
      commit: env.BITBUCKET_COMMIT,
      branch: env.BITBUCKET_BRANCH || undefined,
      originUri: origin,
      workspace: env.BITBUCKET_CLONE_DIR,
    },
  };
}

/** Bitbucket Pipelines. */
export const BITBUCKET: CiSystem = {
  name: "bitbucket",
  detect: (env) => !!env.BITBUCKET_BUILD_NUMBER,
  read,
};
