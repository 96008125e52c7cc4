/**
 * Which sink configurations a configuration delivers to (docs/configuration.md, "Where reports
 * go"): those enabled and subscribed to a topic once the layer has run, or listed by an enabled
 * custom report for an operation chalk-ts reports. Only these have their parameter values
 * checked when a layer loads (config/sink_checks.ts): a sink whose `uri` comes from an unset
 * environment variable and that nothing subscribes is no reason to refuse the configuration, and
 * a run that does deliver to it refuses it then, with the file and line.
 *
 * @module
 */
import type { Con4mRuntime } from "../con4m/runtime.ts";
import type { Subscription } from "./subscription_table.ts";

/**
 * The operations chalk-ts publishes reports for (`publishReports` callers), as custom reports'
 * `use_when` names them. A custom report for another (`pull`, `postexec`) is never published by
 * chalk-ts, so its sinks are not in use.
 */
export const REPORTED_OPERATIONS: ReadonlySet<string> = new Set([
  "insert",
  "extract",
  "delete",
  "env",
  "exec",
  "heartbeat",
  "build",
  "push",
  "load",
  "setup",
]);

function customReportRuns(rt: Con4mRuntime, name: string): boolean {
  const base = `custom_report.${name}`;
  if (rt.findBool(`${base}.enabled`) === false) return false;
  const useWhen = rt.isSet(`${base}.use_when`) ? rt.getStringList(`${base}.use_when`) : ["*"];
  return useWhen.some((op) => op === "*" || REPORTED_OPERATIONS.has(op));
}

/**
 * The names of the sink configurations `rt` delivers to, given the subscriptions its layers made.
 *
 * @example
 * ```ts
 * sinksInUse(rt, env.subscriptions.list()); // Set { "default_out", "virtual_chalk_log", ... }
 * ```
 */
export function sinksInUse(rt: Con4mRuntime, subscriptions: readonly Subscription[]): Set<string> {
  const named = new Set(subscriptions.map(([, sink]) => sink));
  for (const report of rt.sectionNames("custom_report")) {
    if (!customReportRuns(rt, report)) continue;
    const sinks = rt.isSet(`custom_report.${report}.sink_configs`)
      ? rt.getStringList(`custom_report.${report}.sink_configs`)
      : [];
    for (const sink of sinks) named.add(sink);
  }
  const inUse = new Set<string>();
  for (const sink of named) {
    const base = `sink_config.${sink}`;
    if (rt.hasSection(base) && rt.findBool(`${base}.enabled`) !== false) inUse.add(sink);
  }
  return inUse;
}
