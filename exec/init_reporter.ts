/**
 * The reporter chalk's native init starts (docs/exec.md, "The native init"; hidden command
 * `__init-report <pid> -- <workload argv>`). The workload already runs as `pid`, its sibling
 * under the init (PID 1). The reporter publishes the exec report at once, tells the init on
 * descriptor 3 whether it was delivered (the init waits for that word, bounded, once the
 * workload has ended), then heartbeats while the workload lives.
 *
 * @module
 */
import { inheritedProcessKeys, processRunning, readProcStat } from "../collectors/process.ts";
import { INIT_REPORT_COMMAND, INIT_REPORT_FD } from "../internal/container_contract.ts";
import { EXIT, UsageError } from "../internal/errors.ts";
import { randomHex64 } from "../internal/hex.ts";
import type { RunContext } from "../ops/run_context.ts";
import { resolveWorkload } from "./become_workload.ts";
import { type DeliveryOutcome, tellDelivery } from "./delivery_channel.ts";
import type { ExecJob } from "./job.ts";
import { reportExec } from "./report_exec.ts";
import { jobContext } from "./reporter.ts";
import { releaseUnusedStdio } from "./reporter_stdio.ts";
import { ExecSession } from "./session.ts";
import { ExecSetupError, settingsFromConfig } from "./settings.ts";

/** The workload's PID as the init wrote it (ten zero-padded digits). */
function parsePid(text: string): number {
  const pid = /^\d{1,10}$/.test(text) ? Number(text) : 0;
  if (pid <= 0) throw new UsageError(`${INIT_REPORT_COMMAND}: bad workload PID '${text}'`);
  return pid;
}

/** Runs the native init's reporter; `argv` is the workload's argv as the init ran it. */
export async function runInitReporter(
  ctx: RunContext,
  pidText: string,
  argv: readonly string[],
): Promise<number> {
  const pid = parsePid(pidText);
  let told = false;
  const tell = (outcome: DeliveryOutcome) => {
    if (told) return;
    told = true;
    tellDelivery(INIT_REPORT_FD, outcome);
  };
  // The image's own ENTRYPOINT and CMD name the program, as the init ran them: exec's
  // program settings (command_name, default_args) do not apply.
  const settings = {
    ...settingsFromConfig(ctx.config.exec),
    commandName: "",
    commandNameFromArgs: true,
    defaultArgs: [],
    appendCommandLineArgs: false,
    overrideOk: true,
  };
  if (ctx.options.skipCommandReport || Math.random() * 100 >= settings.reportingProbability) {
    tell({ delivered: true }); // nothing is owed
    return EXIT.ok;
  }
  let workload;
  try {
    workload = resolveWorkload(settings, argv);
  } catch (e) {
    if (!(e instanceof ExecSetupError)) throw e;
    // The init found nothing to run either, and said so: no workload, no report.
    tell({ delivered: true });
    return EXIT.ok;
  }
  const { candidates, name, args } = workload;
  const stat = readProcStat(pid);
  const job: ExecJob = {
    execId: randomHex64(),
    pid,
    startTicks: stat?.startTicks ?? 0,
    program: candidates[0],
    argv: [candidates[0], ...args],
    cwd: Deno.cwd(),
    initialSleepMs: 0,
    heartbeat: settings.heartbeat,
    started: ctx.facts.started.getTime(),
    ppid: stat?.ppid ?? Deno.ppid,
    stdioUndecided: true,
    facts: {
      selfPath: ctx.facts.selfPath,
      args: [...ctx.facts.args],
      flags: [...ctx.facts.flags],
      commandArgs: [name, ...args],
      version: ctx.facts.version,
      commit: ctx.facts.commit,
    },
  };
  releaseUnusedStdio(ctx, job);
  // The workload runs with the init's IDs, groups and umask, as this reporter does.
  const target = { ...job, early: inheritedProcessKeys(job.program) };
  const failedBefore = ctx.hub.undelivered().length;
  try {
    await reportExec(jobContext(ctx, job), new ExecSession(job.execId, job.started), target, {
      heartbeat: job.heartbeat,
      alive: () => processRunning(job.pid, job.startTicks),
      afterExecReport: () => {
        const failed = ctx.hub.undelivered().slice(failedBefore);
        tell(
          failed.length > 0
            ? { delivered: false, reason: `sink conf ${failed[0].sink}: ${failed[0].reason}` }
            : { delivered: true },
        );
        return Promise.resolve();
      },
    });
  } catch (e) {
    tell({ delivered: false, reason: (e as Error).message });
    throw e;
  }
  return EXIT.ok;
}
