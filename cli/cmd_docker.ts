/**
 * `chalk docker ARGS...`: run docker; builds and pushes are chalked.
 * docker's arguments never reach the option parser: main splits them off
 * at the `docker` word.
 *
 * @module
 */
import type { Command } from "commander";
import { splitAtCommand } from "../internal/global_flags.ts";
import type { Runner } from "./program.ts";
import { examplesText } from "../internal/help_examples.ts";

/**
 * Splits chalk's argv at the `docker` command: chalk's global flags before
 * it, docker's arguments after it (left untouched). Undefined when the
 * command is not `docker`.
 */
export function splitAtDocker(
  args: readonly string[],
): { chalkArgs: string[]; dockerArgs: string[] } | undefined {
  const split = splitAtCommand(args, "docker");
  return split && { chalkArgs: split.chalkArgs, dockerArgs: split.rest };
}

/** Adds `docker` to the command tree; main fills in docker's own arguments. */
export function defineDocker(program: Command, run: Runner): void {
  program.command("docker").description("run docker; builds and pushes are chalked")
    .addHelpText(
      "after",
      examplesText([
        ["chalk docker build -t app:1 .", "build; the image gets a mark and a report"],
        ["chalk docker push registry/app:1", "push; the report names the registry digests"],
      ]),
    )
    .helpOption(false).allowUnknownOption().allowExcessArguments()
    .action((_o: unknown, c: Command) =>
      run(
        c,
        async (ctx) =>
          (await import("../docker/run_docker.ts")).runDocker(ctx, ctx.facts.commandArgs),
      )
    );
}
