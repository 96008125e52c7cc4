/**
 * `chalk docker ...` (commands-runtime §1.4, §7.1, D16): find the real
 * docker, wrap `build` / `buildx build` and `push` (fail-safe), pass every
 * other command through with the terminal inherited. The exit status is
 * docker's.
 */
import { parseLogLevel } from "./logger.ts";
import type { RunContext } from "./run_context.ts";
import { templateNamed } from "../reports/templates.ts";
import { parseBuildArgs, splitDockerCommand } from "../docker/docker_args.ts";
import { DockerClient } from "../docker/docker_client.ts";
import { DockerMissingError, findDocker } from "../docker/docker_exe.ts";
import { chalkBuild, detectBuildFeatures } from "../docker/docker_build.ts";
import { chalkPush } from "../docker/docker_push.ts";
import { withFailSafe } from "../docker/fail_safe.ts";
import { runInherited } from "../docker/passthrough.ts";
import { defaultDockerSettings } from "../docker/build_plan.ts";

/** Exit status used when docker cannot be found. */
export const DOCKER_MISSING_STATUS = 1;

const statuses = new WeakMap<RunContext, number>();

/** docker's exit status for a finished `runDocker` (what chalk exits with). */
export function dockerStatus(ctx: RunContext): number {
  return statuses.get(ctx) ?? 0;
}

/** Chalk's own log-level flags before the word `docker` (they win over the docker default). */
function hasLevelFlag(args: readonly string[]): boolean {
  const end = args.indexOf("docker");
  return (end < 0 ? args : args.slice(0, end)).some((a) =>
    /^(-l|--log-level|--trace|--info|--warn|--error|--none)(=|$)/.test(a)
  );
}

/**
 * Splits chalk's argv at the `docker` command: chalk's global flags before
 * it, docker's arguments after it (left untouched). Undefined when the
 * command is not `docker`.
 */
export function splitAtDocker(
  args: readonly string[],
): { chalkArgs: string[]; dockerArgs: string[] } | undefined {
  const valueFlags = new Set(["-l", "--log-level", "--chalk-symlink-behavior"]);
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
  if (!hasLevelFlag(ctx.facts.args)) ctx.log.level = parseLogLevel("error") ?? "error";
  const exe = findDocker({ selfPath: ctx.self.path });
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
        settings: defaultDockerSettings(templateNamed("chalk_labels")),
        features: await detectBuildFeatures(client, line.command === "buildx"),
      }));
  }
  if (line.command === "push" && !line.rest.some((a) => a === "-h" || a === "--help")) {
    return await withFailSafe(ctx.log, { exe, args }, () => chalkPush(ctx, client, line.rest));
  }
  return await passThrough();
}
