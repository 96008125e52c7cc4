/**
 * Mark and report templates: named sets of keys (commands-runtime §3.2).
 * A key reaches a mark or a report only when the active template uses it,
 * so which data leaves the machine is data, not code.
 */
import { KEY_SPECS } from "./keyspecs.ts";

/** A named set of keys. */
export interface Template {
  readonly name: string;
  readonly keys: ReadonlySet<string>;
}

function template(name: string, keys: Iterable<string>): Template {
  return { name, keys: new Set(keys) };
}

const ALL_KEYS = KEY_SPECS.map(([name]) => name);

/** Keys every mark carries whatever the template (marks-codecs §1.4). */
export const FORCED_MARK_KEYS = ["MAGIC", "CHALK_VERSION", "CHALK_ID", "METADATA_ID", "HASH"];

const MARK_DEFAULT = template(
  "mark_default",
  KEY_SPECS.filter(([name, , , inMark]) => inMark || name.startsWith("$")).map(([name]) => name),
);

// report_large leaves these out; report_default also drops the host dumps and split time keys.
const REPORT_LARGE_EXCLUDED = [
  "MAGIC",
  "PRE_CHALK_HASH",
  "FAILED_KEYS",
  "VCS_DIFF_PATCH",
  "_VCS_DIFF_PATCH",
  "ERR_INFO",
  "SIGNING",
  "_OP_ARTIFACT_REPORT_KEYS",
  "_OP_ALL_IMAGE_METADATA",
  "_OP_ALL_CONTAINER_METADATA",
];
const REPORT_DEFAULT_EXCLUDED = [
  ...REPORT_LARGE_EXCLUDED,
  "_OP_ARP_TABLE",
  "_OP_CPU_INFO",
  "_OP_IPV4_ROUTES",
  "_OP_IPV6_ROUTES",
  "_OP_IPV4_INTERFACES",
  "_OP_IPV6_INTERFACES",
  "_OP_TCP_SOCKET_INFO",
  "_OP_UDP_SOCKET_INFO",
  "_OP_ALL_PS_INFO",
  "_OP_HOST_REPORT_KEYS",
  "_DATE",
  "_TIME",
  "_TZ_OFFSET",
  "_PROCESS_DETAIL",
  "DERIVED_FROM_CHALK_ID",
  "_OP_CHALKED_KEYS",
  "_OP_EXIT_CODE",
  "_CHALK_RUN_TIME",
  "_HEARTBEAT_COUNT",
  "_SINCE_TIMESTAMP",
  "_SINCE_MONOTIME",
];
const REPORT_DEFAULT = template(
  "report_default",
  ALL_KEYS.filter((k) =>
    !k.startsWith("$") && !k.startsWith("_INSTANCE_LOCAL_IPV6") &&
    !REPORT_DEFAULT_EXCLUDED.includes(k)
  ),
);
const INSERTION_EXCLUDED = [
  "DATE_CHALKED",
  "TIME_CHALKED",
  "TZ_OFFSET_WHEN_CHALKED",
  "DATETIME_WHEN_CHALKED",
  "TIMESTAMP_WHEN_CHALKED",
  "HOST_SYSNAME_WHEN_CHALKED",
  "HOST_NODENAME_WHEN_CHALKED",
  "HOST_RELEASE_WHEN_CHALKED",
  "HOST_VERSION_WHEN_CHALKED",
  "HOST_MACHINE_WHEN_CHALKED",
  "PUBLIC_IPV4_ADDR_WHEN_CHALKED",
  "CHALK_PTR",
];
const INSERTION_DEFAULT = template(
  "insertion_default",
  [...REPORT_DEFAULT.keys].filter((k) => !INSERTION_EXCLUDED.includes(k)),
);

// The terminal summaries of the tutorial era (T), which the tutorial prints.
const TERMINAL_COMMON = [
  "_OPERATION",
  "_DATETIME",
  "_CHALKS",
  "_OP_ARGV",
  "_OP_CHALKER_VERSION",
  "_OP_CHALK_COUNT",
  "_OP_UNMARKED_COUNT",
  "_OP_ERRORS",
  "_ENV",
  "CHALK_ID",
  "CHALK_VERSION",
  "ARTIFACT_TYPE",
  "ORIGIN_URI",
  "BRANCH",
  "COMMIT_ID",
  "EMBEDDED_CHALK",
  "ERR_INFO",
  "DOCKER_FILE",
  "DOCKERFILE_PATH",
  "DOCKER_PLATFORM",
  "DOCKER_LABELS",
  "DOCKER_TAGS",
  "METADATA_ID",
  "_CURRENT_HASH",
  "_IMAGE_ID",
];
const TERMINAL_INSERT = template("terminal_insert", [
  ...TERMINAL_COMMON,
  "PRE_CHALK_HASH",
  "PATH_WHEN_CHALKED",
  "_VIRTUAL",
]);
const TERMINAL_REST = template("terminal_rest", [
  ...TERMINAL_COMMON,
  "_OP_ARTIFACT_TYPE",
  "_OP_ARTIFACT_PATH",
  "_INSTANCE_CONTAINER_ID",
  "_INSTANCE_NAME",
  "_REPO_TAGS",
  "_UNMARKED",
]);

// Keys that become image labels (commands-runtime §7.4): T's three plus H's authorship keys.
const CHALK_LABELS = template("chalk_labels", [
  "COMMIT_ID",
  "ORIGIN_URI",
  "BRANCH",
  "AUTHOR",
  "COMMITTER",
  "DATE_AUTHORED",
  "DATE_COMMITTED",
  "DATE_TAGGED",
  "TAG",
  "TAGGER",
]);

// H's heartbeat report (commands-runtime §3.2, §8.4): identity, timing and the beat count.
const HEARTBEAT = template("heartbeat", [
  "METADATA_ID",
  "CHALK_ID",
  "_CHALKS",
  "_COLLECTED_ARTIFACTS",
  "_OPERATION",
  "_TIMESTAMP",
  "_DATETIME",
  "_ACTION_ID",
  "_EXEC_ID",
  "_HEARTBEAT_COUNT",
  "_SINCE_TIMESTAMP",
  "_SINCE_MONOTIME",
]);

/** The built-in templates by name. */
export const BUILTIN_TEMPLATES: ReadonlyMap<string, Template> = new Map(
  [
    MARK_DEFAULT,
    REPORT_DEFAULT,
    INSERTION_DEFAULT,
    TERMINAL_INSERT,
    TERMINAL_REST,
    CHALK_LABELS,
    HEARTBEAT,
  ].map((t) => [t.name, t]),
);

/** Looks up a template; throws a one-line error for an unknown name. */
export function templateNamed(name: string): Template {
  const found = BUILTIN_TEMPLATES.get(name);
  if (!found) throw new Error(`unknown template '${name}'`);
  return found;
}
