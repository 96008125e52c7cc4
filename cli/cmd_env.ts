/**
 * `chalk env` (alias `environment`): report about the host, no artifact.
 *
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "./program.ts";
import { nonEmptyName } from "./path_option.ts";

/** Adds `env` to the command tree. */
export function defineEnv(program: Command, run: Runner): void {
  program.command("env").alias("environment")
    .description("report about the host and this run, without looking at artifacts")
    .option("--report-template <name>", "report template for the command report", nonEmptyName)
    .action((_o: unknown, c: Command) =>
      run(c, async (ctx) => (await import("../ops/env.ts")).reportEnvironment(ctx))
    );
}
