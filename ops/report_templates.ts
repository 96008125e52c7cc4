/**
 * Which reports an operation publishes and with which templates: the command report (its
 * `outconf`) and the custom reports whose `use_when` names the operation. Shared by publishing
 * (`reporting.ts`) and by collectors that work only for keys a report uses (`user_keys.ts`).
 *
 * @module
 */
import type { CustomReport } from "../config/output_config.ts";
import type { RunContext } from "./run_context.ts";

const SUMMARY_REPORTS = ["terminal_chalk_time", "terminal_other_op"];

/** The custom reports published for `operation`. */
export function customReportsFor(ctx: RunContext, operation: string): CustomReport[] {
  return ctx.output.customReports.filter((custom) =>
    custom.enabled &&
    (custom.useWhen.includes(operation) || custom.useWhen.includes("*")) &&
    !(ctx.options.skipSummaryReport && SUMMARY_REPORTS.includes(custom.name))
  );
}

/** The template of the command report of `operation`. */
export function commandReportTemplate(ctx: RunContext, operation: string): string {
  return ctx.output.outconf[operation]?.reportTemplate ?? "report_default";
}

/** The report templates the reports of `operation` are built with (command and custom). */
export function reportTemplateNames(ctx: RunContext, operation: string): string[] {
  const names = customReportsFor(ctx, operation).map((c) => c.reportTemplate);
  if (!ctx.options.skipCommandReport) names.unshift(commandReportTemplate(ctx, operation));
  return names;
}
