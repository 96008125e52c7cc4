/**
 * `env`: a report about the host alone (no artifact is looked at), as in
 * Chalk v0.1.
 *
 * @module
 */
import { EXIT } from "../internal/errors.ts";
import { publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";

/** Publishes the `env` report; returns the exit status. */
export async function reportEnvironment(ctx: RunContext): Promise<number> {
  await publishReports(ctx, "env", new Map(), [], { chalked: 0, unmarked: [] });
  return EXIT.ok;
}
