/**
 * Where chalk's flags end and the workload's argv begins in
 * `chalk [flags] exec [flags] [--] PROG ARGS...` (docs/exec.md). As with
 * the original's getopts, chalk's global flags and exec's own flags are
 * taken anywhere before the workload: the first other word (or `--`)
 * starts it, and everything from there is the workload's, verbatim.
 *
 * @module
 */
import { globalFlagSpan, splitAtCommand } from "../internal/global_flags.ts";

/** exec's own flags that take a value (`--flag value` or `--flag=value`). */
export const EXEC_VALUE_FLAGS: ReadonlySet<string> = new Set([
  "--exec-command-name",
  "--heartbeat-rate",
  "--report-wait",
  "--report-template",
]);

/** exec's own yes/no flags. */
export const EXEC_BOOL_FLAGS: ReadonlySet<string> = new Set([
  "--chalk-as-parent",
  "--no-chalk-as-parent",
  "--heartbeat",
  "--no-heartbeat",
  "-h",
  "--help",
]);

/** A `chalk exec` command line, split. */
export interface ExecArgv {
  /** What the option parser sees: global flags, `exec`, exec's flags (the workload left out). */
  chalkArgs: string[];
  /** The global flags alone, wherever they were typed: the reporter is started with them. */
  globalArgs: string[];
  /** The workload's argv (program and arguments), untouched. */
  workload: string[];
}

/** Words the exec flag at `rest[i]` takes (0: not an exec flag). */
function execFlagSpan(rest: readonly string[], i: number): number {
  const word = rest[i];
  const eq = word.indexOf("=");
  if (word.startsWith("--") && eq > 0) return EXEC_VALUE_FLAGS.has(word.slice(0, eq)) ? 1 : 0;
  if (EXEC_VALUE_FLAGS.has(word)) return Math.min(2, rest.length - i);
  return EXEC_BOOL_FLAGS.has(word) ? 1 : 0;
}

/**
 * Splits argv at the `exec` command. Undefined when the command is not
 * `exec`.
 *
 * @example
 * ```ts
 * splitExecArgv(["exec", "--log-level=none", "--exec-command-name=./uname", "-a"]);
 * // { chalkArgs: ["exec", "--log-level=none", "--exec-command-name=./uname"],
 * //   globalArgs: ["--log-level=none"], workload: ["-a"] }
 * ```
 */
export function splitExecArgv(args: readonly string[]): ExecArgv | undefined {
  const split = splitAtCommand(args, "exec");
  if (!split) return undefined;
  const chalkArgs = [...split.chalkArgs, "exec"];
  const globalArgs = [...split.chalkArgs];
  const rest = split.rest;
  let i = 0;
  while (i < rest.length) {
    if (rest[i] === "--") return { chalkArgs, globalArgs, workload: rest.slice(i + 1) };
    const own = execFlagSpan(rest, i);
    const global = own === 0 ? globalFlagSpan(rest, i) : 0;
    const span = own || global;
    if (span === 0) break;
    chalkArgs.push(...rest.slice(i, i + span));
    if (global) globalArgs.push(...rest.slice(i, i + span));
    i += span;
  }
  return { chalkArgs, globalArgs, workload: rest.slice(i) };
}
