/**
 * `chalk docker ...` (docs/docker.md): find the real docker, wrap `build` /
 * `buildx build` and `push` (fail-safe), pass every other command through
 * with the terminal inherited. The exit status is docker's.
 *
 * @module
 */
import type { RunContext } from "../ops/run_context.ts";
import type { Template } from "../reports/templates.ts";
import {
  buildVerb,
  chalkProcesses,
  isBuildCommand,
  parseBuildArgs,
  splitDockerCommand,
} from "./docker_args.ts";
import { DockerClient } from "./docker_client.ts";
import { DockerMissingError, findDocker } from "./docker_exe.ts";
import { chalkBuild } from "./docker_build.ts";
import { detectBuildFeatures } from "./build_features.ts";
import { type PrestartedBuild, takePrestarted } from "./prestart.ts";
import { chalkPush } from "./docker_push.ts";
import { withFailSafe } from "./fail_safe.ts";
import { exportsToStdout } from "./build_outputs.ts";
import { runInherited } from "./passthrough.ts";
import type { DockerSettings } from "./build_plan.ts";

/** Exit status used when docker cannot be found. */
export const DOCKER_MISSING_STATUS = 1;

/** The `docker.*` configuration as the build needs it. */
function dockerSettings(ctx: RunContext): DockerSettings {
  const conf = ctx.config.docker;
  let labelTemplate: Template | undefined;
  try {
    labelTemplate = ctx.template(conf.labelTemplate);
  } catch (e) {
    ctx.log.warn(`docker.label_template: ${(e as Error).message}; no template labels added`);
  }
  return {
    labelPrefix: conf.labelPrefix,
    labelTemplate,
    customLabels: new Map(Object.entries(conf.customLabels)),
    additionalEnvVars: new Map(Object.entries(conf.additionalEnvVars)),
    updateDockerignore: conf.updateDockerignore,
  };
}

async function readAllStdin(): Promise<Uint8Array> {
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

/** Runs `chalk docker <args>`; returns docker's exit status. */
export async function runDocker(ctx: RunContext, args: readonly string[]): Promise<number> {
  // The log level (docker_log_level, `error` by default) was set by main from the configuration.
  let dockerExe: string | undefined;
  try {
    dockerExe = ctx.config.docker.dockerExe;
  } catch (e) {
    ctx.log.warn(`docker_exe: ${(e as Error).message}`);
  }
  const prestarted = takePrestarted();
  try {
    const exe = findDocker({ selfPath: ctx.self.path, dockerExe });
    if (!exe) {
      ctx.log.error(new DockerMissingError().message);
      return DOCKER_MISSING_STATUS;
    }
    return await dispatch(ctx, exe, args, prestarted);
  } finally {
    await prestarted?.dispose();
  }
}

async function dispatch(
  ctx: RunContext,
  exe: string,
  args: readonly string[],
  prestarted: PrestartedBuild | undefined,
): Promise<number> {
  const line = splitDockerCommand(args);
  const client = new DockerClient(exe, line.globals);
  const passThrough = async () => {
    await prestarted?.dispose();
    return await runInherited(exe, args);
  };
  if (line.globalInfo || line.command === undefined) return await passThrough();

  if (isBuildCommand(line)) {
    const build = parseBuildArgs(line.rest);
    // A tar context on stdin cannot be chalked without consuming it, and files exported to
    // stdout would have chalk's report in them: leave both to docker.
    const plain = build.context === "-" || exportsToStdout(build.outputs);
    if (build.help || plain || build.context === undefined) {
      return await passThrough();
    }
    const stdin = build.file === "-" ? await readAllStdin() : undefined;
    // buildx's own flags (`--builder`) stay in `rest`: `buildx build` accepts them too.
    const verb = buildVerb(line);
    // Asked now, answered while chalk collects git facts and inspects the base image.
    const features = prestarted?.sameDocker(client)
      ? prestarted.features
      : detectBuildFeatures(client, line.command === "buildx");
    if (features instanceof Promise) features.catch(() => {}); // awaited (and handled) by the build
    return await withFailSafe(ctx.log, { exe, args, stdin }, async () =>
      await chalkBuild(ctx, {
        client,
        verb,
        rest: line.rest,
        stdinDockerfile: stdin,
        settings: dockerSettings(ctx),
        features,
        prestarted,
      }));
  }
  if (chalkProcesses(line)) { // a push: what chalk processes besides builds
    await prestarted?.dispose();
    return await withFailSafe(ctx.log, { exe, args }, () => chalkPush(ctx, client, line.rest));
  }
  return await passThrough();
}
