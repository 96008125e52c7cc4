/**
 * `chalk docker build` starts docker before its configuration loads (issue 15, "Cached
 * builds"). The docker CLI takes ~50 ms before it reads a Dockerfile given on stdin, and with
 * BuildKit nothing else is asked of chalk until then (early_docker.ts). Started by the wrapped
 * build, docker began only after chalk's configuration and had the mark waiting for it; started
 * here, from the fast path, its start overlaps the configuration instead.
 *
 * Only when the configuration cannot move docker (no `docker_exe`, no `set_env` in any layer):
 * the wrapped build adopts this docker when it would run the same program with the same
 * arguments, and otherwise (or when the run never reaches the build) docker is killed before it
 * read anything, so nothing reaches the terminal.
 *
 * @module
 */
import { join, resolve } from "../internal/posix_path.ts";
import { type BuildFeatures, detectBuildFeatures } from "./build_features.ts";
import {
  buildVerb,
  isBuildCommand,
  isRemoteContext,
  parseBuildArgs,
  splitDockerCommand,
} from "./docker_args.ts";
import { DockerClient } from "./docker_client.ts";
import { findDocker } from "./docker_exe.ts";
import { EarlyDocker, wrappedBuildArgs } from "./early_docker.ts";
import { exportsToStdout } from "./build_outputs.ts";
import { configMovesDocker } from "./fast_passthrough.ts";
import { SIGNAL_NUMBERS, TERMINATING_SIGNALS } from "./passthrough.ts";

function isDirectory(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function sameWords(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}

/** A docker build started before the configuration loaded, waiting for chalk's Dockerfile. */
export class PrestartedBuild {
  #disposed = false;
  #takenOver = false;
  readonly #onExit = () => {
    this.early.killUnread();
    this.#removeTemp();
  };
  /**
   * docker's start forwards signals to it, and a listener keeps Deno from dying of them: until
   * the build adopts docker (and latches signals itself), a terminating signal ends chalk as it
   * would have without an early docker, docker with it (on unload).
   */
  readonly #onSignal = TERMINATING_SIGNALS.map((sig) =>
    [sig, () => {
      if (!this.#takenOver) Deno.exit(128 + (SIGNAL_NUMBERS[sig] ?? 0));
    }] as const
  );

  /**
   * @param client the docker it runs
   * @param early the build, started when the builder is BuildKit
   * @param features the builder, as detected for it (the build asks docker once)
   * @param temp chalk's temp folder for the build (its iidfile), the build's to use
   */
  constructor(
    readonly client: DockerClient,
    readonly early: EarlyDocker,
    readonly features: BuildFeatures | Promise<BuildFeatures>,
    readonly temp: string,
  ) {
    // An exit that never reaches the build (a configuration error, a usage error) kills it.
    globalThis.addEventListener("unload", this.#onExit);
    for (const [sig, f] of this.#onSignal) Deno.addSignalListener(sig, f);
  }

  /**
   * The build takes over (it latches signals from now on, and may change the user's context):
   * docker, when the build would run `client` with `args`, else undefined (abort it then).
   */
  takeOver(client: DockerClient, args: readonly string[]): EarlyDocker | undefined {
    this.#takenOver = true;
    return this.#matches(client, args) ? this.early : undefined;
  }

  /** Whether `client` is the same docker, with the same global flags. */
  sameDocker(client: DockerClient): boolean {
    return client.exe === this.client.exe && sameWords(client.globals, this.client.globals);
  }

  #matches(client: DockerClient, args: readonly string[]): boolean {
    return this.sameDocker(client) && sameWords(args, this.early.args);
  }

  /** Stops docker unless the build gave it its Dockerfile (then waits for it); removes the temp folder. */
  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    globalThis.removeEventListener("unload", this.#onExit);
    for (const [sig, f] of this.#onSignal) Deno.removeSignalListener(sig, f);
    await this.early.abort();
    this.#removeTemp();
  }

  #removeTemp(): void {
    try {
      Deno.removeSync(this.temp, { recursive: true });
    } catch {
      // Already removed by the build, or never written to.
    }
  }
}

let pending: PrestartedBuild | undefined;

/**
 * Starts `docker <dockerArgs>` as the wrapped build would, when it is a build chalk wraps and
 * `configTexts` (every configuration layer the run loads) cannot move docker.
 */
export function prestartBuild(
  selfPath: string,
  dockerArgs: readonly string[],
  configTexts: readonly string[],
): void {
  if (configMovesDocker(configTexts)) return;
  const line = splitDockerCommand(dockerArgs);
  if (line.globalInfo || !isBuildCommand(line)) return;
  const build = parseBuildArgs(line.rest);
  // Only a build chalk will wrap: docker checks the context before it reads the Dockerfile, and
  // its complaint would be printed again by the fail-safe's plain run.
  if (build.help || build.context === undefined || build.context === "-") return;
  if (exportsToStdout(build.outputs)) return; // passed through to docker
  if (isRemoteContext(build.context) || !isDirectory(resolve(build.context))) return;
  const exe = findDocker({ selfPath });
  if (!exe) return;
  const client = new DockerClient(exe, line.globals);
  const verb = buildVerb(line);
  let temp: string;
  try {
    temp = Deno.makeTempDirSync({ prefix: "chalk-" });
  } catch {
    return; // the build says so, with the configured log level
  }
  const features = detectBuildFeatures(client, line.command === "buildx");
  if (features instanceof Promise) features.catch(() => {}); // awaited (and handled) by the build
  const early = new EarlyDocker(client, wrappedBuildArgs(verb, build, join(temp, "iid")));
  early.startWhen(features);
  pending = new PrestartedBuild(client, early, features, temp);
}

/** The build started early, if any: from now on the caller's to adopt or dispose of. */
export function takePrestarted(): PrestartedBuild | undefined {
  const taken = pending;
  pending = undefined;
  return taken;
}
