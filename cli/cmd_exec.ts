/**
 * `chalk exec [--exec-command-name PROG] [--chalk-as-parent] [--heartbeat]
 * -- PROG ARGS...`: run a program and report about it (docs/exec.md). The
 * workload's argv never reaches the option parser: main splits it off
 * (`exec/exec_argv.ts`).
 *
 * @module
 */
import type { Command } from "commander";
import type { ExecFlags } from "../exec/settings.ts";
import type { Runner } from "./program.ts";
import { nonEmptyName } from "./path_option.ts";
import { examplesText } from "../internal/help_examples.ts";

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
    .option(
      "--report-wait <duration>",
      "as PID 1, wait this long for the report's delivery before the program starts (default 1 sec; 0: no wait)",
    )
    .option("--report-template <name>", "the template of the exec report", nonEmptyName)
    .allowExcessArguments()
    .action((o: ExecFlags, c: Command) => {
      // Only flags typed on the command line override the configuration.
      const typed = (key: string) => c.getOptionValueSource(key) === "cli";
      const flags: ExecFlags = {
        execCommandName: o.execCommandName,
        chalkAsParent: typed("chalkAsParent") ? o.chalkAsParent : undefined,
        heartbeat: typed("heartbeat") ? o.heartbeat : undefined,
        heartbeatRate: o.heartbeatRate,
        reportWait: o.reportWait,
      };
      run(
        c,
        async (ctx) =>
          (await import("../exec/run_exec.ts")).runExec(ctx, ctx.facts.commandArgs, flags),
      );
    });
}
