/**
 * `chalk exec [--exec-command-name PROG] [--chalk-as-parent] [--heartbeat]
 * -- PROG ARGS...`: run a program and report about it (docs/exec.md). The
 * workload's argv never reaches the option parser: main splits it off.
 *
 * @module
 */
import type { Command } from "commander";
import { splitAtCommand } from "../internal/global_flags.ts";
import { runExec } from "../exec/run_exec.ts";
import type { ExecFlags } from "../exec/settings.ts";
import type { Runner } from "./main.ts";
import { examplesText } from "../internal/help_examples.ts";

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
  const split = splitAtCommand(args, "exec");
  if (!split) return undefined;
  const head = [...split.chalkArgs, "exec"];
  const rest = split.rest;
  let i = 0;
  while (i < rest.length) {
    const a = rest[i];
    if (a === "--") {
      return { chalkArgs: [...head, ...rest.slice(0, i)], workload: rest.slice(i + 1) };
    }
    const name = a.split("=")[0];
    if (EXEC_VALUE_FLAGS.has(name)) i += a.includes("=") ? 1 : 2;
    else if (EXEC_BOOL_FLAGS.has(a)) i++;
    else break;
  }
  const end = Math.min(i, rest.length);
  return { chalkArgs: [...head, ...rest.slice(0, end)], workload: rest.slice(end) };
}

/** Adds `exec` to the command tree; main fills in the workload's argv. */
export function defineExec(program: Command, run: Runner): void {
  program.command("exec").description("run a program (after --) and report about it")
    .addHelpText(
      "after",
      examplesText([
        ["chalk exec -- ./server --port 8080", "report, then run the workload (same PID)"],
        ["chalk exec --heartbeat -- ./job", "also report periodically while it runs"],
      ]),
    )
    .option("--exec-command-name <prog>", "the program to run (default: the first argument)")
    .option("--chalk-as-parent", "spawn the program and stay its parent")
    .option("--no-chalk-as-parent", "become the program through execve (default)")
    .option("--heartbeat", "send heartbeat reports while the program runs")
    .option("--no-heartbeat", "no heartbeat reports (default)")
    .option("--heartbeat-rate <duration>", "time between heartbeats (default 20 sec)")
    .allowExcessArguments()
    .action((o: ExecFlags, c: Command) => {
      // Only flags typed on the command line override the configuration.
      const typed = (key: string) => c.getOptionValueSource(key) === "cli";
      const flags: ExecFlags = {
        execCommandName: o.execCommandName,
        chalkAsParent: typed("chalkAsParent") ? o.chalkAsParent : undefined,
        heartbeat: typed("heartbeat") ? o.heartbeat : undefined,
        heartbeatRate: o.heartbeatRate,
      };
      run(c, (ctx) => runExec(ctx, ctx.facts.commandArgs, flags));
    });
}
