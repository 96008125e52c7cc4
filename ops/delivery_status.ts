/**
 * `fail_on_undelivered_reports`: for CI jobs that must not lose a report,
 * a run whose reports did not all reach their sinks fails (exit 1), even
 * though the report cache keeps them for the next run. Off by default: a
 * sink that is down never fails a build otherwise (docs/configuration.md,
 * "Delivery failures").
 *
 * @module
 */
import { EXIT } from "../internal/errors.ts";
import type { RunContext } from "./run_context.ts";

/** The run's exit status once its reports are delivered (or not). */
export function deliveryStatus(ctx: RunContext, status: number): number {
  if (status !== EXIT.ok || !ctx.config.failOnUndeliveredReports) return status;
  const failed = ctx.hub.undelivered();
  if (failed.length === 0) return status;
  const sinks = [...new Set(failed.map((f) => f.sink))].join(", ");
  ctx.log.error(
    `${failed.length === 1 ? "1 report delivery" : `${failed.length} report deliveries`} ` +
      `failed (sink conf ${sinks}); ` +
      "failing the command as fail_on_undelivered_reports asks",
  );
  return EXIT.failed;
}
