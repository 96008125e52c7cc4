/**
 * `chalk exec [--exec-command-name PROG] -- PROG ARGS...` (docs/exec.md).
 * Default: start the detached reporter, then become the workload through
 * execve (same PID, stdio, signals, exit status). With `--chalk-as-parent`:
 * spawn the workload, forward signals, reap zombies when PID 1, exit with
 * the workload's status.
 *
 * @module
 */
import { randomHex64 } from "../internal/hex.ts";
import type { RunContext } from "../ops/run_context.ts";
import { becomeWorkload, resolveWorkload } from "./become_workload.ts";
import type { ExecJob } from "./job.ts";
import { runAsParent } from "./parent.ts";
import { reporterStdio } from "./reporter_stdio.ts";
import { type ExecFlags, settingsFromConfig, withFlags } from "./settings.ts";
import { workloadEnv } from "./workload.ts";

export { globalArgsOfExec } from "./become_workload.ts";

/** Runs `chalk exec`; `argv` is everything after the exec flags. Returns the exit status. */
export async function runExec(
  ctx: RunContext,
  argv: readonly string[],
  flags: ExecFlags,
): Promise<number> {
  // The log level (none on a terminal, else error) came from the configuration.
  const workload = resolveWorkload(withFlags(settingsFromConfig(ctx.config.exec), flags), argv);
  const execId = randomHex64();
  const reporting = !ctx.options.skipCommandReport &&
    Math.random() * 100 < workload.settings.reportingProbability;
  if (!workload.settings.chalkAsParent) {
    const start = {
      ...ctx,
      reporterStdio: (job: ExecJob) => reporterStdio(ctx, job),
      quiet: ctx.config.chosenLogLevel() === "none",
    };
    return await becomeWorkload(start, workload, execId, reporting);
  }
  return await runAsParent(ctx, {
    programs: workload.candidates,
    args: workload.args,
    env: workloadEnv(),
    settings: workload.settings,
    execId,
    reporting,
  });
}
