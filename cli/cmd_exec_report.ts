/**
 * `chalk __exec-report <job>` (hidden): the detached reporter `chalk exec`
 * starts just before it becomes the workload (docs/exec.md).
 *
 * @module
 */
import type { Command } from "commander";
import { REPORTER_COMMAND } from "../exec/job.ts";
import type { Runner } from "./program.ts";

/** Adds the reporter's hidden command to the command tree. */
export function defineExecReport(program: Command, run: Runner): void {
  program.command(`${REPORTER_COMMAND} <job>`, { hidden: true })
    .description("report about an exec'd workload (started by exec)")
    .action((job: string, _o: unknown, c: Command) =>
      run(c, async (ctx) => (await import("../exec/reporter.ts")).runExecReporter(ctx, job), [job])
    );
}
