/**
 * The CI collectors on each system's documented environment variables: which system is
 * recognised, which `BUILD_*` keys it yields, and what it fills into a detached or
 * missing git checkout.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { ciBuildKeys, detectCiBuild } from "../../collectors/ci.ts";
import { ciCheckoutKeys } from "../../collectors/ci_checkout.ts";

const SHA = "ffac537e6cbbf934b08745a378932722df287a53";

function keysOf(env: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(ciBuildKeys(detectCiBuild(env), ""));
}

Deno.test("detectCiBuild names no system for a bare CI=true or an empty environment", () => {
  assertEquals(detectCiBuild({}), undefined);
  assertEquals(detectCiBuild({ CI: "true", BUILD_ID: "7" }), undefined);
});

Deno.test("GitHub Actions: run URL, API, trigger, actors, ids, workflow, unique id per job", async () => {
  const temp = await Deno.makeTempDir();
  try {
    const env = {
      GITHUB_ACTIONS: "true",
      CI: "true",
      GITHUB_SHA: SHA,
      GITHUB_REF: "refs/pull/5/merge",
      GITHUB_SERVER_URL: "https://github.com/",
      GITHUB_REPOSITORY: "octocat/Hello-World",
      GITHUB_RUN_ID: "1658821493",
      GITHUB_RUN_ATTEMPT: "5",
      GITHUB_API_URL: "https://api.github.com",
      GITHUB_ACTOR: "octocat",
      GITHUB_TRIGGERING_ACTOR: "hubot",
      GITHUB_REPOSITORY_ID: "123",
      GITHUB_REPOSITORY_OWNER_ID: "456",
      GITHUB_WORKFLOW: "build",
      GITHUB_WORKFLOW_REF: "octocat/Hello-World/.github/workflows/build.yml@refs/heads/main",
      GITHUB_WORKFLOW_SHA: "01ba4719",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_HEAD_REF: "feature/x",
      RUNNER_TEMP: temp,
    };
    const keys = keysOf(env);
    const unique = keys.BUILD_UNIQUE_ID;
    assert(typeof unique === "string" && /^[0-9a-f]{16}$/.test(unique), String(unique));
    assertEquals(keys, {
      BUILD_ID: "1658821493",
      BUILD_UNIQUE_ID: unique,
      BUILD_URI: "https://github.com/octocat/Hello-World/actions/runs/1658821493/attempts/5",
      BUILD_API_URI: "https://api.github.com",
      BUILD_TRIGGER: "pull_request",
      BUILD_COMMIT_ID: SHA,
      BUILD_REF: "refs/pull/5/merge",
      BUILD_ATTEMPT: "5",
      BUILD_ORIGIN_URI: "https://github.com/octocat/Hello-World",
      BUILD_ORIGIN_ID: "123",
      BUILD_ORIGIN_OWNER_ID: "456",
      BUILD_WORKFLOW_NAME: "build",
      BUILD_WORKFLOW_PATH: "octocat/Hello-World/.github/workflows/build.yml@refs/heads/main",
      BUILD_WORKFLOW_HASH: "01ba4719",
      BUILD_CONTACT: ["octocat", "hubot"],
    });
    // A second chalk in the same job gets the same unique id.
    assertEquals(keysOf(env).BUILD_UNIQUE_ID, unique);
    assertEquals(
      (await Deno.readTextFile(join(temp, "BUILD_UNIQUE_ID.chalk"))).trim(),
      unique,
    );
    const build = detectCiBuild(env)!;
    assertEquals(build.system, "github");
    assertEquals(build.checkout.branch, "feature/x");
  } finally {
    await Deno.remove(temp, { recursive: true });
  }
});

Deno.test("GitHub Actions: a tag push is trigger 'tag'; the job id wins over the run id", () => {
  const keys = keysOf({
    GITHUB_ACTIONS: "true",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_REPOSITORY: "o/r",
    GITHUB_RUN_ID: "9",
    GITHUB_CHECK_RUN_ID: "51064362862",
    GITHUB_EVENT_NAME: "push",
    GITHUB_REF_TYPE: "tag",
    GITHUB_ACTOR: "me",
  });
  assertEquals(keys.BUILD_TRIGGER, "tag");
  assertEquals(keys.BUILD_ID, "51064362862");
  assertEquals(keys.BUILD_URI, "https://github.com/o/r/actions/runs/9/job/51064362862");
  assertEquals(keys.BUILD_CONTACT, ["me"]);
  assertEquals(keys.BUILD_UNIQUE_ID, undefined);
});

Deno.test("GitLab CI: job, pipeline source, project, namespace, user; no job token in the origin", () => {
  const env = {
    GITLAB_CI: "true",
    CI_COMMIT_SHA: SHA,
    CI_MERGE_REQUEST_REF_PATH: "refs/merge-requests/5/head",
    CI_JOB_URL: "https://gitlab.com/gitlab-org/gitlab/-/jobs/4999820578",
    CI_JOB_ID: "4999820578",
    CI_API_V4_URL: "https://gitlab.com/api/v4",
    GITLAB_USER_LOGIN: "user",
    CI_PROJECT_URL: "https://gitlab.com/gitlab-org/gitlab",
    CI_REPOSITORY_URL: "https://gitlab-ci-token:SECRET@gitlab.com/gitlab-org/gitlab.git",
    CI_PIPELINE_SOURCE: "merge_request_event",
    CI_PROJECT_ID: "123",
    CI_PROJECT_PATH: "gitlab-org/gitlab",
    CI_PROJECT_NAMESPACE_ID: "456",
    CI_PROJECT_NAMESPACE: "gitlab-org",
    CI_CONFIG_PATH: ".gitlab-ci.yml",
    CI_PIPELINE_NAME: "build",
    CI_PROJECT_DIR: "/builds/gitlab-org/gitlab",
  };
  assertEquals(keysOf(env), {
    BUILD_ID: "4999820578",
    BUILD_URI: "https://gitlab.com/gitlab-org/gitlab/-/jobs/4999820578",
    BUILD_API_URI: "https://gitlab.com/api/v4",
    BUILD_TRIGGER: "merge_request_event",
    BUILD_COMMIT_ID: SHA,
    BUILD_REF: "refs/merge-requests/5/head",
    BUILD_ORIGIN_URI: "https://gitlab.com/gitlab-org/gitlab",
    BUILD_ORIGIN_ID: "123",
    BUILD_ORIGIN_KEY: "gitlab-org/gitlab",
    BUILD_ORIGIN_OWNER_ID: "456",
    BUILD_ORIGIN_OWNER_KEY: "gitlab-org",
    BUILD_WORKFLOW_NAME: "build",
    BUILD_WORKFLOW_PATH: ".gitlab-ci.yml",
    BUILD_CONTACT: ["user"],
  });
  assert(!JSON.stringify(detectCiBuild(env)).includes("SECRET"));
});

Deno.test("Jenkins: build, job, node; the Git plugin's origin/branch becomes refs/heads/branch", () => {
  const env = {
    JENKINS_URL: "http://jenkins:8080/",
    BUILD_ID: "42",
    BUILD_URL: "http://jenkins:8080/job/app/42/",
    JOB_NAME: "app",
    JOB_URL: "http://jenkins:8080/job/app/",
    NODE_NAME: "agent-1",
    GIT_COMMIT: SHA,
    GIT_BRANCH: "origin/release/1.x",
    GIT_URL: "https://user:pw@git.example.com/app.git",
    BUILD_CAUSE: "SCMTRIGGER",
    WORKSPACE: "/var/jenkins/ws/app",
  };
  assertEquals(keysOf(env), {
    BUILD_ID: "42",
    BUILD_URI: "http://jenkins:8080/job/app/42/",
    BUILD_API_URI: "http://jenkins:8080/",
    BUILD_TRIGGER: "SCMTRIGGER",
    BUILD_COMMIT_ID: SHA,
    BUILD_REF: "refs/heads/release/1.x",
    BUILD_ORIGIN_URI: "https://git.example.com/app.git",
    BUILD_ORIGIN_ID: "app",
    BUILD_WORKFLOW_NAME: "app",
    BUILD_WORKFLOW_PATH: "http://jenkins:8080/job/app/",
    BUILD_CONTACT: ["agent-1"],
  });
  assertEquals(detectCiBuild(env)!.checkout.branch, "release/1.x");
});

Deno.test("CI clone URLs lose a password holding '@' whole, not up to its first '@'", () => {
  const url = "https://bot:p@ss@git.example.com/app.git";
  const systems: Record<string, string>[] = [
    { JENKINS_URL: "http://jenkins:8080/", GIT_URL: url },
    { CIRCLECI: "true", CIRCLE_REPOSITORY_URL: url },
    { TF_BUILD: "True", BUILD_REPOSITORY_URI: url },
  ];
  for (const env of systems) {
    const build = detectCiBuild(env)!;
    assertEquals(build.keys.get("BUILD_ORIGIN_URI"), "https://git.example.com/app.git");
    assertEquals(build.checkout.originUri, "https://git.example.com/app.git");
  }
  // an '@' after the authority is part of the path, and stays
  const kept = detectCiBuild({ JENKINS_URL: "http://j/", GIT_URL: "https://h.example/a@b.git" })!;
  assertEquals(kept.keys.get("BUILD_ORIGIN_URI"), "https://h.example/a@b.git");
});

Deno.test("Jenkins: a tag build's GIT_BRANCH refs/tags/v1 is BUILD_REF as it is, and no branch", () => {
  const env = {
    JENKINS_URL: "http://jenkins:8080/",
    GIT_COMMIT: SHA,
    GIT_BRANCH: "refs/tags/v1.0",
  };
  const build = detectCiBuild(env)!;
  assertEquals(build.keys.get("BUILD_REF"), "refs/tags/v1.0");
  assertEquals(build.checkout.branch, undefined);
});

Deno.test("CircleCI: job, workflow, project, organisation, tag ref", () => {
  assertEquals(
    keysOf({
      CIRCLECI: "true",
      CIRCLE_BUILD_NUM: "77",
      CIRCLE_BUILD_URL: "https://circleci.com/gh/o/r/77",
      CIRCLE_SHA1: SHA,
      CIRCLE_TAG: "v1.2.0",
      CIRCLE_JOB: "build",
      CIRCLE_WORKFLOW_ID: "wf-1",
      CIRCLE_WORKFLOW_JOB_ID: "job-1",
      CIRCLE_PROJECT_ID: "p-1",
      CIRCLE_ORGANIZATION_ID: "org-1",
      CIRCLE_REPOSITORY_URL: "git@github.com:o/r.git",
      CIRCLE_USERNAME: "dev",
    }),
    {
      BUILD_ID: "job-1",
      BUILD_URI: "https://circleci.com/gh/o/r/77",
      BUILD_COMMIT_ID: SHA,
      BUILD_REF: "refs/tags/v1.2.0",
      BUILD_ORIGIN_URI: "git@github.com:o/r.git",
      BUILD_ORIGIN_ID: "p-1",
      BUILD_ORIGIN_OWNER_ID: "org-1",
      BUILD_WORKFLOW_NAME: "wf-1",
      BUILD_WORKFLOW_PATH: "build",
      BUILD_CONTACT: ["dev"],
    },
  );
});

Deno.test("Azure Pipelines: the results URL is built from collection, project and build id", () => {
  assertEquals(
    keysOf({
      TF_BUILD: "True",
      BUILD_BUILDID: "314",
      SYSTEM_JOBID: "job-guid",
      SYSTEM_JOBATTEMPT: "2",
      BUILD_SOURCEVERSION: SHA,
      BUILD_SOURCEBRANCH: "refs/heads/main",
      BUILD_REPOSITORY_URI: "https://dev.azure.com/org/My%20Project/_git/app",
      BUILD_REPOSITORY_ID: "repo-guid",
      BUILD_DEFINITIONNAME: "app-ci",
      BUILD_REASON: "IndividualCI",
      BUILD_REQUESTEDFOR: "Ada Lovelace",
      SYSTEM_TEAMPROJECT: "My Project",
      SYSTEM_TEAMPROJECTID: "proj-guid",
      SYSTEM_COLLECTIONURI: "https://dev.azure.com/org/",
      SYSTEM_DEFINITIONID: "12",
    }),
    {
      BUILD_ID: "job-guid",
      BUILD_URI: "https://dev.azure.com/org/My%20Project/_build/results?buildId=314",
      BUILD_API_URI: "https://dev.azure.com/org/",
      BUILD_TRIGGER: "IndividualCI",
      BUILD_COMMIT_ID: SHA,
      BUILD_REF: "refs/heads/main",
      BUILD_ATTEMPT: "2",
      BUILD_ORIGIN_URI: "https://dev.azure.com/org/My%20Project/_git/app",
      BUILD_ORIGIN_ID: "repo-guid",
      BUILD_ORIGIN_OWNER_ID: "proj-guid",
      BUILD_WORKFLOW_NAME: "app-ci",
      BUILD_WORKFLOW_PATH: "12",
      BUILD_CONTACT: ["Ada Lovelace"],
    },
  );
});

Deno.test("Bitbucket Pipelines: results URL from the origin and build number; PR trigger", () => {
  assertEquals(
    keysOf({
      BITBUCKET_BUILD_NUMBER: "88",
      BITBUCKET_COMMIT: SHA,
      BITBUCKET_BRANCH: "feature",
      BITBUCKET_REPO_UUID: "{repo}",
      BITBUCKET_REPO_FULL_NAME: "team/app",
      BITBUCKET_WORKSPACE: "team",
      BITBUCKET_PIPELINE_UUID: "{pipe}",
      BITBUCKET_STEP_UUID: "{step}",
      BITBUCKET_PR_ID: "3",
      BITBUCKET_GIT_HTTP_ORIGIN: "http://bitbucket.org/team/app",
    }),
    {
      BUILD_ID: "{step}",
      BUILD_URI: "http://bitbucket.org/team/app/pipelines/results/88",
      BUILD_TRIGGER: "pullrequest",
      BUILD_COMMIT_ID: SHA,
      BUILD_REF: "refs/heads/feature",
      BUILD_ORIGIN_URI: "http://bitbucket.org/team/app",
      BUILD_ORIGIN_ID: "{repo}",
      BUILD_ORIGIN_KEY: "team/app",
      BUILD_ORIGIN_OWNER_ID: "team",
      BUILD_WORKFLOW_NAME: "team/app",
      BUILD_WORKFLOW_PATH: "{pipe}",
    },
  );
});

Deno.test("ciBuildKeys prefixes run-time keys with '_'", () => {
  const keys = ciBuildKeys(detectCiBuild({ GITLAB_CI: "true", CI_JOB_ID: "5" }), "_");
  assertEquals([...keys], [["_BUILD_ID", "5"]]);
});

const CHECKOUT = { commit: SHA, branch: "main", originUri: "https://x/o/r", workspace: "/ws" };

Deno.test("ciCheckoutKeys fills BRANCH of a detached checkout of the CI's commit", () => {
  const git = new Map([["COMMIT_ID", SHA], ["ORIGIN_URI", "https://x/o/r"]]);
  assertEquals([...ciCheckoutKeys(git, CHECKOUT, "/elsewhere/a")], [["BRANCH", "main"]]);
});

Deno.test("ciCheckoutKeys replaces ORIGIN_URI 'local' but never a branch or origin git knows", () => {
  const git = new Map([["COMMIT_ID", SHA], ["ORIGIN_URI", "local"], ["BRANCH", "dev"]]);
  assertEquals([...ciCheckoutKeys(git, CHECKOUT, "/ws/a")], [["ORIGIN_URI", "https://x/o/r"]]);
});

Deno.test("ciCheckoutKeys leaves another repository (another commit) alone", () => {
  const git = new Map([["COMMIT_ID", "0".repeat(40)], ["ORIGIN_URI", "local"]]);
  assertEquals(ciCheckoutKeys(git, CHECKOUT, "/ws/vendor/lib/a").size, 0);
});

Deno.test("ciCheckoutKeys without a repository: all three under the workspace, none outside", () => {
  assertEquals(Object.fromEntries(ciCheckoutKeys(undefined, CHECKOUT, "/ws/bin/app")), {
    COMMIT_ID: SHA,
    BRANCH: "main",
    ORIGIN_URI: "https://x/o/r",
  });
  assertEquals(ciCheckoutKeys(undefined, CHECKOUT, "/wsx/app").size, 0);
  assertEquals(ciCheckoutKeys(undefined, CHECKOUT, "/tmp/app").size, 0);
});
