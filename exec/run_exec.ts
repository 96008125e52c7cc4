/**
 * `chalk exec [--exec-command-name PROG] -- PROG ARGS...` (docs/exec.md).
 * Default: start the detached reporter, then become the workload through
 * execve (same PID, stdio, signals, exit status). With `--chalk-as-parent`:
 * spawn the workload, forward signals, reap zombies when PID 1, exit with
 * the workload's status.
 *
 * @module
 */
import { randomHex64 } from "../collectors/host.ts";
import { readProcStat } from "../collectors/process.ts";
import { EXIT } from "../internal/errors.ts";
import type { RunContext } from "../ops/run_context.ts";
import { splitExecArgv } from "./exec_argv.ts";
import { ExecError, execve } from "./ffi.ts";
import type { ExecJob } from "./job.ts";
import { runAsParent } from "./parent.ts";
import { startReporter } from "./reporter_launch.ts";
import { type ExecFlags, ExecSetupError, settingsFromConfig, withFlags } from "./settings.ts";
import type { ExecSettings } from "./settings.ts";
import { releaseJob, spoolDir, spoolJob } from "./spool.ts";
import { chooseCommand, findExecutables, workloadEnv } from "./workload.ts";

/**
 * chalk's global flags (configuration file, log level, ...), wherever they
 * were typed: the reporter gets them too, so it loads the same configuration.
 */
export function globalArgsOfExec(args: readonly string[]): string[] {
  return splitExecArgv(args)?.globalArgs ?? [];
}

/** The workload to run: settings, program candidates (first one first) and arguments. */
interface Workload {
  settings: ExecSettings;
  name: string;
  candidates: string[];
  args: string[];
}

function resolveWorkload(ctx: RunContext, argv: readonly string[], flags: ExecFlags): Workload {
  const settings = withFlags(settingsFromConfig(ctx.config.exec), flags);
  const { name, args } = chooseCommand(settings, argv);
  const candidates = findExecutables(name, settings.searchPath, settings.useSearchPath);
  if (candidates.length === 0) {
    throw new ExecSetupError(`No executable named '${name}' found in your path.`);
  }
  return { settings, name, candidates, args };
}

/** The reporter's job for a workload chalk is about to become. */
function execJob(ctx: RunContext, workload: Workload, execId: string): ExecJob {
  const { settings, name, candidates, args } = workload;
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
    started: ctx.facts.started.getTime(),
    ppid: self?.ppid,
    // The reporter logs at exec's level (none on a terminal, else error) when its stderr is ours.
    chalkArgs: [...globalArgsOfExec(ctx.facts.args), `--log-level=${ctx.log.level}`],
    facts: {
      selfPath: ctx.facts.selfPath,
      args: [...ctx.facts.args],
      flags: [...ctx.facts.flags],
      commandArgs: [name, ...args],
      version: ctx.facts.version,
      commit: ctx.facts.commit,
    },
  };
}

/**
 * Becomes the workload through execve, trying each candidate in turn; the
 * reporter learns which one ran. Returns only when none could be executed.
 */
async function becomeWorkload(
  ctx: RunContext,
  workload: Workload,
  execId: string,
  reporting: boolean,
): Promise<number> {
  const job = execJob(ctx, workload, execId);
  // Spooled first, so that a reporter that dies early leaves its job to a later run.
  const dir = reporting ? spoolDir() : undefined;
  const spooled = dir === undefined ? undefined : spoolJob(dir, execId, JSON.stringify(job));
  if (spooled) job.spool = dir;
  const reporter = reporting ? await startReporter(ctx, job) : undefined;
  const env = workloadEnv();
  for (const [i, path] of workload.candidates.entries()) {
    try {
      await reporter?.trying(i);
      execve(path, [path, ...workload.args], env);
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      ctx.log.error(`Chalk: ${e.message}`);
    }
  }
  // Nothing ran: the reporter must not report a workload that never existed.
  await reporter?.cancel();
  releaseJob(spooled);
  ctx.log.error("Chalk: exec could not find a working executable to run.");
  return EXIT.failed;
}

/** Runs `chalk exec`; `argv` is everything after the exec flags. Returns the exit status. */
export async function runExec(
  ctx: RunContext,
  argv: readonly string[],
  flags: ExecFlags,
): Promise<number> {
  // The log level (none on a terminal, else error) came from the configuration.
  const workload = resolveWorkload(ctx, argv, flags);
  const execId = randomHex64();
  const reporting = !ctx.options.skipCommandReport &&
    Math.random() * 100 < workload.settings.reportingProbability;
  if (!workload.settings.chalkAsParent) {
    return await becomeWorkload(ctx, workload, execId, reporting);
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
