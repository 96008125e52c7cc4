/**
 * Which builder a `docker build` runs on: BuildKit (COPY `--chmod` works, and docker reads a
 * Dockerfile on stdin before it asks for the context) or the legacy builder.
 *
 * @module
 */
import type { DockerClient } from "./docker_client.ts";

/** What the builder can do, detected once per run. */
export interface BuildFeatures {
  /** BuildKit builds the image (COPY `--chmod` works). */
  buildkit: boolean;
}

/**
 * Detects BuildKit: `DOCKER_BUILDKIT=0` forces the legacy builder, `=1`
 * BuildKit; otherwise `buildx build` is BuildKit, and plain `build` is
 * BuildKit when the buildx plugin answers. Known at once (no promise) unless
 * docker must be asked, so that an early docker starts without waiting a turn.
 */
export function detectBuildFeatures(
  client: DockerClient,
  buildx: boolean,
): BuildFeatures | Promise<BuildFeatures> {
  const env = Deno.env.get("DOCKER_BUILDKIT");
  if (env === "0") return { buildkit: buildx };
  if (env === "1" || buildx) return { buildkit: true };
  return client.capture(["buildx", "version"]).then((r) => ({ buildkit: r.code === 0 }));
}
