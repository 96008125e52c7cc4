/**
 * chalk's entry from argv (docs/architecture.md, "Start-up"): impersonation, `--version`, then
 * the fast paths (`version`, `exec`, docker pass-through) that run before any configuration,
 * sink or collector loads, else the full path (`cli/program.ts`: command tree, configuration,
 * operation). This module and what it imports statically stay small and free of node built-ins:
 * everything else is imported when a command needs it.
 *
 * @module
 */
import { basename, dirname } from "../internal/posix_path.ts";
import { globalFlagSpan, splitAtCommand } from "../internal/global_flags.ts";
import { stampedCommit } from "../internal/version.ts";
import { CHALK_VERSION } from "../internal/version.ts";
import { errorMessage, EXIT } from "../internal/errors.ts";
import { writeStdoutSync } from "../internal/stdout.ts";
import { splitExecArgv } from "../exec/exec_argv.ts";
import { REPORTER_COMMAND, resolveJobArgument } from "../exec/job.ts";
import { probeConfigTexts } from "../ops/config_probe.ts";
import { type SelfInfo, selfInfo } from "../ops/self_path.ts";
import { versionText } from "../ops/version.ts";
import { type FastFlags, readFastFlags } from "./fast_flags.ts";
import { forgetShebangEnv } from "../internal/quiet_deno.ts";
import { takeSigningPassword } from "../internal/signing_password.ts";
import {
  restartWithUsr1Blocked,
  scheduleInspectorSignalDisarm,
} from "../internal/inspector_signal.ts";

const VERSION_FLAGS = new Set(["--version", "-V"]);

/**
 * `chalk --version` (`-V`), anywhere among chalk's own flags, runs
 * `chalk version` with the other global flags (a configuration file still
 * applies). Undefined when no version flag was given.
 */
export function versionRequest(args: readonly string[]): string[] | undefined {
  const own = splitAtCommand(args, "docker")?.chalkArgs ?? splitExecArgv(args)?.chalkArgs ?? args;
  if (!own.some((w) => VERSION_FLAGS.has(w))) return undefined;
  const flags: string[] = [];
  for (let i = 0; i < own.length;) {
    const span = globalFlagSpan(own, i);
    if (span > 0 && !VERSION_FLAGS.has(own[i])) flags.push(...own.slice(i, i + span));
    i += span || 1;
  }
  return [...flags, "version"];
}

/**
 * `deno task chalk ...` runs chalk from source in the folder of chalk-ts's
 * deno.json, and names the caller's folder in INIT_CWD: chalk then works in
 * the caller's folder, as if run there. Only for that exact situation (from
 * source, in the checkout), so a stale INIT_CWD elsewhere changes nothing.
 */
export function enterCallerFolder(self: SelfInfo): void {
  const caller = Deno.env.get("INIT_CWD");
  if (self.kind !== "source" || !caller) return;
  try {
    if (Deno.realPathSync(Deno.cwd()) !== Deno.realPathSync(dirname(self.path))) return;
    Deno.chdir(caller);
    Deno.env.set("PWD", caller);
  } catch {
    // a caller folder that is gone: stay where deno task put us
  }
}

function probe(self: SelfInfo, flags: FastFlags): Promise<string[] | undefined> {
  return probeConfigTexts(self, {
    configFile: flags.configFile,
    useEmbeddedConfig: flags.useEmbeddedConfig,
    useExternalConfig: flags.useExternalConfig,
  });
}

/**
 * `chalk version` with no configuration to load (none embedded, no `chalk.c4m`, no
 * `--config-file`): the base configuration prints the table on stdout, so this does too.
 */
async function fastVersion(
  self: SelfInfo,
  typed: readonly string[],
): Promise<number | undefined> {
  if (self.kind !== "bundle") return undefined;
  const flags = readFastFlags(typed);
  if (!flags || flags.words.length !== 1 || flags.words[0] !== "version") return undefined;
  // Flags that take a value can name files, sinks, reports: the full path handles them.
  if (typed.some((w, i) => globalFlagSpan(typed, i) === 2 || w.includes("="))) return undefined;
  if ((await probe(self, flags))?.length !== 0) return undefined;
  writeStdoutSync(versionText(CHALK_VERSION, stampedCommit(), "bundle"));
  return EXIT.ok;
}

/** The fast paths; undefined when the full path must run. */
async function fastPath(self: SelfInfo, typed: readonly string[]): Promise<number | undefined> {
  const version = await fastVersion(self, typed);
  if (version !== undefined) return version;
  const docker = splitAtCommand(typed, "docker");
  if (docker) {
    const { fastPassThrough, needsChalk } = await import("../docker/fast_passthrough.ts");
    const flags = readFastFlags(docker.chalkArgs);
    const texts = flags && await probe(self, flags);
    // A build or push takes the full path whatever the configuration says; a build's docker
    // starts now, while the configuration loads.
    if (needsChalk(docker.rest)) {
      if (texts) {
        (await import("../docker/prestart.ts")).prestartBuild(self.path, docker.rest, texts);
      }
      return undefined;
    }
    if (!texts) return undefined;
    return fastPassThrough(self.path, docker.rest, texts);
  }
  const exec = splitExecArgv(typed);
  if (exec) {
    const flags = readFastFlags(exec.globalArgs);
    const texts = flags && await probe(self, flags);
    if (!texts) return undefined;
    const { fastExec } = await import("./fast_exec.ts");
    return await fastExec(self, typed, exec, texts);
  }
  return undefined;
}

/**
 * The exec reporter (docs/exec.md) is started just before chalk becomes the workload: it waits
 * for the exec and the initial sleep before it loads anything more, so that its configuration
 * and collectors do not compete with the workload's own start. Not when chalk waits for the
 * report before the exec (`deliveryFd`): that report is needed at once.
 */
async function reporterDelay(typed: readonly string[]): Promise<readonly string[]> {
  const words = readFastFlags(typed)?.words;
  if (words?.length !== 2 || words[0] !== REPORTER_COMMAND) return typed;
  // A job in a file is read (and the file removed) now, before the wait.
  let text: string;
  try {
    text = resolveJobArgument(words[1]);
  } catch {
    return typed; // the reporter says what is wrong with it
  }
  const at = typed.lastIndexOf(words[1]);
  const resolved = [...typed.slice(0, at), text, ...typed.slice(at + 1)];
  let job: { deliveryFd?: unknown; initialSleepMs?: unknown };
  try {
    job = JSON.parse(text);
  } catch {
    return resolved;
  }
  if (typeof job !== "object" || job === null || job.deliveryFd !== undefined) return resolved;
  const sleep = typeof job.initialSleepMs === "number" ? job.initialSleepMs : 0;
  const { workloadSettled } = await import("../exec/exec_outcome.ts");
  await workloadSettled(sleep);
  return resolved;
}

/**
 * `chalk exec --chalk-as-parent` on the command line: chalk restarts at once with SIGUSR1
 * blocked, before it prints or loads anything (internal/inspector_signal.ts). A configuration
 * that asks for it restarts later, in `exec/parent.ts`.
 */
function asParentOnCommandLine(typed: readonly string[]): boolean {
  const own = splitExecArgv(typed)?.chalkArgs ?? [];
  return own.lastIndexOf("--chalk-as-parent") > own.lastIndexOf("--no-chalk-as-parent");
}

/** Runs chalk with `argv` (after the program name); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const self = selfInfo();
  // Impersonation: a chalk program named `docker` runs `chalk docker`.
  const named = basename(self.path) === "docker" ? ["docker", ...argv] : [...argv];
  const typed = versionRequest(named) ?? named;
  if (asParentOnCommandLine(typed)) restartWithUsr1Blocked();
  enterCallerFolder(self);
  const fast = await fastPath(self, typed);
  if (fast !== undefined) return fast;
  const resolved = await reporterDelay(typed);
  const { runProgram } = await import("./program.ts");
  return await runProgram(resolved, self);
}

/** Runs chalk with `Deno.args` and exits with its code: what every entry of the program calls. */
export function runMain(): void {
  scheduleInspectorSignalDisarm();
  forgetShebangEnv();
  takeSigningPassword();
  main(Deno.args).then(
    (code) => Deno.exit(code),
    (e) => {
      // Last line of defence: one line, never a stack trace (docs/decisions.md,
      // "One-line errors").
      console.error(`error: ${errorMessage(e)}`);
      Deno.exit(1);
    },
  );
}
