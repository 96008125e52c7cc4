/**
 * `chalk docker ...` (commands-runtime §1.4, §7.1, D16): find the real
 * docker, wrap `build` / `buildx build` and `push` (fail-safe), pass every
 * other command through with the terminal inherited. The exit status is
 * docker's.
 */
import type { RunContext } from "./run_context.ts";
import type { Template } from "../reports/templates.ts";
import { parseBuildArgs, splitDockerCommand } from "../docker/docker_args.ts";
import { DockerClient } from "../docker/docker_client.ts";
import { DockerMissingError, findDocker } from "../docker/docker_exe.ts";
import { chalkBuild, detectBuildFeatures } from "../docker/docker_build.ts";
import { chalkPush } from "../docker/docker_push.ts";
import { withFailSafe } from "../docker/fail_safe.ts";
import { runInherited } from "../docker/passthrough.ts";
import type { DockerSettings } from "../docker/build_plan.ts";

/** Exit status used when docker cannot be found. */
export const DOCKER_MISSING_STATUS = 1;

const statuses = new WeakMap<RunContext, number>();

/** docker's exit status for a finished `runDocker` (what chalk exits with). */
export function dockerStatus(ctx: RunContext): number {
  return statuses.get(ctx) ?? 0;
}

/** The `docker.*` configuration as the build needs it (commands-runtime §7.4, §7.5). */
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

/**
 * Splits chalk's argv at the `docker` command: chalk's global flags before
 * it, docker's arguments after it (left untouched). Undefined when the
 * command is not `docker`.
 */
export function splitAtDocker(
  args: readonly string[],
): { chalkArgs: string[]; dockerArgs: string[] } | undefined {
  // chalk's global flags that take a separate value (cli/main.ts).
  const valueFlags = new Set([
    "-l",
    "--log-level",
    "--chalk-symlink-behavior",
    "-f",
    "--config-file",
    "--report-cache-file",
  ]);
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "docker") return { chalkArgs: args.slice(0, i), dockerArgs: args.slice(i + 1) };
    if (!a.startsWith("-")) return undefined;
    if (valueFlags.has(a)) i++;
  }
  return undefined;
}

async function readAllStdin(): Promise<Uint8Array> {
  return new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
}

/** Runs `chalk docker <args>`; the status is read back with {@link dockerStatus}. */
export async function runDocker(ctx: RunContext, args: readonly string[]): Promise<void> {
  // The log level (docker_log_level, `error` by default) was set by main from the configuration.
  let dockerExe: string | undefined;
  try {
    dockerExe = ctx.config.docker.dockerExe;
  } catch (e) {
    ctx.log.warn(`docker_exe: ${(e as Error).message}`);
  }
  const exe = findDocker({ selfPath: ctx.self.path, dockerExe });
  if (!exe) {
    ctx.log.error(new DockerMissingError().message);
    statuses.set(ctx, DOCKER_MISSING_STATUS);
    return;
  }
  statuses.set(ctx, await dispatch(ctx, exe, args));
}

async function dispatch(ctx: RunContext, exe: string, args: readonly string[]): Promise<number> {
  const line = splitDockerCommand(args);
  const client = new DockerClient(exe, line.globals);
  const passThrough = () => runInherited(exe, args);
  if (line.globalInfo || line.command === undefined) return await passThrough();

  const isBuild = line.command === "build" ||
    (line.command === "buildx" && (line.subcommand === "build" || line.subcommand === "b"));
  if (isBuild) {
    const build = parseBuildArgs(line.rest);
    // A tar context on stdin cannot be chalked without consuming it: leave it to docker.
    if (build.help || build.context === "-" || build.context === undefined) {
      return await passThrough();
    }
    const stdin = build.file === "-" ? await readAllStdin() : undefined;
    // buildx's own flags (`--builder`) stay in `rest`: `buildx build` accepts them too.
    const verb = line.command === "build" ? ["build"] : ["buildx", "build"];
    return await withFailSafe(ctx.log, { exe, args, stdin }, async () =>
      await chalkBuild(ctx, {
        client,
        verb,
        rest: line.rest,
        stdinDockerfile: stdin,
        settings: dockerSettings(ctx),
        features: await detectBuildFeatures(client, line.command === "buildx"),
      }));
  }
  if (line.command === "push" && !line.rest.some((a) => a === "-h" || a === "--help")) {
    return await withFailSafe(ctx.log, { exe, args }, () => chalkPush(ctx, client, line.rest));
  }
  return await passThrough();
}
