/**
 * The detached reporter's stdout and stderr (docs/exec.md): chalk's own (the workload's) when
 * a report it sends can reach a `stdout` or `stderr` sink, else /dev/null. An inherited stream
 * stays open as long as the reporter runs, so it is only kept when needed:
 * `x=$(chalk exec -- prog)` then returns with the workload, not with the reporter.
 *
 * @module
 */
import { reportSinkConfigs } from "../ops/reporting.ts";
import type { RunContext } from "../ops/run_context.ts";
import { redirectToDevNull } from "./ffi.ts";
import type { ExecJob } from "./job.ts";
import type { ReporterStdio } from "./reporter_launch.ts";

/** The streams the reporter of `job` needs under the configuration of `ctx`. */
export function reporterStdio(ctx: RunContext, job: ExecJob): ReporterStdio {
  const operations = job.heartbeat.run ? ["exec", "heartbeat"] : ["exec"];
  const types = new Set(operations.flatMap((op) => reportSinkConfigs(ctx, op).map((c) => c.sink)));
  return {
    stdout: types.has("stdout") ? "inherit" : "null",
    stderr: types.has("stderr") ? "inherit" : "null",
  };
}

/**
 * For a reporter started before its configuration was known (`job.stdioUndecided`): lets go
 * of the streams its reports do not use, as soon as the configuration is loaded.
 */
export function releaseUnusedStdio(ctx: RunContext, job: ExecJob): void {
  if (!job.stdioUndecided) return;
  const stdio = reporterStdio(ctx, job);
  if (stdio.stdout === "null") redirectToDevNull(1);
  if (stdio.stderr === "null") redirectToDevNull(2);
}
