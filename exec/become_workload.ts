/**
 * Becoming the workload (docs/exec.md, "Default mode"): resolve the program, spool the
 * reporter's job, start the reporter, as PID 1 wait (bounded) for the exec report's delivery,
 * then `execve`. Shared by the full path (`exec/run_exec.ts`, after the configuration loaded)
 * and the fast path (`cli/fast_exec.ts`, before any configuration loads), so it imports
 * nothing a start does not need.
 *
 * @module
 */
import { readProcStat } from "../collectors/process.ts";
import { EXIT } from "../internal/errors.ts";
import { Logger } from "../internal/logger.ts";
import {
  awaitDelivery,
  closeWriteEnd,
  type DeliveryOutcome,
  openDeliveryChannel,
} from "./delivery_channel.ts";
import { splitExecArgv } from "./exec_argv.ts";
import { ExecError, execveBytes } from "../internal/execve.ts";
import type { ExecJob } from "./job.ts";
import { type ReporterStdio, startReporter, UNDECIDED_STDIO } from "./reporter_launch.ts";
import { type ExecSettings, ExecSetupError } from "./settings.ts";
import { releaseJob, spoolDir, spoolJob } from "./spool.ts";
import { chooseCommand, findExecutables, workloadArgv, workloadEnvBytes } from "./workload.ts";

/**
 * chalk's global flags (configuration file, log level, ...), wherever they
 * were typed: the reporter gets them too, so it loads the same configuration.
 */
export function globalArgsOfExec(args: readonly string[]): string[] {
  return splitExecArgv(args)?.globalArgs ?? [];
}

/** The workload to run: settings, program candidates (first one first) and arguments. */
export interface Workload {
  settings: ExecSettings;
  name: string;
  candidates: string[];
  args: string[];
}

/** The workload `argv` names under `settings` (docs/exec.md). */
export function resolveWorkload(settings: ExecSettings, argv: readonly string[]): Workload {
  const { name, args } = chooseCommand(settings, argv);
  const candidates = findExecutables(name, settings.searchPath, settings.useSearchPath);
  if (candidates.length === 0) {
    throw new ExecSetupError(`No executable named '${name}' found in your path.`);
  }
  return { settings, name, candidates, args };
}

/**
 * What the exec needs of its chalk run: the invocation's facts, the log, and where the
 * reporter's output goes. The full path fills it from its run context; the fast path
 * (`cli/fast_exec.ts`) from the command line alone, before any configuration loads.
 */
export interface ExecStart {
  log: Logger;
  facts: {
    selfPath: string;
    args: readonly string[];
    flags: readonly string[];
    started: Date;
    version: string;
    commit?: string;
  };
  /** The reporter's streams, or undefined to hand both over and let the reporter decide. */
  reporterStdio?: (job: ExecJob) => ReporterStdio;
  /**
   * The log level was set to `none` on purpose (a flag or a configuration): then not even an
   * undelivered exec report is told about. The terminal's default `none` does not count.
   */
  quiet: boolean;
}

/** The reporter's job for a workload chalk is about to become. */
function execJob(start: ExecStart, workload: Workload, execId: string): ExecJob {
  const { settings, name, candidates, args } = workload;
  const facts = start.facts;
  const self = readProcStat(Deno.pid);
  return {
    execId,
    pid: Deno.pid,
    startTicks: self?.startTicks ?? 0,
    program: candidates[0],
    ...(candidates.length > 1 ? { candidates } : {}),
    argv: [candidates[0], ...args],
    cwd: Deno.cwd(),
    initialSleepMs: settings.initialSleepMs,
    heartbeat: settings.heartbeat,
    started: facts.started.getTime(),
    ppid: self?.ppid,
    ...(start.reporterStdio ? {} : { stdioUndecided: true }),
    // The reporter logs at exec's level (none on a terminal, else error) when its stderr is ours.
    chalkArgs: [...globalArgsOfExec(facts.args), `--log-level=${start.log.level}`],
    facts: {
      selfPath: facts.selfPath,
      args: [...facts.args],
      flags: [...facts.flags],
      commandArgs: [name, ...args],
      version: facts.version,
      commit: facts.commit,
    },
  };
}

/**
 * True when chalk waits for the exec report before it execs: as PID 1 of a PID namespace (a
 * container), where the workload's end kills the reporter (docs/exec.md).
 */
export function reportsBeforeExec(workload: Workload, reporting: boolean): boolean {
  return reporting && Deno.pid === 1 && workload.settings.reportWaitMs > 0;
}

/** The one line chalk prints when the exec report was not delivered before the exec. */
function warnUndelivered(start: ExecStart, ms: number, reason: string): void {
  if (start.quiet) return;
  const log = new Logger("warn");
  log.color = start.log.color;
  log.warn(
    `exec: the report was not sent before the workload started (${reason}); ` +
      `it is lost if the workload ends before it is sent (exec.report_wait: ${ms} ms)`,
  );
}

/**
 * Becomes the workload through execve, trying each candidate in turn; the
 * reporter learns which one ran. Returns only when none could be executed.
 */
export async function becomeWorkload(
  start: ExecStart,
  workload: Workload,
  execId: string,
  reporting: boolean,
): Promise<number> {
  const job = execJob(start, workload, execId);
  const channel = reportsBeforeExec(workload, reporting) ? openDeliveryChannel() : undefined;
  if (channel) job.deliveryFd = channel.writeFd;
  // Spooled first, so that a reporter that dies early leaves its job to a later run.
  const dir = reporting ? spoolDir() : undefined;
  const spooled = dir === undefined ? undefined : spoolJob(dir, execId, JSON.stringify(job));
  if (spooled) job.spool = dir;
  const stdio = start.reporterStdio?.(job) ?? UNDECIDED_STDIO;
  const reporter = reporting ? await startReporter(start.log, job, stdio) : undefined;
  if (channel) {
    closeWriteEnd(channel);
    // A reporter that did not start has said so already: nothing to wait for.
    const ms = workload.settings.reportWaitMs;
    const outcome: DeliveryOutcome = reporter ? awaitDelivery(channel, ms) : { delivered: true };
    if (!outcome.delivered) warnUndelivered(start, ms, outcome.reason);
  }
  const env = workloadEnvBytes();
  for (const [i, path] of workload.candidates.entries()) {
    try {
      await reporter?.trying(i);
      execveBytes(path, workloadArgv(path, workload.args), env);
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      start.log.error(`Chalk: ${e.message}`);
    }
  }
  // Nothing ran: the reporter must not report a workload that never existed.
  await reporter?.cancel();
  releaseJob(spooled);
  start.log.error("Chalk: exec could not find a working executable to run.");
  return EXIT.failed;
}
