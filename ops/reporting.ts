/**
 * The end of every reporting command: collect run-time host keys (a configuration's own among
 * them), publish the primary report on topic `report`, then the custom reports (the terminal
 * summary) that apply to the command.
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { writeMarkJson, writtenKeyOrder } from "../codecs/mark_json.ts";
import { runTimeHostKeys } from "../collectors/host.ts";
import { cachedCloudKeys } from "../collectors/cloud.ts";
import { buildReport } from "../reports/build_report.ts";
import type { SinkConfig } from "../sinks/sink.ts";
import { rememberWritten } from "../sinks/filters.ts";
import type { RunContext } from "./run_context.ts";
import {
  commandReportTemplate,
  customReportsFor,
  reportTemplateNames,
} from "./report_templates.ts";
import { contextDirectories, UserKeys } from "./user_keys.ts";
import { repositoryReader, runTimeGitHostKeys, wantsRunTimeGit } from "./run_time_git.ts";

/** Counters that end up in every report of the run. */
export interface OperationTally {
  chalked: number;
  unmarked: string[];
}

/** Wraps a report the way chalk publishes it: a one-element array plus newline. */
export function reportMessage(report: MarkDict): string {
  // The report as written (top-level keys sorted): what `pretty_json` would read back.
  const written: MarkDict = new Map();
  for (const key of writtenKeyOrder(report)) written.set(key, report.get(key)!);
  const text = `[ ${writeMarkJson(written)} ]\n`;
  rememberWritten(text, [written]);
  return text;
}

/**
 * The sink configurations the reports of `operation` can reach: those
 * subscribed to the command report's topic, and those of its custom reports.
 */
export function reportSinkConfigs(ctx: RunContext, operation: string): SinkConfig[] {
  const names = new Set<string>();
  if (!ctx.options.skipCommandReport) {
    for (const [topic, sink] of ctx.output.subscriptions) if (topic === "report") names.add(sink);
  }
  for (const custom of customReportsFor(ctx, operation)) {
    for (const sink of custom.sinkConfigs) names.add(sink);
  }
  return ctx.output.sinkConfigs.filter((c) => c.enabled && names.has(c.name));
}

/**
 * Does ahead what the reports of `operation` need whatever the artifacts say: the templates'
 * keys and the cloud facts, for a caller that waits anyway (a docker build runs). A problem
 * shows when the reports are published.
 */
export function prepareReports(ctx: RunContext, operation: string): void {
  for (const name of reportTemplateNames(ctx, operation)) {
    try {
      ctx.template(name);
    } catch { /* publishReports says it */ }
  }
  cachedCloudKeys(ctx.config.cloud, Deno.env.toObject()).catch(() => {});
}

/** The report templates `operation` publishes with (the command report's, then custom ones). */
function templatesOf(ctx: RunContext, operation: string) {
  return reportTemplateNames(ctx, operation).flatMap((n) => {
    try {
      return [ctx.template(n)];
    } catch {
      return []; // an unknown template: publishing says so
    }
  });
}

/** Publishes the command report and the custom reports. */
export async function publishReports(
  ctx: RunContext,
  operation: string,
  chalkTimeHost: MarkDict,
  artifacts: readonly MarkDict[],
  tally: OperationTally,
): Promise<void> {
  const host: MarkDict = new Map([
    ...chalkTimeHost,
    ...runTimeHostKeys(operation, ctx.facts),
    ...await cachedCloudKeys(ctx.config.cloud, Deno.env.toObject()),
  ]);
  // The run-time git twins (`_COMMIT_ID`, ...) come from the repository of the first context
  // directory (search path or build context), as the original's; none for commands without one
  // (env, exec). Read only when a template reports them.
  const repoDir = contextDirectories(ctx)[0];
  if (repoDir !== undefined && wantsRunTimeGit(templatesOf(ctx, operation))) {
    const keys = await runTimeGitHostKeys(repoDir, repositoryReader(ctx));
    for (const [k, v] of keys) host.set(k, v);
  }
  await UserKeys.for(ctx, operation)?.addHostKeys(host, "run");
  host.set("_OP_CHALK_COUNT", BigInt(tally.chalked));
  host.set("_OP_UNMARKED_COUNT", BigInt(tally.unmarked.length));
  if (tally.unmarked.length > 0) host.set("_UNMARKED", [...tally.unmarked]);
  if (ctx.log.errors.length > 0) host.set("_OP_ERRORS", [...ctx.log.errors]);

  if (!ctx.options.skipCommandReport) {
    const template = ctx.template(commandReportTemplate(ctx, operation));
    const message = reportMessage(buildReport(host, artifacts, template));
    if (ctx.hub.subscribers("report").length === 0) {
      ctx.log.info("Nothing subscribed to topic: report");
    }
    await ctx.hub.publishReport("report", message);
  } else {
    ctx.log.info("Skipping the command report as per the `skip_command_report` directive");
  }

  for (const custom of customReportsFor(ctx, operation)) {
    const message = reportMessage(
      buildReport(host, artifacts, ctx.template(custom.reportTemplate)),
    );
    await ctx.hub.publishReport(custom.name, message, custom.sinkConfigs);
  }
  await ctx.hub.finishReporting();
}
