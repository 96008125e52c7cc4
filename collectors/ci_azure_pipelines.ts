/**
 * Azure Pipelines (`TF_BUILD`): build, definition, repository and requester
 * from the pipeline's predefined variables.
 *
 * @module
 */
import {
  branchOfRef,
  BuildKeys,
  type CiBuild,
  type CiEnv,
  type CiSystem,
  trimSlash,
  withoutCredentials,
} from "./_ci_system.ts";

function read(env: CiEnv): CiBuild {
  const collection = env.SYSTEM_TEAMFOUNDATIONCOLLECTIONURI ?? env.SYSTEM_COLLECTIONURI;
  const project = env.SYSTEM_TEAMPROJECT;
  const uri = collection && project && env.BUILD_BUILDID
    ? `${trimSlash(collection)}/${
      encodeURIComponent(project)
    }/_build/results?buildId=${env.BUILD_BUILDID}`
    : undefined;
  const origin = withoutCredentials(env.BUILD_REPOSITORY_URI);
  const b = new BuildKeys()
    .set("ID", env.SYSTEM_JOBID)
    .set("URI", uri)
    .set("API_URI", collection)
    .set("TRIGGER", env.BUILD_REASON)
    .set("COMMIT_ID", env.BUILD_SOURCEVERSION)
    .set("REF", env.BUILD_SOURCEBRANCH)
    .set("ATTEMPT", env.SYSTEM_JOBATTEMPT)
    .set("ORIGIN_URI", origin)
    .set("ORIGIN_ID", env.BUILD_REPOSITORY_ID)
    .set("ORIGIN_OWNER_ID", env.SYSTEM_TEAMPROJECTID)
    .set("WORKFLOW_NAME", env.BUILD_DEFINITIONNAME)
    .set("WORKFLOW_PATH", env.SYSTEM_DEFINITIONID)
    .contact(env.BUILD_REQUESTEDFOR);
  return {
    system: "azure_pipelines",
    keys: b.keys,
    checkout: {
      commit: env.BUILD_SOURCEVERSION,
      branch: branchOfRef(env.BUILD_SOURCEBRANCH),
      originUri: origin,
      workspace: env.BUILD_SOURCESDIRECTORY,
    },
  };
}

/** Azure Pipelines. */
export const AZURE_PIPELINES: CiSystem = {
  name: "azure_pipelines",
  detect: (env) => !!env.TF_BUILD,
  read,
};
