/**
 * `chalk __check-config` (hidden): exits 0 when this program's
 * configuration loads. `load` runs it on the candidate program before it
 * replaces anything; the work is done by opening the run.
 *
 * @module
 */
import type { Command } from "commander";
import { EXIT } from "../internal/errors.ts";
import type { Runner } from "./program.ts";

/** Adds `__check-config` to the command tree. */
export function defineCheckConfig(program: Command, run: Runner): void {
  program.command("__check-config", { hidden: true })
    .description("exit 0 when this program's configuration loads (used by load)")
    .action((_o: unknown, c: Command) => run(c, () => Promise.resolve(EXIT.ok)));
}
