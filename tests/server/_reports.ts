/**
 * Report bodies shaped like the ones chalk posts (tutorial `insert` report,
 * exec/heartbeat as docs/exec.md describes them), with fresh ids on every call
 * so that tests never collide. Large integers are written as JSON text on
 * purpose.
 */

let counter = 0;

/** A random upper-case hex id of `n` characters. */
export function hexId(n = 16): string {
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil(n / 2)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("").slice(0, n);
}

const B32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A fresh id in chalk's 6-4-4-6 base32 format (e.g. `64V66C-V36G-TK8D-HJCSHK`). */
export function chalkStyleId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  const s = Array.from(bytes, (b) => B32[b % 32]).join("");
  return `${s.slice(0, 6)}-${s.slice(6, 10)}-${s.slice(10, 14)}-${s.slice(14, 20)}`;
}

/** Facts about one chalked artifact, shared by the reports that mention it. */
export interface Artifact {
  /** `CHALK_ID`. */
  chalkId: string;
  /** `METADATA_ID`. */
  metadataId: string;
  /** `METADATA_HASH`. */
  metadataHash: string;
  /** `COMMIT_ID`. */
  commitId: string;
  /** `ORIGIN_URI`. */
  originUri: string;
  /** `PATH_WHEN_CHALKED`. */
  path: string;
}

/** A fresh artifact. */
export function newArtifact(overrides: Partial<Artifact> = {}): Artifact {
  counter++;
  return {
    chalkId: chalkStyleId(),
    metadataId: chalkStyleId(),
    metadataHash: hexId(64),
    commitId: hexId(40),
    originUri: "https://github.com/example/chalktest.git",
    path: `/home/liming/workspace/chalktest/ls${counter}`,
    ...overrides,
  };
}

const ENV = `{
      "PWD": "/home/liming/workspace/chalktest",
      "AWS_SECRET_ACCESS_KEY": "<<redact>>",
      "USER": "liming",
      "PATH": "/usr/local/bin:/usr/bin:/bin"
    }`;

/** The text of an `insert` report for `artifacts`, as in the tutorial. */
export function insertReport(artifacts: readonly Artifact[], timestamp = 1695487471882): string {
  const chalks = artifacts.map((a) =>
    `{
    "CHALK_ID": "${a.chalkId}",
    "HASH": "${hexId(64)}",
    "PATH_WHEN_CHALKED": ${JSON.stringify(a.path)},
    "ARTIFACT_TYPE": "ELF",
    "CODE_OWNERS": "* @viega\\n",
    "VCS_DIR_WHEN_CHALKED": "/home/liming/workspace/chalktest",
    "ORIGIN_URI": ${JSON.stringify(a.originUri)},
    "COMMIT_ID": "${a.commitId}",
    "BRANCH": "main",
    "CHALK_VERSION": "0.1.1",
    "CHALK_RAND": "${hexId(16)}",
    "METADATA_HASH": "${a.metadataHash}",
    "METADATA_ID": "${a.metadataId}",
    "_VIRTUAL": false,
    "_OP_ARTIFACT_TYPE": "ELF",
    "_CURRENT_HASH": "${hexId(64)}"
  }`
  );
  return `{
  "_OPERATION": "insert",
  "_TIMESTAMP": ${timestamp},
  "_DATETIME": "2023-09-23T12:44:31.882-04:00",
  "_CHALKS": [${chalks.join(", ")}],
  "INJECTOR_ARGV": ["ls"],
  "INJECTOR_COMMIT_ID": "f48980a19298ce27d9584baa1f7dd0fed715ef56",
  "INJECTOR_ENV": ${ENV},
  "INJECTOR_VERSION": "0.1.1",
  "PLATFORM_WHEN_CHALKED": "GNU/Linux x86_64",
  "_ACTION_ID": "${hexId()}",
  "_ARGV": ["ls"],
  "_ENV": ${ENV},
  "_OP_ARGV": ["/home/liming/workspace/chalktest/chalk", "insert", "ls"],
  "_OP_CHALKER_COMMIT_ID": "f48980a19298ce27d9584baa1f7dd0fed715ef56",
  "_OP_CHALKER_VERSION": "0.1.1",
  "_OP_CMD_FLAGS": [],
  "_OP_EXE_NAME": "chalk",
  "_OP_HOSTNAME": "liming-virtual-machine",
  "_OP_PLATFORM": "GNU/Linux x86_64",
  "_OP_CHALK_COUNT": ${artifacts.length},
  "_OP_UNMARKED_COUNT": 0
}`;
}

/** Options of {@linkcode execReport}. */
export interface ExecOptions {
  /** `exec` or `heartbeat`. */
  operation?: "exec" | "heartbeat";
  /** `_EXEC_ID` shared by an exec and its heartbeats. */
  execId?: string;
  /** `_HEARTBEAT_COUNT`. */
  heartbeat?: number;
  /** `_TIMESTAMP`. */
  timestamp?: number;
  /** `_PROCESS_PID`. */
  pid?: number;
  /** Include `_CHALKS` (heartbeats may be sent without). */
  withChalks?: boolean;
}

/** The text of an `exec` or `heartbeat` report for the marked program `a`. */
export function execReport(a: Artifact, options: ExecOptions = {}): string {
  const op = options.operation ?? "exec";
  const chalks = options.withChalks === false ? "" : `"_CHALKS": [{
    "CHALK_ID": "${a.chalkId}",
    "METADATA_ID": "${a.metadataId}",
    "COMMIT_ID": "${a.commitId}",
    "ORIGIN_URI": ${JSON.stringify(a.originUri)},
    "ARTIFACT_TYPE": "ELF",
    "_OP_ARTIFACT_PATH": ${JSON.stringify(a.path)},
    "_OP_ARTIFACT_TYPE": "ELF",
    "_PROCESS_PID": ${options.pid ?? 4242},
    "_PROCESS_PARENT_PID": 4241,
    "_PROCESS_ARGV": [${JSON.stringify(a.path)}, "-l"],
    "_PROCESS_STATE": "Sleeping",
    "_PROCESS_START_TIME": 1695487500.25,
    "_PROCESS_UID": [1000, 1000, 1000, 1000],
    "_CURRENT_HASH": "${hexId(64)}"
  }],`;
  return `{
  "_OPERATION": "${op}",
  "_TIMESTAMP": ${options.timestamp ?? 1695487500000},
  "_DATETIME": "2023-09-23T12:45:00.000-04:00",
  "_ACTION_ID": "${hexId()}",
  "_EXEC_ID": "${options.execId ?? hexId()}",
  ${chalks}
  ${options.heartbeat === undefined ? "" : `"_HEARTBEAT_COUNT": ${options.heartbeat},`}
  "_OP_ARGV": ["/usr/local/bin/chalk", "exec", "--", ${JSON.stringify(a.path)}, "-l"],
  "_OP_HOSTNAME": "runner-7",
  "_OP_PLATFORM": "GNU/Linux x86_64",
  "_OP_CHALKER_VERSION": "0.1.1"
}`;
}

/** The text of a docker `push` report for image artifact `a`. */
export function pushReport(a: Artifact, timestamp = 1695487600000): string {
  return `{
  "_OPERATION": "push",
  "_TIMESTAMP": ${timestamp},
  "_ACTION_ID": "${hexId()}",
  "_CHALKS": [{
    "CHALK_ID": "${a.chalkId}",
    "METADATA_ID": "${a.metadataId}",
    "ARTIFACT_TYPE": "Docker Image",
    "_REPO_TAGS": {"localhost:5000": {"hi": {"latest": "sha256:${hexId(64)}"}}}
  }],
  "_OP_HOSTNAME": "liming-virtual-machine"
}`;
}

/** The text of a docker `build` report for image artifact `a` tagged `tags`. */
export function buildReport(
  a: Artifact,
  tags: readonly string[],
  timestamp = 1695487550000,
): string {
  // {registry: {repo: {tag: digest}}}, as docker reports RepoTags.
  const registries: Record<string, Record<string, Record<string, string>>> = {};
  for (const ref of tags) {
    const colon = ref.lastIndexOf(":");
    const [name, tag] = colon > ref.lastIndexOf("/")
      ? [ref.slice(0, colon), ref.slice(colon + 1)]
      : [ref, "latest"];
    const slash = name.indexOf("/");
    const hasRegistry = slash > 0 && /[.:]/.test(name.slice(0, slash));
    const registry = hasRegistry ? name.slice(0, slash) : "docker.io";
    const repo = hasRegistry
      ? name.slice(slash + 1)
      : name.includes("/")
      ? name
      : `library/${name}`;
    registries[registry] ??= {};
    registries[registry][repo] = { [tag]: `sha256:${hexId(64)}` };
  }
  return `{
  "_OPERATION": "build",
  "_TIMESTAMP": ${timestamp},
  "_ACTION_ID": "${hexId()}",
  "_CHALKS": [{
    "CHALK_ID": "${a.chalkId}",
    "METADATA_ID": "${a.metadataId}",
    "METADATA_HASH": "${a.metadataHash}",
    "ARTIFACT_TYPE": "Docker Image",
    "DOCKERFILE_PATH": "/src/app/Dockerfile",
    "DOCKER_TAGS": ${JSON.stringify(tags)},
    "ORIGIN_URI": ${JSON.stringify(a.originUri)},
    "COMMIT_ID": "${a.commitId}",
    "BRANCH": "main",
    "_IMAGE_ID": "${hexId(64)}",
    "_REPO_TAGS": ${JSON.stringify(registries)}
  }],
  "_OP_HOSTNAME": "ci-runner-3"
}`;
}
