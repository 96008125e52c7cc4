/**
 * Which program `chalk exec` runs, with which arguments and environment
 * (docs/exec.md): the configured command or the first argument, every
 * executable hit on the search path as a candidate, and chalk's own
 * environment minus what only chalk's runtime needs.
 *
 * @module
 */
import { isAbsolute, join, resolve } from "../internal/posix_path.ts";
import { RUNTIME_ENV, RUNTIME_OWN_ENV } from "../internal/container_contract.ts";
import { type ExecSettings, ExecSetupError } from "./settings.ts";
import { isExecutableFile } from "../internal/executable.ts";

/** The program name and its arguments (docs/exec.md). */
export function chooseCommand(
  settings: ExecSettings,
  cliArgs: readonly string[],
): { name: string; args: string[] } {
  let args = [...settings.defaultArgs];
  if (settings.appendCommandLineArgs) args.push(...cliArgs);
  else if (cliArgs.length > 0) {
    if (!settings.overrideOk) {
      throw new ExecSetupError("Cannot override default arguments on the command line.");
    }
    args = [...cliArgs];
  }
  let name = settings.commandName;
  if (name === "" && settings.commandNameFromArgs && args.length > 0) name = args.shift()!;
  if (name === "") {
    throw new ExecSetupError(
      "No program to execute was specified. Give it after '--' " +
        "(chalk exec -- PROG ARGS...) or with --exec-command-name.",
    );
  }
  return { name, args };
}

/** Every executable file `name` denotes: itself when it holds a `/`, else each hit on the path. */
export function findExecutables(
  name: string,
  searchPath: readonly string[],
  useSearchPath = true,
): string[] {
  if (name.includes("/") || !useSearchPath) {
    const p = isAbsolute(name) ? name : resolve(name);
    return isExecutableFile(p) ? [p] : [];
  }
  const out: string[] = [];
  for (const dir of searchPath) {
    const p = resolve(join(dir, name));
    if (!out.includes(p) && isExecutableFile(p)) out.push(p);
  }
  return out;
}

/** The workload's environment: chalk's own, minus the variable that locates chalk's runtime. */
export function workloadEnv(
  env: Readonly<Record<string, string>> = Deno.env.toObject(),
): Record<string, string> {
  const out = { ...env };
  delete out[RUNTIME_ENV];
  // Variables the wrapped image sets only for chalk's runtime (docker/entrypoint_wrap.ts) are
  // not the workload's: drop each one that still has the value chalk's runtime gave it.
  const own = out[RUNTIME_OWN_ENV];
  if (own !== undefined) {
    try {
      for (const [k, v] of Object.entries(JSON.parse(own) as Record<string, unknown>)) {
        if (out[k] === v) delete out[k];
      }
    } catch { /* a malformed list drops nothing */ }
    delete out[RUNTIME_OWN_ENV];
  }
  return out;
}
