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
import { procWords } from "../internal/proc_words.ts";
import { envStrings } from "../internal/execve.ts";

const encoder = new TextEncoder();
const lossy = new TextDecoder();
const strict = new TextDecoder("utf-8", { fatal: true });

function strictText(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The workload's argv as bytes (argv[0] is `path`). Deno decodes chalk's arguments as UTF-8,
 * replacing what is not; the arguments that came from chalk's command line (they end it) are
 * passed as chalk got them, from /proc/self/cmdline, so a Latin-1 file name still names its
 * file. Configured words (`exec.default_args`) are text.
 */
export function workloadArgv(
  path: string,
  args: readonly string[],
  cmdline: readonly Uint8Array[] | undefined = procWords("/proc/self/cmdline"),
): Uint8Array[] {
  const out: Uint8Array[] = args.map((a) => encoder.encode(a));
  for (let i = 1; cmdline && i <= Math.min(args.length, cmdline.length); i++) {
    const raw = cmdline[cmdline.length - i];
    if (lossy.decode(raw) !== args[args.length - i]) break;
    out[args.length - i] = raw;
  }
  return [encoder.encode(path), ...out];
}

/**
 * The workload's environment as `KEY=value` bytes: {@link workloadEnv}, with each variable as
 * chalk got it (/proc/self/environ), and the variables Deno cannot show (not UTF-8) passed on
 * untouched.
 */
export function workloadEnvBytes(
  env: Readonly<Record<string, string>> = workloadEnv(),
  environ: readonly Uint8Array[] | undefined = procWords("/proc/self/environ"),
): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const raw of environ ?? []) {
    const eq = raw.indexOf(0x3d);
    const key = eq > 0 ? strictText(raw.subarray(0, eq)) : undefined;
    const value = eq > 0 ? strictText(raw.subarray(eq + 1)) : undefined;
    if (key === undefined || value === undefined) {
      out.push(raw);
    } else if (env[key] === value && !seen.has(key)) {
      out.push(raw);
      seen.add(key);
    }
  }
  for (
    const entry of envStrings(Object.fromEntries(Object.entries(env).filter(([k]) => !seen.has(k))))
  ) {
    out.push(encoder.encode(entry));
  }
  return out;
}

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
