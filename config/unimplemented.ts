/**
 * Features chalk's configurations can turn on that chalk-ts accepts but does not implement
 * (docs/configuration.md, "Not implemented"): running SBOM, SAST and secret-scanning tools,
 * object stores, the dns sink, postexec reports, installing binfmt, the busybox container. A
 * configuration that uses one loads, and each run says once, in one warning line per feature,
 * what it will not do, rather than pretending.
 *
 * @module
 */
import type { Con4mRuntime } from "../con4m/runtime.ts";
import { UNIMPLEMENTED_SINK_TYPES } from "../sinks/sink_params.ts";

const TOOL_RUNS: readonly { flag: string; kind: string; what: string; keys: string }[] = [
  { flag: "run_sbom_tools", kind: "sbom", what: "SBOM tools", keys: "SBOM" },
  { flag: "run_sast_tools", kind: "sast", what: "SAST tools", keys: "SAST" },
  {
    flag: "run_secret_scanner_tools",
    kind: "secret_scanner",
    what: "secret scanners",
    keys: "SECRET_SCANNER",
  },
];

/** The base configuration's values of the docker settings chalk-ts ignores. */
const IGNORED_DOCKER_DEFAULTS: Readonly<Record<string, string>> = {
  binfmt_container: "tonistiigi/binfmt",
  busybox_container: "busybox",
};

function quoted(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(", ");
}

function toolWarnings(rt: Con4mRuntime): string[] {
  const lines: string[] = [];
  for (const run of TOOL_RUNS) {
    if (rt.findBool(run.flag) !== true) continue;
    const tools = rt.sectionNames("tool").filter((t) =>
      rt.findString(`tool.${t}.kind`) === run.kind && rt.findBool(`tool.${t}.enabled`) !== false
    );
    const which = tools.length === 0 ? "" : ` (${tools.join(", ")})`;
    lines.push(
      `chalk-ts does not run ${run.what}${which}: ${run.flag} is true, but no ${run.keys} key is collected`,
    );
  }
  return lines;
}

function sinkWarnings(rt: Con4mRuntime, inUse: ReadonlySet<string>): string[] {
  const byType = new Map<string, string[]>();
  for (const name of inUse) {
    const type = rt.findString(`sink_config.${name}.sink`) ?? "";
    if (UNIMPLEMENTED_SINK_TYPES.has(type)) byType.set(type, [...byType.get(type) ?? [], name]);
  }
  return [...byType].map(([type, names]) =>
    `chalk-ts does not implement the ${type} sink: sink_config ${quoted(names)} gets no reports`
  );
}

function objectStoreWarnings(rt: Con4mRuntime): string[] {
  const stores = rt.sectionNames("object_store_config").filter((s) =>
    rt.findBool(`object_store_config.${s}.enabled`) !== false &&
    (rt.findString(`object_store_config.${s}.object_store`) ?? "") !== ""
  );
  if (stores.length === 0) return [];
  return [
    `chalk-ts does not implement object stores: object_store_config ${
      quoted(stores)
    } is not used, and keys are reported in full`,
  ];
}

function dockerWarnings(rt: Con4mRuntime): string[] {
  const lines: string[] = [];
  const changed = Object.entries(IGNORED_DOCKER_DEFAULTS)
    .filter(([field, base]) => (rt.findString(`docker.${field}`) ?? base) !== base)
    .map(([field]) => `docker.${field}`);
  if (rt.findBool("docker.install_binfmt") === true) changed.unshift("docker.install_binfmt");
  if (changed.length > 0) {
    lines.push(
      `chalk-ts does not run the binfmt or busybox helper containers: ${
        changed.join(", ")
      } ignored`,
    );
  }
  const postexec = ["exec.postexec.run", "docker.prep_postexec"].filter((f) =>
    rt.findBool(f) === true
  );
  if (postexec.length > 0) {
    lines.push(
      `chalk-ts does not implement postexec reports: ${postexec.join(", ")} ignored`,
    );
  }
  return lines;
}

/**
 * One warning line per feature `rt` turns on that chalk-ts does not implement (empty when
 * none); `inUse` are the sink configurations it delivers to (config/sink_use.ts).
 *
 * @example
 * ```ts
 * unimplementedFeatures(rt, sinksInUse(rt, subscriptions));
 * // ["chalk-ts does not run SAST tools (semgrep): run_sast_tools is true, but no SAST key is collected"]
 * ```
 */
export function unimplementedFeatures(rt: Con4mRuntime, inUse: ReadonlySet<string>): string[] {
  return [
    ...toolWarnings(rt),
    ...sinkWarnings(rt, inUse),
    ...objectStoreWarnings(rt),
    ...dockerWarnings(rt),
  ];
}
