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
import { type ExecJob, parseJob } from "./job.ts";
import { ExecSession } from "./session.ts";
import { reportExec } from "./report_exec.ts";
import { execOutcome } from "./exec_outcome.ts";
import { releaseUnusedStdio } from "./reporter_stdio.ts";

function jobContext(ctx: RunContext, job: ExecJob): RunContext {
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

/** Runs the reporter (the `__exec-report` command). */
export async function runExecReporter(ctx: RunContext, jobText: string): Promise<number> {
  const job = parseJob(jobText);
  releaseUnusedStdio(ctx, job);
  const claimed = job.spool === undefined ? undefined : claimJob(job.spool, job.execId);
  // Spooled but not claimable: a later run adopted the job and reports it.
  if (job.spool !== undefined && claimed === undefined) return EXIT.ok;
  const outcome = await execOutcome();
  if (!outcome.ran) {
    releaseJob(claimed);
    return EXIT.ok;
  }
  const program = job.candidates?.[outcome.candidate] ?? job.program;
  await new Promise((r) => setTimeout(r, job.initialSleepMs));
  // The workload runs as this reporter's parent did: same IDs, groups and umask.
  const early = inheritedProcessKeys(program);
  const target = { ...job, program, argv: [program, ...job.argv.slice(1)], early };
  await reportExec(jobContext(ctx, job), new ExecSession(job.execId, job.started), target, {
    heartbeat: job.heartbeat,
    alive: () => processRunning(job.pid, job.startTicks),
    afterExecReport: async () => {
      releaseJob(claimed);
      if (job.spool !== undefined) await deliverOrphans(ctx, job.spool);
    },
  });
  return EXIT.ok;
}
