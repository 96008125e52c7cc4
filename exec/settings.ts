/**
 * The settings of `chalk exec`: the configuration's `exec` section
 * (docs/exec.md), then the command-line flags over it.
 *
 * @module
 */
import { parseDuration } from "../con4m/other_literals.ts";
import type { ExecConfig } from "../config/chalk_config.ts";
import { ChalkError, UsageError } from "../internal/errors.ts";

/** The `exec` section of the configuration (docs/exec.md). */
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
  /**
   * As PID 1 (a container's workload), how long chalk waits for the exec report to be
   * delivered before it execs the workload; 0: no wait, the report is sent after the exec.
   */
  reportWaitMs: number;
  /** `rate` in milliseconds; `nice` is the reporter's priority while heartbeating. */
  heartbeat: { run: boolean; rateMs: number; nice: number };
}

/** The flags of `chalk exec` as commander parsed them. */
export interface ExecFlags {
  execCommandName?: string;
  chalkAsParent?: boolean;
  heartbeat?: boolean;
  heartbeatRate?: string;
  reportWait?: string;
}

/** A usage or lookup problem of `chalk exec`: nothing was run (exit 1). */
export class ExecSetupError extends ChalkError {
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
    reportWaitMs: 1_000,
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
    reportWaitMs: exec.reportWaitMs,
    heartbeat: {
      run: exec.heartbeat.run,
      rateMs: exec.heartbeat.rateMs,
      nice: exec.heartbeat.nice,
    },
  };
}

/**
 * Parses a duration flag (`10ms`, `2 sec`, `<<2 seconds>>`) into milliseconds; `0` is taken
 * only where `zeroOk`.
 */
export function durationMs(text: string, flag = "--heartbeat-rate", zeroOk = false): number {
  const inner = text.trim().replace(/^<<(.*)>>$/, "$1");
  const usec = zeroOk && /^0+$/.test(inner) ? 0n : parseDuration(inner);
  if (usec === undefined || usec < 0n || (usec === 0n && !zeroOk)) {
    const what = zeroOk ? "a duration" : "a positive duration";
    // A flag's bad value is a usage error (exit 2), as `load --timeout x` and a bad choice are;
    // ExecSetupError (exit 1) is for a workload that cannot be found or run.
    throw new UsageError(`${flag}: '${text}' is not ${what} (e.g. 20s, 500ms)`);
  }
  return Number(usec) / 1000;
}

/** Applies the command-line flags to the settings. */
export function withFlags(settings: ExecSettings, flags: ExecFlags): ExecSettings {
  return {
    ...settings,
    commandName: flags.execCommandName ?? settings.commandName,
    chalkAsParent: flags.chalkAsParent ?? settings.chalkAsParent,
    reportWaitMs: flags.reportWait === undefined
      ? settings.reportWaitMs
      : durationMs(flags.reportWait, "--report-wait", true),
    heartbeat: {
      ...settings.heartbeat,
      run: flags.heartbeat ?? settings.heartbeat.run,
      rateMs: flags.heartbeatRate === undefined
        ? settings.heartbeat.rateMs
        : durationMs(flags.heartbeatRate),
    },
  };
}
