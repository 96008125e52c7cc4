/**
 * `chalk __warm-up` (hidden): loads this program's configuration and the modules the exec
 * reporter runs, and reports nothing. Entrypoint wrapping runs it once per chalk in a
 * throwaway container to make the V8 code cache it ships in the shared `/.chalk` layer
 * (docs/docker.md, "Entrypoint wrapping"): Deno stores a module's compiled code the first time
 * it loads it, so what a start and its reporter load here is not compiled again in any
 * container.
 *
 * @module
 */
import type { Command } from "commander";
import { WARM_UP_COMMAND } from "../internal/container_contract.ts";
import { EXIT } from "../internal/errors.ts";
import type { Runner } from "./program.ts";

/** Time given to Deno to store the code cache before the warm-up ends (once per chalk). */
const STORE_GRACE_MS = 500;

/** Adds `__warm-up` to the command tree. */
export function defineWarmUp(program: Command, run: Runner): void {
  program.command(WARM_UP_COMMAND, { hidden: true })
    .description("load the configuration and the exec reporter, report nothing")
    .action((_o: unknown, c: Command) =>
      run(c, async () => {
        await import("../exec/reporter.ts");
        await import("../exec/init_reporter.ts");
        // Deno stores the program's own code cache in the background once the event loop
        // runs; a command that returns at once exits before the store and ships a cache
        // without chalk in it (each container then compiles chalk again: ~20 ms a start).
        await new Promise((resolve) => setTimeout(resolve, STORE_GRACE_MS));
        return EXIT.ok;
      })
    );
}
