/**
 * argv → command: the command tree (commander), global flags, exit codes
 * (D9: 0 success, 1 operation failed, 2 usage or configuration error).
 * Errors are caught here and printed as one line; stack traces only at
 * `--log-level trace`.
 */
import { Command, CommanderError, Option } from "commander";
import { LOG_LEVELS, Logger, type LogLevel, parseLogLevel } from "./logger.ts";
import { selfInfo } from "./self_path.ts";
import { buildCommit, CHALK_VERSION } from "./build_info.ts";
import { hubFor, type RunContext, type ScanOptions } from "./run_context.ts";
import { ConfigLoadError, type FlagValue, loadChalkConfig } from "../config/load_config.ts";
import type { ChalkConfig } from "../config/chalk_config.ts";
import { embeddedConfig, selfMark } from "./self_mark.ts";
import { runInsert } from "./cmd_insert.ts";
import { runExtract } from "./cmd_extract.ts";
import { runDelete } from "./cmd_delete.ts";
import { runVersion } from "./cmd_version.ts";
import { dockerStatus, runDocker, splitAtDocker } from "./cmd_docker.ts";
import { basename } from "node:path";
import { LoadError, runLoad } from "./cmd_load.ts";
import { runDump } from "./cmd_dump.ts";
import { ConfigSourceError } from "./config_source.ts";
import { type ExecFlags, execStatus, runExec, splitAtExec } from "./cmd_exec.ts";
import { REPORTER_COMMAND, runExecReporter } from "./exec_reporter.ts";

/** Exit codes of D9. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

type Handler = (ctx: RunContext, args: readonly string[]) => Promise<void>;

interface GlobalOpts {
  logLevel?: string;
  trace?: boolean;
  info?: boolean;
  warn?: boolean;
  error?: boolean;
  none?: boolean;
  virtual?: boolean;
  dryRun?: boolean;
  skipSummaryReport?: boolean;
  skipCommandReport?: boolean;
  chalkSymlinkBehavior?: "skip" | "clobber" | "copy";
  recursive?: boolean;
  markTemplate?: string;
  reportTemplate?: string;
  output?: string;
  configFile?: string;
  useEmbeddedConfig?: boolean;
  useExternalConfig?: boolean;
  useReportCache?: boolean;
  reportCacheFile?: string;
}

/** The log level named by flags, if any. */
function flagLevel(opts: GlobalOpts): LogLevel | undefined {
  for (const level of ["trace", "info", "warn", "error", "none"] as const) {
    if (opts[level]) return level;
  }
  return opts.logLevel ? parseLogLevel(opts.logLevel) : undefined;
}

/**
 * Flags as configuration overrides (commands-runtime §4.1: flags beat config). Only flags
 * typed on the command line appear, so a configuration's own choices stand otherwise.
 */
function flagOverrides(
  command: string,
  opts: GlobalOpts,
  given: ReadonlySet<string>,
): Record<string, FlagValue> {
  const out: Record<string, FlagValue> = {};
  const level = flagLevel(opts);
  if (level) out.log_level = level;
  if (given.has("virtual") || opts.dryRun) out.virtual_chalk = opts.dryRun ?? opts.virtual ?? false;
  if (opts.skipSummaryReport) out.skip_summary_report = true;
  if (opts.skipCommandReport) out.skip_command_report = true;
  if (opts.chalkSymlinkBehavior) out.symlink_behavior_chalking = opts.chalkSymlinkBehavior;
  if (given.has("recursive")) out.recursive = opts.recursive ?? true;
  if (opts.markTemplate) out[`outconf.${command}.mark_template`] = opts.markTemplate;
  if (opts.reportTemplate) out[`outconf.${command}.report_template`] = opts.reportTemplate;
  if (given.has("useReportCache")) out.use_report_cache = opts.useReportCache ?? true;
  if (opts.reportCacheFile) {
    out.use_report_cache = true;
    out.report_cache_location = opts.reportCacheFile;
  }
  return out;
}

/** Names of the options whose value came from the command line. */
function givenOptions(c: Command): Set<string> {
  const given = new Set<string>();
  for (let cmd: Command | null = c; cmd; cmd = cmd.parent) {
    for (const [key] of Object.entries(cmd.opts())) {
      if (cmd.getOptionValueSource(key) === "cli") given.add(key);
    }
  }
  return given;
}

/** The flags as typed (before `--`), for `_OP_CMD_FLAGS`. */
function typedFlags(args: readonly string[]): string[] {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).filter((a) => a.startsWith("-"));
}

type Runner = (
  name: string,
  handler: Handler,
  args: string[],
  opts: GlobalOpts,
  given?: Set<string>,
) => void;

function buildProgram(run: Runner): Command {
  const program = new Command("chalk")
    .description(
      "chalk-ts: marks software artifacts with build metadata and reports about them.",
    )
    .addOption(
      new Option("-l, --log-level <level>", "how much to log on stderr").choices([
        ...LOG_LEVELS,
        "verbose",
        "warning",
        "silent",
      ]),
    )
    .option("--trace", "log level trace")
    .option("--info", "log level info")
    .option("--warn", "log level warn")
    .option("--error", "log level error")
    .option("--none", "no log lines")
    .option("-v, --virtual", "write marks to ./virtual-chalk.json, not into artifacts")
    .addOption(new Option("--dry-run", "same as --virtual").hideHelp())
    .option("-V, --no-virtual", "write marks into artifacts (default)")
    .option("--skip-summary-report", "do not print the summary report on stdout")
    .option("--skip-command-report", "do not publish the command report")
    .addOption(
      new Option("--chalk-symlink-behavior <how>", "what insert/delete do with file symlinks")
        .choices(["skip", "clobber", "copy"]),
    )
    .option("-f, --config-file <path>", "load exactly this configuration file (after the others)")
    .option("--use-embedded-config", "run the configuration embedded in this program (default)")
    .option("--no-use-embedded-config", "ignore the embedded configuration (recovery)")
    .option("--use-external-config", "look for chalk.c4m on the config path (default)")
    .option("--no-use-external-config", "do not look for chalk.c4m on the config path")
    .option("--use-report-cache", "keep undelivered reports for a later run (default)")
    .option("--no-use-report-cache", "do not keep undelivered reports")
    .option("--report-cache-file <path>", "where undelivered reports are kept")
    .showHelpAfterError(false)
    .helpCommand("help [command]", "show help for a command")
    .exitOverride()
    .configureOutput({
      writeErr: (s) => Deno.stderr.writeSync(new TextEncoder().encode(s)),
      writeOut: (s) => Deno.stdout.writeSync(new TextEncoder().encode(s)),
      outputError: () => {},
    });

  const scanning = (name: string, summary: string, handler: Handler) => {
    const cmd = program.command(`${name} [paths...]`).description(summary)
      .option("-r, --recursive", "descend into folders (default)")
      .option("-R, --no-recursive", "only the named files and the files directly in named folders")
      .option("--report-template <name>", "report template for the command report");
    if (name === "insert") cmd.option("--mark-template <name>", "mark template");
    cmd.action((paths: string[], _o: unknown, c: Command) =>
      run(name, handler, paths, c.optsWithGlobals() as GlobalOpts, givenOptions(c))
    );
  };
  scanning(
    "insert",
    "add chalk marks to artifacts (default: the current folder, recursively)",
    runInsert,
  );
  scanning("extract", "report the chalk marks found in artifacts", runExtract);
  scanning("delete", "remove chalk marks from artifacts", runDelete);
  program.command("load <source>")
    .description(
      "replace the configuration embedded in this program (file, http(s) URL or 'default')",
    )
    .option(
      "-o, --output <path>",
      "write the reconfigured program there instead of replacing this one",
    )
    .action((source: string, _o: unknown, c: Command) => {
      const opts = c.optsWithGlobals() as GlobalOpts;
      run(
        "load",
        (ctx, a) => runLoad(ctx, a, { output: opts.output }),
        [source],
        opts,
        givenOptions(c),
      );
    });
  program.command("dump [file]")
    .description("print the embedded configuration (or write it to FILE)")
    .action((file: string | undefined, _o: unknown, c: Command) =>
      run(
        "dump",
        runDump,
        file === undefined ? [] : [file],
        c.optsWithGlobals() as GlobalOpts,
        givenOptions(c),
      )
    );
  program.command("__check-config", { hidden: true })
    .description("exit 0 when this program's configuration loads (used by load)")
    .action((_o: unknown, c: Command) =>
      run(
        "__check-config",
        () => Promise.resolve(),
        [],
        c.optsWithGlobals() as GlobalOpts,
        givenOptions(c),
      )
    );
  // docker's arguments never reach commander: main splits them off (splitAtDocker).
  program.command("docker").description("run docker; builds and pushes are chalked")
    .helpOption(false).allowUnknownOption().allowExcessArguments()
    .action((_o: unknown, c: Command) =>
      run("docker", runDocker, [], c.optsWithGlobals() as GlobalOpts, givenOptions(c))
    );
  // The workload's argv never reaches commander: main splits it off (splitAtExec).
  program.command("exec").description("run a program (after --) and report about it")
    .option("--exec-command-name <prog>", "the program to run (default: the first argument)")
    .option("--chalk-as-parent", "spawn the program and stay its parent")
    .option("--no-chalk-as-parent", "become the program through execve (default)")
    .option("--heartbeat", "send heartbeat reports while the program runs")
    .option("--no-heartbeat", "no heartbeat reports (default)")
    .option("--heartbeat-rate <duration>", "time between heartbeats (default 20 sec)")
    .allowExcessArguments()
    .action((o: ExecFlags, c: Command) => {
      const flags: ExecFlags = {
        execCommandName: o.execCommandName,
        chalkAsParent: c.getOptionValueSource("chalkAsParent") === "cli"
          ? o.chalkAsParent
          : undefined,
        heartbeat: c.getOptionValueSource("heartbeat") === "cli" ? o.heartbeat : undefined,
        heartbeatRate: o.heartbeatRate,
      };
      run(
        "exec",
        (ctx, a) => runExec(ctx, a, flags),
        [],
        c.optsWithGlobals() as GlobalOpts,
        givenOptions(c),
      );
    });
  program.command(`${REPORTER_COMMAND} <job>`, { hidden: true })
    .description("report about an exec'd workload (started by exec)")
    .action((job: string, _o: unknown, c: Command) =>
      run(
        REPORTER_COMMAND,
        runExecReporter,
        [job],
        c.optsWithGlobals() as GlobalOpts,
        givenOptions(c),
      )
    );
  program.command("version").description("show chalk-ts's version")
    .action((_o: unknown, c: Command) =>
      run("version", runVersion, [], c.optsWithGlobals() as GlobalOpts, givenOptions(c))
    );
  return program;
}

interface Invocation {
  name: string;
  handler: Handler;
  args: string[];
  opts: GlobalOpts;
  given: Set<string>;
}

/** Parses `args`; a CommanderError means a usage problem (or help shown). */
async function parseInvocation(args: readonly string[]): Promise<Invocation | undefined> {
  const docker = splitAtDocker(args);
  const exec = docker ? undefined : splitAtExec(args);
  let chosen: Invocation | undefined;
  const program = buildProgram((name, handler, a, opts, given) => {
    chosen = { name, handler, args: a, opts, given: given ?? new Set() };
  });
  const parsed = docker ? [...docker.chalkArgs, "docker"] : exec ? exec.chalkArgs : [...args];
  await program.parseAsync(parsed, { from: "user" });
  const found = chosen as Invocation | undefined;
  if (found && docker && found.name === "docker") found.args = docker.dockerArgs;
  if (found && exec && found.name === "exec") found.args = exec.workload;
  return found;
}

function printUsageError(e: CommanderError): number {
  if (
    e.code === "commander.helpDisplayed" || e.code === "commander.help" ||
    e.code === "commander.version"
  ) {
    return EXIT.ok;
  }
  Deno.stderr.writeSync(
    new TextEncoder().encode(`error: ${e.message.replace(/^error: /, "").split("\n")[0]}\n`),
  );
  Deno.stderr.writeSync(new TextEncoder().encode("Run 'chalk help' for usage.\n"));
  return EXIT.usage;
}

/** Loads the configuration stack for an invocation; undefined (after printing why) on error. */
async function configFor(
  inv: Invocation,
  embedded: string | undefined,
  log: Logger,
): Promise<ChalkConfig | undefined> {
  try {
    return await loadChalkConfig({
      command: inv.name,
      commandArgv: inv.args,
      embeddedConfig: embedded,
      noEmbeddedConfig: inv.opts.useEmbeddedConfig === false,
      noExternalConfig: inv.opts.useExternalConfig === false,
      configFile: inv.opts.configFile,
      overrides: flagOverrides(inv.name, inv.opts, inv.given),
      log: (level, message) => log[level](message),
    });
  } catch (e) {
    if (!(e instanceof ConfigLoadError)) throw e;
    for (const line of e.lines) log.error(line);
    log.error("Could not load configuration files; run with --no-use-embedded-config to recover.");
    return undefined;
  }
}

/** Runs chalk with `args` (argv after the program name); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const self = selfInfo();
  // Impersonation (commands-runtime §1.4): a chalk program named `docker` runs `chalk docker`.
  let args = basename(self.path) === "docker" ? ["docker", ...argv] : [...argv];
  if (args.length === 0) {
    Deno.stdout.writeSync(new TextEncoder().encode(buildProgram(() => {}).helpInformation()));
    return EXIT.ok;
  }
  const embedded = embeddedConfig(selfMark(self));
  let inv: Invocation | undefined;
  try {
    inv = await parseInvocation(args);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // Not a chalk command: the configuration's default command may take it (docker).
    if (e.code !== "commander.unknownCommand") return printUsageError(e);
    const probe: Invocation = {
      name: "help",
      handler: () => Promise.resolve(),
      args: [],
      opts: {},
      given: new Set(),
    };
    const config = await configFor(probe, embedded, new Logger("error"));
    if (config?.defaultCommand !== "docker") return printUsageError(e);
    args = ["docker", ...args];
    inv = await parseInvocation(args);
  }
  if (!inv) return EXIT.ok;

  const log = new Logger(flagLevel(inv.opts) ?? "info");
  const config = await configFor(inv, embedded, log);
  if (!config) return EXIT.usage;
  log.level = config.logLevel(inv.name);
  const options: ScanOptions = {
    recursive: config.recursive,
    virtual: config.virtualChalk,
    symlinkChalking: config.symlinkBehaviorChalking,
    skipSummaryReport: config.skipSummaryReport,
    skipCommandReport: config.skipCommandReport,
  };
  const output = config.outputConfig();
  const hub = hubFor(output, log, {
    enabled: config.useReportCache,
    path: config.reportCacheLocation,
    lockTimeoutMs: 15_000,
  });
  const ctx: RunContext = {
    command: inv.name,
    self,
    log,
    output,
    hub,
    options,
    config,
    template: (name) => config.template(name),
    ignorePatterns: config.ignorePatterns,
    failed: false,
    facts: {
      selfPath: self.path,
      args,
      commandArgs: inv.args,
      flags: typedFlags(args),
      started: new Date(),
      version: CHALK_VERSION,
      commit: await buildCommit(),
      envPolicy: config.envPolicy,
    },
  };
  try {
    await inv.handler(ctx, inv.args);
  } catch (e) {
    for (const line of (e instanceof Error ? e.message : String(e)).split("\n")) log.error(line);
    if (log.level === "trace" && e instanceof Error && e.stack) log.trace(e.stack);
    return e instanceof LoadError || e instanceof ConfigSourceError ? EXIT.usage : EXIT.failed;
  } finally {
    await hub.close();
  }
  if (inv.name === "docker") return dockerStatus(ctx);
  if (inv.name === "exec") return execStatus(ctx);
  return ctx.failed ? EXIT.failed : EXIT.ok;
}
