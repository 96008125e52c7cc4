/**
 * CircleCI (`CIRCLECI=true`): job, workflow, project and user from
 * CircleCI's built-in variables.
 *
 * @module
 */
import {
  BuildKeys,
  type CiBuild,
  type CiEnv,
  type CiSystem,
  refOf,
  withoutCredentials,
} from "./_ci_system.ts";

function read(env: CiEnv): CiBuild {
  const origin = withoutCredentials(env.CIRCLE_REPOSITORY_URL);
  const ref = refOf(env.CIRCLE_TAG, env.CIRCLE_BRANCH);
  const b = new BuildKeys()
    .set("ID", env.CIRCLE_WORKFLOW_JOB_ID)
    .set("URI", env.CIRCLE_BUILD_URL)
    .set("COMMIT_ID", env.CIRCLE_SHA1)
    .set("REF", ref)
    .set("ORIGIN_URI", origin)
    .set("ORIGIN_ID", env.CIRCLE_PROJECT_ID)
    .set("ORIGIN_OWNER_ID", env.CIRCLE_ORGANIZATION_ID)
    .set("WORKFLOW_NAME", env.CIRCLE_WORKFLOW_ID)
    .set("WORKFLOW_PATH", env.CIRCLE_JOB)
    .contact(env.CIRCLE_USERNAME);
  return {
    system: "circleci",
    keys: b.keys,
    checkout: {
      commit: env.CIRCLE_SHA1,
      branch: env.CIRCLE_BRANCH || undefined,
      originUri: origin,
      workspace: env.CIRCLE_WORKING_DIRECTORY,
    },
  };
}

/** CircleCI. */
export const CIRCLECI: CiSystem = {
  name: "circleci",
  detect: (env) => env.CIRCLECI === "true",
  read,
};
