/**
 * Docker pass-through before any configuration loads (docs/docker.md, "Pass-through"): a
 * docker command chalk does not process (`ps`, `images`, `run`, ...) is handed to the real
 * docker at once, unless a configuration layer names `docker_exe` (where docker is) or
 * `set_env` (which could change `PATH`): then the full path decides.
 *
 * @module
 */
import { mentions } from "../ops/config_probe.ts";
import { chalkProcesses, splitDockerCommand } from "./docker_args.ts";
import { findDocker } from "./docker_exe.ts";
import { runInherited } from "./passthrough.ts";

/** Configuration names that change where the pass-through goes. */
const DOCKER_SENSITIVE = ["docker_exe", "set_env"];

/**
 * Runs `docker <args>` straight through when chalk has nothing to do with it; returns docker's
 * exit status, or undefined when the full path must run (a build or push, a configuration that
 * may move docker, no docker found: the full path reports that with the configured log level).
 */
export async function fastPassThrough(
  selfPath: string,
  args: readonly string[],
  configTexts: readonly string[],
): Promise<number | undefined> {
  if (chalkProcesses(splitDockerCommand(args))) return undefined;
  if (configTexts.some((t) => mentions(t, DOCKER_SENSITIVE))) return undefined;
  const exe = findDocker({ selfPath });
  if (exe === undefined) return undefined;
  return await runInherited(exe, args);
}
