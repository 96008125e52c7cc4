/**
 * `chalk exec [--exec-command-name PROG] -- PROG ARGS...` (commands-runtime
 * §8, D13). Default: start the detached reporter, then become the workload
 * through execve (same PID, stdio, signals, exit status). With
 * `--chalk-as-parent`: spawn the workload, forward signals, reap zombies
 * when PID 1, exit with the workload's status.
 */
import { isAbsolute, join, resolve } from "node:path";
import { parseDuration } from "../con4m/other_literals.ts";
import { randomHex64 } from "../collectors/host.ts";
import { readProcStat } from "../collectors/process.ts";
import type { ExecConfig } from "../config/chalk_config.ts";
import type { RunContext } from "./run_context.ts";
import { ExecError, execve } from "./exec_ffi.ts";
import { type ExecJob, RUNTIME_ENV, startReporter } from "./exec_reporter.ts";
import { runAsParent } from "./exec_parent.ts";
import { releaseJob, spoolDir, spoolJob } from "./exec_spool.ts";

/** The `exec` section of the configuration (commands-runtime §8.1, §8.4). */
export interface ExecSettings {
  commandName: string;
  commandNameFromArgs: boolean;
  searchPath: readonly string[];
  useSearchPath: boolean;
  defaultArgs: readonly string[];
  appendCommandLineArgs: boolean;
  overrideOk: boolean;
  chalkAsParent: boolean;
  /** Percent of runs that report (100: all). */
  reportingProbability: number;
  initialSleepMs: number;
  /** `rate` in milliseconds; `nice` is the reporter's priority while heartbeating. */
  heartbeat: { run: boolean; rateMs: number; nice: number };
}

/** The flags of `chalk exec` as commander parsed them. */
export interface ExecFlags {
  execCommandName?: string;
  chalkAsParent?: boolean;
  heartbeat?: boolean;
  heartbeatRate?: string;
}

/** A usage or lookup problem of `chalk exec`: nothing was run (exit 1). */
export class ExecSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExecSetupError";
  }
}

/** The defaults of the `exec` section: `$PATH` plus `.`, 50 ms, heartbeat off at 20 s. */
export function defaultExecSettings(
  env: Readonly<Record<string, string>> = Deno.env.toObject(),
): ExecSettings {
  const path = (env.PATH ?? "").split(":").filter((p) => p !== "");
  return {
    commandName: "",
    commandNameFromArgs: true,
    searchPath: [...path, "."],
    useSearchPath: true,
    defaultArgs: [],
    appendCommandLineArgs: false,
    overrideOk: true,
    chalkAsParent: false,
    reportingProbability: 100,
    initialSleepMs: 50,
    heartbeat: { run: false, rateMs: 20_000, nice: 5 },
  };
}

/** The settings of an evaluated configuration's `exec` section. */
export function settingsFromConfig(exec: ExecConfig): ExecSettings {
  return {
    commandName: exec.commandName,
    commandNameFromArgs: exec.commandNameFromArgs,
    searchPath: exec.searchPath,
    useSearchPath: exec.usePath,
    defaultArgs: exec.defaultArgs,
    appendCommandLineArgs: exec.appendCommandLineArgs,
    overrideOk: exec.overrideOk,
    chalkAsParent: exec.chalkAsParent,
    reportingProbability: exec.reportingProbability,
    initialSleepMs: exec.initialSleepMs,
    heartbeat: {
      run: exec.heartbeat.run,
      rateMs: exec.heartbeat.rateMs,
      nice: exec.heartbeat.nice,
    },
  };
}

/** Parses a duration flag (`10ms`, `2 sec`, `<<2 seconds>>`) into milliseconds. */
export function durationMs(text: string): number {
  const inner = text.trim().replace(/^<<(.*)>>$/, "$1");
  const usec = parseDuration(inner);
  if (usec === undefined || usec <= 0n) {
    throw new ExecSetupError(`--heartbeat-rate: '${text}' is not a positive duration`);
  }
  return Number(usec) / 1000;
}

/** Applies the command-line flags to the settings. */
export function withFlags(settings: ExecSettings, flags: ExecFlags): ExecSettings {
  return {
    ...settings,
    commandName: flags.execCommandName ?? settings.commandName,
    chalkAsParent: flags.chalkAsParent ?? settings.chalkAsParent,
    heartbeat: {
      ...settings.heartbeat,
      run: flags.heartbeat ?? settings.heartbeat.run,
      rateMs: flags.heartbeatRate === undefined
        ? settings.heartbeat.rateMs
        : durationMs(flags.heartbeatRate),
    },
  };
}

/** chalk's global flags that take a value as the next word. */
const GLOBAL_VALUE_FLAGS = new Set([
  "-l",
  "--log-level",
  "--chalk-symlink-behavior",
  "-f",
  "--config-file",
  "--report-cache-file",
]);

/**
 * chalk's global flags typed before `exec` (configuration file, log level,
 * ...): the reporter gets them too, so it loads the same configuration.
 */
export function globalArgsOfExec(args: readonly string[]): string[] {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "exec") return args.slice(0, i);
    if (GLOBAL_VALUE_FLAGS.has(args[i])) i++;
  }
  return [];
}

const EXEC_VALUE_FLAGS = new Set(["--exec-command-name", "--heartbeat-rate"]);
const EXEC_BOOL_FLAGS = new Set([
  "--chalk-as-parent",
  "--no-chalk-as-parent",
  "--heartbeat",
  "--no-heartbeat",
  "-h",
  "--help",
]);

/**
 * Splits chalk's argv at the `exec` command: chalk's global flags, `exec`
 * and its own flags go to commander; everything from `--`, or from the
 * first word that is not an exec flag, belongs to the workload verbatim
 * (dashes included). Undefined when the command is not `exec`.
 */
export function splitAtExec(
  args: readonly string[],
): { chalkArgs: string[]; workload: string[] } | undefined {
  let at = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "exec") {
      at = i;
      break;
    }
    if (!a.startsWith("-")) return undefined;
    if (GLOBAL_VALUE_FLAGS.has(a)) i++;
  }
  if (at < 0) return undefined;
  let i = at + 1;
  while (i < args.length) {
    const a = args[i];
    if (a === "--") {
      return { chalkArgs: args.slice(0, i), workload: args.slice(i + 1) };
    }
    const name = a.split("=")[0];
    if (EXEC_VALUE_FLAGS.has(name)) i += a.includes("=") ? 1 : 2;
    else if (EXEC_BOOL_FLAGS.has(a)) i++;
    else break;
  }
  return { chalkArgs: args.slice(0, Math.min(i, args.length)), workload: args.slice(i) };
}

/** The program name and its arguments (commands-runtime §8.1). */
export function chooseCommand(
  settings: ExecSettings,
  cliArgs: readonly string[],
): { name: string; args: string[] } {
  let args = [...settings.defaultArgs];
  if (settings.appendCommandLineArgs) args.push(...cliArgs);
  else if (cliArgs.length > 0) {
    if (!settings.overrideOk) {
      throw new ExecSetupError("Cannot override default arguments on the command line.");
    }
    args = [...cliArgs];
  }
  let name = settings.commandName;
  if (name === "" && settings.commandNameFromArgs && args.length > 0) name = args.shift()!;
  if (name === "") {
    throw new ExecSetupError(
      "No program to execute was specified. Give it after '--' " +
        "(chalk exec -- PROG ARGS...) or with --exec-command-name.",
    );
  }
  return { name, args };
}

function isExecutableFile(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0o111) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Every executable file `name` denotes: itself when it holds a `/`, else each hit on the path. */
export function findExecutables(
  name: string,
  searchPath: readonly string[],
  useSearchPath = true,
): string[] {
  if (name.includes("/") || !useSearchPath) {
    const p = isAbsolute(name) ? name : resolve(name);
    return isExecutableFile(p) ? [p] : [];
  }
  const out: string[] = [];
  for (const dir of searchPath) {
    const p = resolve(join(dir, name));
    if (!out.includes(p) && isExecutableFile(p)) out.push(p);
  }
  return out;
}

/** The workload's environment: chalk's own, minus the variable that locates chalk's runtime. */
export function workloadEnv(
  env: Readonly<Record<string, string>> = Deno.env.toObject(),
): Record<string, string> {
  const out = { ...env };
  delete out[RUNTIME_ENV];
  // Variables the wrapped image sets only for chalk's runtime (docker/entrypoint_wrap.ts) are
  // not the workload's: drop each one that still has the value chalk's runtime gave it.
  const own = out[RUNTIME_OWN_ENV];
  if (own !== undefined) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(own) as Record<string, unknown>)) {
        if (out[k] === v) delete out[k];
      }
    } catch { /* a malformed list drops nothing */ }
    delete out[RUNTIME_OWN_ENV];
  }
  return out;
}

/** The variable listing the environment chalk's runtime added inside a wrapped image. */
export const RUNTIME_OWN_ENV = "CHALK_TS_RUNTIME_ENV";

const statuses = new WeakMap<RunContext, number>();

/** The exit status `chalk exec` ends with (as parent: the workload's). */
export function execStatus(ctx: RunContext): number {
  return statuses.get(ctx) ?? (ctx.failed ? 1 : 0);
}

/** Runs `chalk exec`; `workload` is everything after the exec flags. */
export async function runExec(
  ctx: RunContext,
  workload: readonly string[],
  flags: ExecFlags,
): Promise<void> {
  // The log level (none on a terminal, else error: §0.2) comes from the configuration.
  let settings: ExecSettings;
  let name: string;
  let args: string[];
  try {
    settings = withFlags(settingsFromConfig(ctx.config.exec), flags);
    ({ name, args } = chooseCommand(settings, workload));
  } catch (e) {
    if (!(e instanceof ExecSetupError)) throw e;
    ctx.log.error(e.message);
    ctx.failed = true;
    return;
  }
  const candidates = findExecutables(name, settings.searchPath, settings.useSearchPath);
  if (candidates.length === 0) {
    ctx.log.error(`No executable named '${name}' found in your path.`);
    ctx.failed = true;
    return;
  }
  const execId = randomHex64();
  const env = workloadEnv();
  const reporting = !ctx.options.skipCommandReport &&
    Math.random() * 100 < settings.reportingProbability;

  if (settings.chalkAsParent) {
    statuses.set(
      ctx,
      await runAsParent(ctx, { programs: candidates, args, env, settings, execId, reporting }),
    );
    return;
  }

  const self = readProcStat(Deno.pid);
  const job: ExecJob = {
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
    chalkArgs: globalArgsOfExec(ctx.facts.args),
    facts: {
      selfPath: ctx.facts.selfPath,
      args: [...ctx.facts.args],
      flags: [...ctx.facts.flags],
      commandArgs: [name, ...args],
      version: ctx.facts.version,
      commit: ctx.facts.commit,
    },
  };
  // Spooled first, so that a reporter that dies early leaves its job to a later run.
  const dir = reporting ? spoolDir() : undefined;
  const spooled = dir === undefined ? undefined : spoolJob(dir, execId, JSON.stringify(job));
  if (spooled) job.spool = dir;
  const reporter = reporting ? await startReporter(ctx, job) : undefined;
  for (const [i, path] of candidates.entries()) {
    try {
      await reporter?.trying(i);
      execve(path, [path, ...args], env);
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      ctx.log.error(`Chalk: ${e.message}`);
    }
  }
  // Nothing ran: the reporter must not report a workload that never existed.
  await reporter?.cancel();
  releaseJob(spooled);
  ctx.log.error("Chalk: exec could not find a working executable to run.");
  ctx.failed = true;
}
