/**
 * Docker pass-through before any configuration loads (docs/docker.md, "Pass-through"): a
 * docker command chalk does not process (`ps`, `images`, `run`, ...) is handed to the real
 * docker at once, unless a configuration layer names `docker_exe` (where docker is) or
 * `set_env` (which could change `PATH`): then the full path decides.
 *
 * chalk becomes docker through `execve`, as `chalk exec` becomes its workload: docker keeps
 * chalk's PID, terminal, stdio and signals, and its exit status is the command's. Nothing of
 * chalk stays resident, so a pass-through costs only chalk's start.
 *
 * @module
 */
import { errorMessage, EXIT } from "../internal/errors.ts";
import { execve } from "../internal/execve.ts";
import { mentions } from "../ops/config_probe.ts";
import { chalkProcesses, splitDockerCommand } from "./docker_args.ts";
import { findDocker } from "./docker_exe.ts";

/** Configuration names that change where the pass-through goes. */
export const DOCKER_SENSITIVE: readonly string[] = ["docker_exe", "set_env"];

/** True when a configuration layer could change which docker runs, or how. */
export function configMovesDocker(configTexts: readonly string[]): boolean {
  return configTexts.some((t) => mentions(t, DOCKER_SENSITIVE));
}

/** A docker command chalk processes (a build or push): it never passes through. */
export function needsChalk(args: readonly string[]): boolean {
  return chalkProcesses(splitDockerCommand(args));
}

/**
 * Becomes `docker <args>` when chalk has nothing to do with the command; returns 1 (after one
 * error line) when docker cannot be executed, or undefined when the full path must run (a
 * build or push, a configuration that may move docker, no docker found: the full path
 * reports that with the configured log level).
 */
export function fastPassThrough(
  selfPath: string,
  args: readonly string[],
  configTexts: readonly string[],
): number | undefined {
  if (needsChalk(args)) return undefined;
  if (configMovesDocker(configTexts)) return undefined;
  const exe = findDocker({ selfPath });
  if (exe === undefined) return undefined;
  try {
    execve(exe, [exe, ...args], Deno.env.toObject());
  } catch (e) {
    console.error(`error: docker: ${errorMessage(e)}`);
    return EXIT.failed;
  }
}
