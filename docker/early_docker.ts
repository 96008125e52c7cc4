/**
 * The wrapped `docker build`, started while chalk still prepares the mark.
 *
 * The docker CLI spends ~50 ms (its own start, the daemon's ping) before it reads a
 * Dockerfile given on stdin (`-f -`), and BuildKit asks for the context, the mark
 * among it, only after that Dockerfile arrived. So with BuildKit chalk starts docker
 * as soon as it knows the builder, and hands it the Dockerfile once the mark is in
 * the context: docker's start overlaps chalk's collection (issue 15, "Cached
 * builds"). The legacy builder sends the context before it reads stdin, so it is
 * started only when everything is ready, as before.
 */
import type { DockerClient } from "./docker_client.ts";
import type { BuildFeatures } from "./build_features.ts";
import type { BuildArgs } from "./docker_args.ts";
import { exportsFilesOnly } from "./build_outputs.ts";

/**
 * The arguments of the wrapped build: the user's, the Dockerfile on stdin, and an iidfile
 * (chalk's own, `iidfile`, unless the user named one or the build exports files only, which
 * give docker no image id to write).
 */
export function wrappedBuildArgs(
  verb: readonly string[],
  build: BuildArgs,
  iidfile: string,
): string[] {
  const own = build.iidfile === undefined && !exportsFilesOnly(build.outputs);
  return [...verb, ...build.withoutFile, "-f", "-", ...(own ? ["--iidfile", iidfile] : [])];
}

/** The reason an early docker was stopped before it got its Dockerfile. */
class NotNeeded extends Error {}

interface Started {
  status: Promise<number>;
}

/** One docker build run, started early when the builder allows it. */
export class EarlyDocker {
  readonly #dockerfile = Promise.withResolvers<Uint8Array>();
  #started: Started | Promise<Started | undefined> | undefined;
  #aborted = false;
  #given = false;
  #child: Deno.ChildProcess | undefined;

  /** @param args the build's arguments, `-f -` among them */
  constructor(readonly client: DockerClient, readonly args: readonly string[]) {
    // Handled by whoever awaits the status; never an unhandled rejection here.
    this.#dockerfile.promise.catch(() => {});
  }

  /** Starts docker as soon as `features` says BuildKit builds (a failed probe starts nothing). */
  startWhen(features: BuildFeatures | Promise<BuildFeatures>): void {
    const start = (f: BuildFeatures): Started | undefined =>
      f.buildkit && !this.#aborted
        ? {
          status: this.client.inherit(this.args, {
            stdin: this.#dockerfile.promise,
            spawned: (child) => this.#child = child,
          }),
        }
        : undefined;
    this.#started = features instanceof Promise
      ? features.then(start, () => undefined)
      : start(features);
  }

  /** Gives docker its Dockerfile (starting docker now if it did not start early); its exit status. */
  async run(dockerfile: Uint8Array): Promise<number> {
    this.#given = true;
    const early = await this.#started;
    if (!early) return await this.client.inherit(this.args, { stdin: dockerfile });
    this.#dockerfile.resolve(dockerfile);
    return await early.status;
  }

  /**
   * Stops an early docker that has not read its Dockerfile (nothing reaches the terminal);
   * nothing to do once {@link run} gave it one.
   */
  async abort(): Promise<void> {
    this.#aborted = true;
    this.#dockerfile.reject(new NotNeeded());
    const early = await this.#started;
    await early?.status.catch(() => {});
  }

  /**
   * For chalk exiting before it gave docker a Dockerfile: kills docker at once (an exit
   * cannot wait for {@link abort}), before docker reads an empty Dockerfile and says so.
   */
  killUnread(): void {
    if (this.#given) return;
    this.#aborted = true;
    try {
      this.#child?.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
