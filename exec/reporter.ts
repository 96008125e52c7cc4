/**
 * The detached reporter of `chalk exec` (docs/exec.md, decision "exec keeps
 * the workload's PID"): a second chalk process, started as the hidden
 * command `__exec-report <job>` just before chalk execs the workload. It
 * learns that the exec happened when its stdin pipe reaches EOF, or that it
 * failed when chalk writes `cancel`. It then sleeps the initial time,
 * collects, publishes the `exec` report, heartbeats while the workload
 * lives, delivers the reports dead reporters left in the spool, and exits.
 *
 * @module
 */
import { inheritedProcessKeys, processRunning } from "../collectors/process.ts";
import { adoptOrphans, claimJob, releaseJob } from "./spool.ts";
import type { InvocationFacts } from "../collectors/host.ts";
import type { RunContext } from "../ops/run_context.ts";
import { EXIT } from "../internal/errors.ts";
import { type ExecJob, parseJob, resolveJobArgument } from "./job.ts";
import { ExecSession } from "./session.ts";
import { heartbeatsAfter, publishExecReport, reportExec } from "./report_exec.ts";
import { type DeliveryOutcome, tellDelivery } from "./delivery_channel.ts";
import { execOutcome, workloadSettled } from "./exec_outcome.ts";
import { releaseUnusedStdio } from "./reporter_stdio.ts";

/** The run context of a report about `job`: its invocation facts, the `exec` command. */
export function jobContext(ctx: RunContext, job: ExecJob): RunContext {
  // The reporter's own configuration (the same one: chalk passed its flags on) filters _ENV.
  const facts: InvocationFacts = {
    ...job.facts,
    started: new Date(job.started),
    envPolicy: ctx.facts.envPolicy,
  };
  return { ...ctx, command: "exec", facts };
}

/** Publishes the exec reports that dead reporters left in the spool. */
async function deliverOrphans(ctx: RunContext, dir: string): Promise<void> {
  for (const orphan of adoptOrphans(dir)) {
    let job: ExecJob;
    try {
      job = parseJob(orphan.text);
    } catch (e) {
      ctx.log.error(`${orphan.path}: ${(e as Error).message}`);
      releaseJob(orphan.path);
      continue;
    }
    await reportExec(jobContext(ctx, job), new ExecSession(job.execId, job.started), job, {
      heartbeat: { run: false, rateMs: 0 },
      alive: () => false,
      ancestors: false,
    });
    releaseJob(orphan.path);
  }
}

/**
 * The exec report sent before the exec (`job.deliveryFd`: chalk waits for it as PID 1): what
 * chalk knows of the workload it is about to become; chalk learns whether it was delivered.
 */
async function reportBeforeExec(ctx: RunContext, job: ExecJob, session: ExecSession) {
  const target = { ...job, early: inheritedProcessKeys(job.program), notStarted: true };
  const failedBefore = ctx.hub.undelivered().length;
  let outcome: DeliveryOutcome = { delivered: true };
  try {
    const reported = await publishExecReport(jobContext(ctx, job), session, target);
    const failed = ctx.hub.undelivered().slice(failedBefore);
    if (failed.length > 0) {
      outcome = { delivered: false, reason: `sink conf ${failed[0].sink}: ${failed[0].reason}` };
    }
    return reported;
  } catch (e) {
    outcome = { delivered: false, reason: (e as Error).message };
    throw e;
  } finally {
    tellDelivery(job.deliveryFd!, outcome);
  }
}

/** Runs the reporter (the `__exec-report` command). */
export async function runExecReporter(ctx: RunContext, jobArg: string): Promise<number> {
  const job = parseJob(resolveJobArgument(jobArg));
  releaseUnusedStdio(ctx, job);
  const claimed = job.spool === undefined ? undefined : claimJob(job.spool, job.execId);
  // Spooled but not claimable: a later run adopted the job and reports it.
  if (job.spool !== undefined && claimed === undefined) return EXIT.ok;
  const session = new ExecSession(job.execId, job.started);
  const afterExecReport = async () => {
    releaseJob(claimed);
    if (job.spool !== undefined) await deliverOrphans(ctx, job.spool);
  };
  const alive = () => processRunning(job.pid, job.startTicks);
  if (job.deliveryFd !== undefined) {
    const reported = await reportBeforeExec(ctx, job, session);
    await afterExecReport();
    if (!(await execOutcome()).ran) return EXIT.ok;
    return await heartbeatsAfter(jobContext(ctx, job), session, job, reported, {
      heartbeat: job.heartbeat,
      alive,
    }).then(() => EXIT.ok);
  }
  const outcome = await workloadSettled(job.initialSleepMs);
  if (!outcome.ran) {
    releaseJob(claimed);
    return EXIT.ok;
  }
  const program = job.candidates?.[outcome.candidate] ?? job.program;
  // The workload runs as this reporter's parent did: same IDs, groups and umask.
  const early = inheritedProcessKeys(program);
  const target = { ...job, program, argv: [program, ...job.argv.slice(1)], early };
  await reportExec(jobContext(ctx, job), session, target, {
    heartbeat: job.heartbeat,
    alive,
    afterExecReport,
  });
  return EXIT.ok;
}
