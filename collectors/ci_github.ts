/**
 * GitHub Actions (`GITHUB_ACTIONS=true`): the job's run, workflow, trigger
 * and actor, from the runner's default environment variables.
 *
 * @module
 */
import { join } from "../internal/posix_path.ts";
import { toHex } from "../internal/hex.ts";
import { readTextIfAny } from "../internal/read_text_if_any.ts";
import {
  BuildKeys,
  type CiBuild,
  type CiEnv,
  type CiSystem,
  firstOf,
  trimSlash,
} from "./_ci_system.ts";

/**
 * One id for the whole job: the first chalk of the job writes it to
 * `$RUNNER_TEMP` (emptied by GitHub at the end of every job), later ones
 * read it. Undefined when the folder cannot be used.
 */
function jobUniqueId(runnerTemp: string | undefined): string | undefined {
  if (!runnerTemp) return undefined;
  const path = join(runnerTemp, "BUILD_UNIQUE_ID.chalk");
  try {
    const id = toHex(crypto.getRandomValues(new Uint8Array(8)));
    Deno.writeTextFileSync(path, id, { createNew: true, mode: 0o600 });
    return id;
  } catch (e) {
    if (!(e instanceof Deno.errors.AlreadyExists)) return undefined;
  }
  return readTextIfAny(path)?.trim() || undefined;
}

function read(env: CiEnv): CiBuild {
  const server = env.GITHUB_SERVER_URL && trimSlash(env.GITHUB_SERVER_URL);
  const repo = env.GITHUB_REPOSITORY?.replace(/^\/+|\/+$/g, "");
  const runId = env.GITHUB_RUN_ID;
  const origin = server && repo ? `${server}/${repo}` : undefined;
  let uri: string | undefined;
  if (origin && runId) {
    uri = `${origin}/actions/runs/${runId}`;
    // GITHUB_CHECK_RUN_ID (the job) is set by setup actions; the attempt otherwise.
    if (env.GITHUB_CHECK_RUN_ID) uri += `/job/${env.GITHUB_CHECK_RUN_ID}`;
    else if (env.GITHUB_RUN_ATTEMPT) uri += `/attempts/${env.GITHUB_RUN_ATTEMPT}`;
  }
  const tagPush = env.GITHUB_EVENT_NAME === "push" && env.GITHUB_REF_TYPE === "tag";
  const b = new BuildKeys()
    .set("ID", firstOf(env.GITHUB_CHECK_RUN_ID, runId))
    .set("UNIQUE_ID", jobUniqueId(env.RUNNER_TEMP))
    .set("URI", uri)
    .set("API_URI", env.GITHUB_API_URL)
    .set("TRIGGER", tagPush ? "tag" : env.GITHUB_EVENT_NAME)
    .set("COMMIT_ID", env.GITHUB_SHA)
    .set("REF", env.GITHUB_REF)
    .set("ATTEMPT", env.GITHUB_RUN_ATTEMPT)
    .set("ORIGIN_URI", origin)
    .set("ORIGIN_ID", env.GITHUB_REPOSITORY_ID)
    .set("ORIGIN_OWNER_ID", env.GITHUB_REPOSITORY_OWNER_ID)
    .set("WORKFLOW_NAME", env.GITHUB_WORKFLOW)
    .set("WORKFLOW_PATH", env.GITHUB_WORKFLOW_REF)
    .set("WORKFLOW_HASH", env.GITHUB_WORKFLOW_SHA)
    .contact(env.GITHUB_ACTOR, env.GITHUB_TRIGGERING_ACTOR);
  const branch = env.GITHUB_HEAD_REF ||
    (env.GITHUB_REF_TYPE === "branch" ? env.GITHUB_REF_NAME : undefined);
  return {
    system: "github",
    keys: b.keys,
    checkout: {
      commit: env.GITHUB_SHA,
      branch: branch || undefined,
      originUri: origin,
      workspace: env.GITHUB_WORKSPACE,
    },
  };
}

/** GitHub Actions. */
export const GITHUB_ACTIONS: CiSystem = {
  name: "github",
  detect: (env) => env.GITHUB_ACTIONS === "true",
  read,
};
