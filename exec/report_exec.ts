/**
 * Publishing the `exec` report about a workload, then its heartbeats while
 * it lives. Used by the detached reporter and by `--chalk-as-parent`.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { ancestorArgvs, readArgv, readProcStat } from "../collectors/process.ts";
import { type OperationTally, publishReports } from "../ops/reporting.ts";
import { reportTemplateNames } from "../ops/report_templates.ts";
import { UserKeys } from "../ops/user_keys.ts";
import type { RunContext } from "../ops/run_context.ts";
import { lowerPriority } from "./ffi.ts";
import { runHeartbeats } from "./heartbeat.ts";
import type { ExecSession } from "./session.ts";
import { collectExecArtifact, type ExecArtifact } from "./exec_artifact.ts";
import { workloadProcessKeys } from "./process_keys.ts";

/** What the exec and heartbeat reports are about. */
export interface ExecTarget {
  pid: number;
  startTicks?: number;
  program: string;
  argv: readonly string[];
  cwd: string;
  /** The parent before the exec, when known. */
  ppid?: number;
  /** `_PROCESS_*` keys known early, for a workload gone before it is looked at. */
  early?: MarkDict;
  /** The report is sent before the exec: the process is still chalk, so it is not looked at. */
  notStarted?: boolean;
}

/** An exec report as published: what its heartbeats repeat. */
export interface ExecReported {
  artifact: ExecArtifact;
  tally: OperationTally;
}

/** argv of `pid` and of its ancestors, nearest first. */
function ancestorsFrom(pid: number): string[][] {
  const argv = readArgv(pid);
  return argv === undefined ? [] : [argv, ...ancestorArgvs(pid)];
}

function processOf(target: ExecTarget): MarkDict {
  return workloadProcessKeys(target.pid, target.startTicks ?? readStart(target.pid), target);
}

/** Publishes the `exec` report about `target`. */
export async function publishExecReport(
  ctx: RunContext,
  session: ExecSession,
  target: ExecTarget,
  /** False: leave `_OP_ANCESTOR_ARGVS` out (a report sent by a later run). */
  ancestors = true,
): Promise<ExecReported> {
  const artifact = collectExecArtifact(target.program, ctx.log);
  const tally: OperationTally = {
    chalked: artifact.marked ? 1 : 0,
    unmarked: artifact.marked ? [] : [target.program],
  };
  const first: MarkDict = new Map([...artifact.data, ...processOf(target)]);
  await UserKeys.for(ctx, "exec")?.addArtifactKeys(first, "run", target.program);
  const host = session.hostKeys();
  const gone = target.ppid !== undefined && readProcStat(target.pid) === undefined;
  if (ancestors) {
    host.set("_OP_ANCESTOR_ARGVS", gone ? ancestorsFrom(target.ppid!) : ancestorArgvs(target.pid));
  }
  await publishReports(ctx, "exec", host, [first], tally);
  return { artifact, tally };
}

/** How heartbeats run after an exec report. */
export interface HeartbeatOptions {
  heartbeat: { run: boolean; rateMs: number; nice?: number };
  alive: () => boolean;
  signal?: AbortSignal;
  maxBeats?: number;
}

/**
 * Heartbeats about `target` after its exec report, while `alive()` holds (and `signal` is not
 * aborted), when heartbeats are on; the number of beats sent.
 */
export async function heartbeatsAfter(
  ctx: RunContext,
  session: ExecSession,
  target: ExecTarget,
  reported: ExecReported,
  options: HeartbeatOptions,
): Promise<number> {
  if (!options.heartbeat.run) return 0;
  lowerPriority(options.heartbeat.nice ?? 5);
  // Re-read /proc only when a heartbeat report (command or custom) has process keys.
  const wantsProcess = reportTemplateNames(ctx, "heartbeat").some((name) =>
    [...ctx.template(name).keys].some((k) => k.startsWith("_PROCESS_"))
  );
  const { artifact, tally } = reported;
  return await runHeartbeats({
    rateMs: options.heartbeat.rateMs,
    alive: options.alive,
    signal: options.signal,
    maxBeats: options.maxBeats,
    beat: async (count) => {
      const userKeys = UserKeys.for(ctx, "heartbeat");
      const data: MarkDict = wantsProcess
        ? new Map([...artifact.data, ...processOf(target)])
        : userKeys
        ? new Map(artifact.data)
        : artifact.data;
      await userKeys?.addArtifactKeys(data, "run", target.program);
      await publishReports(ctx, "heartbeat", session.hostKeys(count), [data], tally);
    },
  });
}

/**
 * Publishes the `exec` report about `target`, then heartbeats while
 * `alive()` holds (and `signal` is not aborted), when heartbeats are on.
 */
export async function reportExec(
  ctx: RunContext,
  session: ExecSession,
  target: ExecTarget,
  options: HeartbeatOptions & {
    /** Runs once the exec report is published, before any heartbeat. */
    afterExecReport?: () => Promise<void>;
    /** False: leave `_OP_ANCESTOR_ARGVS` out (a report sent by a later run). */
    ancestors?: boolean;
  },
): Promise<number> {
  const reported = await publishExecReport(ctx, session, target, options.ancestors !== false);
  await options.afterExecReport?.();
  return await heartbeatsAfter(ctx, session, target, reported, options);
}

function readStart(pid: number): number {
  return readProcStat(pid)?.startTicks ?? -1;
}
