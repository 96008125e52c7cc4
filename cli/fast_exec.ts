/**
 * The exec fast path (docs/exec.md, "Start-up"): `chalk exec` reaches the workload's `execve`
 * before any configuration, sink or collector loads. It applies when no configuration layer
 * can change how the workload starts (none names the `exec` section, `log_level`,
 * `skip_command_report` or `set_env`); the detached reporter, started first, loads the
 * configuration and does the collection and reporting after the workload runs.
 *
 * @module
 */
import { errorMessage, exitCodeOf } from "../internal/errors.ts";
import { globalFlagSpan, typedFlags } from "../internal/global_flags.ts";
import { randomHex64 } from "../internal/hex.ts";
import { Logger } from "../internal/logger.ts";
import { usingTty } from "../internal/terminal.ts";
import { CHALK_VERSION, stampedCommit } from "../internal/version.ts";
import { becomeWorkload, resolveWorkload } from "../exec/become_workload.ts";
import { EXEC_BOOL_FLAGS, EXEC_VALUE_FLAGS, type ExecArgv } from "../exec/exec_argv.ts";
import {
  defaultExecSettings,
  type ExecFlags,
  type ExecSettings,
  withFlags,
} from "../exec/settings.ts";
import { mentions } from "../ops/config_probe.ts";
import type { SelfInfo } from "../ops/self_path.ts";
import { readFastFlags } from "./fast_flags.ts";

/** The `exec` section, as a block (`exec {`) or a dotted name (`exec.chalk_as_parent`). */
const EXEC_SECTION = /(^|[^A-Za-z0-9_"'])exec\s*[{.]/m;

/** Other configuration names that change how `chalk exec` starts the workload. */
const EXEC_SENSITIVE = ["log_level", "skip_command_report", "set_env"];

/** exec's own flags as the option parser would read them; undefined for one the fast path leaves alone. */
function execFlags(chalkArgs: readonly string[]): ExecFlags | undefined {
  const own = chalkArgs.slice(chalkArgs.indexOf("exec") + 1);
  const flags: ExecFlags = {};
  for (let i = 0; i < own.length; i++) {
    const word = own[i];
    const eq = word.indexOf("=");
    const name = word.startsWith("--") && eq > 0 ? word.slice(0, eq) : word;
    if (EXEC_VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? word.slice(eq + 1) : own[++i];
      if (value === undefined) return undefined;
      if (name === "--exec-command-name") flags.execCommandName = value;
      else if (name === "--heartbeat-rate") flags.heartbeatRate = value;
      else if (name === "--report-wait") flags.reportWait = value;
      else return undefined; // --report-template: a configuration override
    } else if (EXEC_BOOL_FLAGS.has(name)) {
      if (name === "--chalk-as-parent") flags.chalkAsParent = true;
      else if (name === "--no-chalk-as-parent") flags.chalkAsParent = false;
      else if (name === "--heartbeat") flags.heartbeat = true;
      else if (name === "--no-heartbeat") flags.heartbeat = false;
      else return undefined; // help
    } else i += globalFlagSpan(own, i) - 1; // a global flag, read by readFastFlags
  }
  return flags;
}

/**
 * Runs `chalk exec` without loading the configuration: becomes the workload, or returns its
 * exit status when nothing could be run. Undefined when the full path must run instead.
 */
export async function fastExec(
  self: SelfInfo,
  args: readonly string[],
  split: ExecArgv,
  configTexts: readonly string[],
): Promise<number | undefined> {
  if (self.kind !== "bundle") return undefined;
  if (configTexts.some((t) => EXEC_SECTION.test(t) || mentions(t, EXEC_SENSITIVE))) {
    return undefined;
  }
  const global = readFastFlags(split.globalArgs);
  const flags = execFlags(split.chalkArgs);
  if (!global || !flags) return undefined;
  let settings: ExecSettings;
  try {
    settings = withFlags(defaultExecSettings(), flags);
  } catch {
    return undefined; // a bad --heartbeat-rate: the full path says why
  }
  if (settings.chalkAsParent) return undefined;
  const started = new Date();
  const log = new Logger(global.logLevel ?? (usingTty() ? "none" : "error"));
  try {
    const workload = resolveWorkload(settings, split.workload);
    const start = {
      log,
      quiet: global.logLevel === "none",
      facts: {
        selfPath: self.path,
        args,
        flags: typedFlags(args),
        started,
        version: CHALK_VERSION,
        commit: stampedCommit(),
      },
    };
    return await becomeWorkload(start, workload, randomHex64(), !global.skipCommandReport);
  } catch (e) {
    log.errorLines(errorMessage(e).split("\n"));
    return exitCodeOf(e);
  }
}
