/**
 * A liberal reading of a docker command line (as the original's
 * `src/configs/dockercmd.c4m`): docker's global flags, the subcommand, and for
 * `build` / `buildx build` / `push` the flags chalk needs. Unknown flags are
 * tolerated: `--x=y` keeps its value, a bare unknown flag is taken as a yes/no
 * flag. Pure: no I/O.
 */

/** Global docker flags that take a value (`docker --help`). */
const GLOBAL_VALUE_FLAGS = new Set([
  "--config",
  "-c",
  "--context",
  "-H",
  "--host",
  "-l",
  "--log-level",
  "--tlscacert",
  "--tlscert",
  "--tlskey",
]);

/** `docker build` / `buildx build` flags that take a value. */
const BUILD_VALUE_FLAGS = new Set([
  "--add-host",
  "--allow",
  "--annotation",
  "--attest",
  "--build-arg",
  "--build-context",
  "--builder",
  "--cache-from",
  "--cache-to",
  "--call",
  "--cgroup-parent",
  "--cpu-period",
  "--cpu-quota",
  "--cpu-shares",
  "-c",
  "--cpuset-cpus",
  "--cpuset-mems",
  "--file",
  "-f",
  "--iidfile",
  "--isolation",
  "--label",
  "--memory",
  "-m",
  "--memory-swap",
  "--metadata-file",
  "--network",
  "--no-cache-filter",
  "--output",
  "-o",
  "--platform",
  "--progress",
  "--secret",
  "--security-opt",
  "--shm-size",
  "--ssh",
  "--tag",
  "-t",
  "--target",
  "--ulimit",
]);

/** `docker push` / `pull` flags that take a value. */
const PUSH_VALUE_FLAGS = new Set(["--platform"]);

/** One flag occurrence: its name, value, and the argv indexes it spans. */
export interface FlagUse {
  name: string;
  value?: string;
  /** Indexes (into the argument list given to the parser) of the flag's tokens. */
  indexes: number[];
}

/** What follows a subcommand: flags in order and positional arguments. */
export interface ParsedFlags {
  flags: FlagUse[];
  positionals: string[];
  /** `-h` / `--help` was given. */
  help: boolean;
}

/** A docker command line split at the subcommand. */
export interface DockerCommandLine {
  /** Global flags before the subcommand, as typed. */
  globals: string[];
  /** The subcommand word (`build`, `push`, `run`, ...), if any. */
  command?: string;
  /** For `buildx build` / `builder build`: the nested word (`build`). */
  subcommand?: string;
  /** Arguments after the (sub)command words. */
  rest: string[];
  /** Global `-h` / `--help` / `-v` / `--version` (docker handles these itself). */
  globalInfo: boolean;
}

function splitFlag(token: string): { name: string; inline?: string } {
  if (token.startsWith("--")) {
    const eq = token.indexOf("=");
    return eq < 0 ? { name: token } : { name: token.slice(0, eq), inline: token.slice(eq + 1) };
  }
  // Short flags: `-t=x`, `-tx` (pflag accepts both), `-t`.
  if (token.length > 2) {
    const rest = token.slice(2);
    return { name: token.slice(0, 2), inline: rest.startsWith("=") ? rest.slice(1) : rest };
  }
  return { name: token };
}

/**
 * Reads flags and positionals with a table of value-taking flags. A short
 * flag cluster not in the table (`-qD`) is a yes/no flag.
 */
export function parseFlags(args: readonly string[], valueFlags: ReadonlySet<string>): ParsedFlags {
  const flags: FlagUse[] = [];
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const token = args[i];
    if (token === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (token === "-" || !token.startsWith("-")) {
      positionals.push(token);
      continue;
    }
    const { name, inline } = splitFlag(token);
    if (name === "-h" || name === "--help") help = true;
    if (valueFlags.has(name)) {
      if (inline !== undefined) flags.push({ name, value: inline, indexes: [i] });
      else if (i + 1 < args.length) {
        flags.push({ name, value: args[i + 1], indexes: [i, i + 1] });
        i++;
      } else flags.push({ name, indexes: [i] });
    } else if (token.startsWith("--")) {
      flags.push({ name, value: inline, indexes: [i] });
    } else {
      flags.push({ name: token, indexes: [i] });
    }
  }
  return { flags, positionals, help };
}

/** Commands whose verb is the next word (`buildx build`, `image build`). */
export const NESTING_COMMANDS: readonly string[] = ["buildx", "builder", "image"];

/**
 * The first words of every docker command line chalk may process: anything else passes
 * through (`chalkProcesses`). The bundle's sh prologue (scripts/sh_prologue.ts) reads it.
 */
export const COMMANDS_CHALK_MAY_PROCESS: readonly string[] = ["build", "push", ...NESTING_COMMANDS];

/**
 * Splits a docker command line into global flags, subcommand and the rest.
 *
 * @example
 * ```ts
 * splitDockerCommand(["-H", "unix:///x.sock", "build", "-t", "a", "."]);
 * // { globals: ["-H", "unix:///x.sock"], command: "build", rest: ["-t", "a", "."], ... }
 * ```
 */
export function splitDockerCommand(args: readonly string[]): DockerCommandLine {
  const globals: string[] = [];
  let globalInfo = false;
  let i = 0;
  for (; i < args.length; i++) {
    const token = args[i];
    if (!token.startsWith("-") || token === "-") break;
    if (token === "--") {
      i++;
      break;
    }
    const { name, inline } = splitFlag(token);
    globals.push(token);
    if (["-h", "--help", "-v", "--version"].includes(name)) globalInfo = true;
    if (GLOBAL_VALUE_FLAGS.has(name) && inline === undefined && i + 1 < args.length) {
      globals.push(args[++i]);
    }
  }
  const command = args[i];
  if (command === undefined) return { globals, rest: [], globalInfo };
  let rest = args.slice(i + 1);
  let subcommand: string | undefined;
  if (NESTING_COMMANDS.includes(command)) {
    // `buildx [--builder x] build ...`: skip buildx's own flags to find the verb.
    const nested = parseFlags(rest, new Set(["--builder"]));
    const verb = nested.positionals[0];
    if (verb !== undefined) {
      const at = rest.indexOf(verb);
      subcommand = verb;
      rest = [...rest.slice(0, at), ...rest.slice(at + 1)];
    }
  }
  return { globals, command, subcommand, rest, globalInfo };
}

/** `docker build` or `docker buildx build` (`b`): chalk marks the image it builds. */
export function isBuildCommand(line: DockerCommandLine): boolean {
  return line.command === "build" ||
    (line.command === "buildx" && (line.subcommand === "build" || line.subcommand === "b"));
}

/** A build context docker fetches (a URL, a git remote) rather than a local folder. */
export function isRemoteContext(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || context.startsWith("git@") ||
    context.startsWith("github.com/");
}

/** The words that start a build command line: `["build"]` or `["buildx", "build"]`. */
export function buildVerb(line: DockerCommandLine): string[] {
  return line.command === "build" ? ["build"] : ["buildx", "build"];
}

/**
 * True when chalk has work to do for this docker command line (a build, or a push that is
 * not a help request); every other command is passed straight through.
 */
export function chalkProcesses(line: DockerCommandLine): boolean {
  if (line.globalInfo || line.command === undefined) return false;
  if (isBuildCommand(line)) return true;
  return line.command === "push" && !line.rest.some((a) => a === "-h" || a === "--help");
}

/** The facts of a `docker build` command line that chalk uses. */
export interface BuildArgs {
  /** The context argument (path, URL or `-`). */
  context?: string;
  /** Every `-f/--file` value (docker uses the last). */
  file?: string;
  tags: string[];
  target?: string;
  /** `--build-arg K=V` (a bare `K` takes the value from the environment). */
  buildArgs: Map<string, string | undefined>;
  labels: Map<string, string>;
  platforms: string[];
  iidfile?: string;
  metadataFile?: string;
  push: boolean;
  load: boolean;
  outputs: string[];
  buildContexts: Map<string, string>;
  help: boolean;
  /** Arguments with every `-f/--file` occurrence removed, order otherwise kept. */
  withoutFile: string[];
}

function keyValue(text: string): [string, string | undefined] {
  const eq = text.indexOf("=");
  return eq < 0 ? [text, undefined] : [text.slice(0, eq), text.slice(eq + 1)];
}

/** Parses the arguments after `build` (or `buildx build`). */
export function parseBuildArgs(rest: readonly string[]): BuildArgs {
  const parsed = parseFlags(rest, BUILD_VALUE_FLAGS);
  const out: BuildArgs = {
    context: parsed.positionals[0],
    tags: [],
    buildArgs: new Map(),
    labels: new Map(),
    platforms: [],
    push: false,
    load: false,
    outputs: [],
    buildContexts: new Map(),
    help: parsed.help,
    withoutFile: [],
  };
  const dropped = new Set<number>();
  for (const f of parsed.flags) {
    const v = f.value;
    switch (f.name) {
      case "-f":
      case "--file":
        out.file = v;
        for (const i of f.indexes) dropped.add(i);
        break;
      case "-t":
      case "--tag":
        if (v !== undefined) out.tags.push(v);
        break;
      case "--target":
        out.target = v;
        break;
      case "--build-arg":
        if (v !== undefined) out.buildArgs.set(...keyValue(v));
        break;
      case "--label":
        if (v !== undefined) {
          const [k, val] = keyValue(v);
          out.labels.set(k, val ?? "");
        }
        break;
      case "--platform":
        if (v !== undefined) out.platforms.push(...v.split(",").filter((p) => p !== ""));
        break;
      case "--iidfile":
        out.iidfile = v;
        break;
      case "--metadata-file":
        out.metadataFile = v;
        break;
      case "--push":
        out.push = v === undefined || v === "true";
        break;
      case "--load":
        out.load = v === undefined || v === "true";
        break;
      case "-o":
      case "--output":
        if (v !== undefined) out.outputs.push(v);
        break;
      case "--build-context":
        if (v !== undefined) {
          const [k, val] = keyValue(v);
          if (val !== undefined) out.buildContexts.set(k, val);
        }
        break;
    }
  }
  out.withoutFile = rest.filter((_, i) => !dropped.has(i));
  return out;
}

/** The facts of a `docker push` command line. */
export interface PushArgs {
  image?: string;
  allTags: boolean;
  help: boolean;
}

/** Parses the arguments after `push`. */
export function parsePushArgs(rest: readonly string[]): PushArgs {
  const parsed = parseFlags(rest, PUSH_VALUE_FLAGS);
  return {
    image: parsed.positionals[0],
    allTags: parsed.flags.some((f) => f.name === "-a" || f.name === "--all-tags"),
    help: parsed.help,
  };
}
