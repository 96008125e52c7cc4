/**
 * GitLab CI (`GITLAB_CI`): job, pipeline, project and user from GitLab's
 * predefined variables. `CI_REPOSITORY_URL` carries a job token, so the
 * origin is the project's web URL.
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
} from "./_ci_system.ts";

function read(env: CiEnv): CiBuild {
  const b = new BuildKeys()
    .set("ID", env.CI_JOB_ID)
    .set("URI", env.CI_JOB_URL)
    .set("API_URI", env.CI_API_V4_URL)
    .set("TRIGGER", env.CI_PIPELINE_SOURCE)
    .set("COMMIT_ID", env.CI_COMMIT_SHA)
    .set(
      "REF",
      firstOf(env.CI_MERGE_REQUEST_REF_PATH, refOf(env.CI_COMMIT_TAG, env.CI_COMMIT_BRANCH)),
    )
    .set("ORIGIN_URI", env.CI_PROJECT_URL)
    .set("ORIGIN_ID", env.CI_PROJECT_ID)
    .set("ORIGIN_KEY", env.CI_PROJECT_PATH)
    .set("ORIGIN_OWNER_ID", env.CI_PROJECT_NAMESPACE_ID)
    .set("ORIGIN_OWNER_KEY", env.CI_PROJECT_NAMESPACE)
    .set("WORKFLOW_NAME", env.CI_PIPELINE_NAME)
    .set("WORKFLOW_PATH", env.CI_CONFIG_PATH)
    .contact(env.GITLAB_USER_LOGIN);
  return {
    system: "gitlab",
    keys: b.keys,
    checkout: {
      commit: env.CI_COMMIT_SHA,
      branch: firstOf(env.CI_COMMIT_BRANCH, env.CI_MERGE_REQUEST_SOURCE_BRANCH_NAME),
      originUri: env.CI_PROJECT_URL,
      workspace: env.CI_PROJECT_DIR,
    },
  };
}

/** GitLab CI. */
export const GITLAB_CI: CiSystem = {
  name: "gitlab",
  detect: (env) => !!env.GITLAB_CI,
  read,
};
