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
import { DEFAULT_OUTPUT_CONFIG } from "../reports/output_config.ts";
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
}

function levelFrom(opts: GlobalOpts): LogLevel {
  for (const level of ["trace", "info", "warn", "error", "none"] as const) {
    if (opts[level]) return level;
  }
  return opts.logLevel ? parseLogLevel(opts.logLevel) ?? "info" : "info";
}

/** The flags as typed (before `--`), for `_OP_CMD_FLAGS`. */
function typedFlags(args: readonly string[]): string[] {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).filter((a) => a.startsWith("-"));
}

function buildProgram(
  run: (name: string, handler: Handler, args: string[], opts: GlobalOpts) => void,
): Command {
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
      run(name, handler, paths, c.optsWithGlobals() as GlobalOpts)
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
      run("load", (ctx, a) => runLoad(ctx, a, { output: opts.output }), [source], opts);
    });
  program.command("dump [file]")
    .description("print the embedded configuration (or write it to FILE)")
    .action((file: string | undefined, _o: unknown, c: Command) =>
      run("dump", runDump, file === undefined ? [] : [file], c.optsWithGlobals() as GlobalOpts)
    );
  program.command("__check-config", { hidden: true })
    .description("exit 0 when this program's configuration loads (used by load)")
    .action((_o: unknown, c: Command) =>
      run("__check-config", () => Promise.resolve(), [], c.optsWithGlobals() as GlobalOpts)
    );
  // docker's arguments never reach commander: main splits them off (splitAtDocker).
  program.command("docker").description("run docker; builds and pushes are chalked")
    .helpOption(false).allowUnknownOption().allowExcessArguments()
    .action((_o: unknown, c: Command) =>
      run("docker", runDocker, [], c.optsWithGlobals() as GlobalOpts)
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
      run("exec", (ctx, a) => runExec(ctx, a, flags), [], c.optsWithGlobals() as GlobalOpts);
    });
  program.command(`${REPORTER_COMMAND} <job>`, { hidden: true })
    .description("report about an exec'd workload (started by exec)")
    .action((job: string, _o: unknown, c: Command) =>
      run(REPORTER_COMMAND, runExecReporter, [job], c.optsWithGlobals() as GlobalOpts)
    );
  program.command("version").description("show chalk-ts's version")
    .action((_o: unknown, c: Command) =>
      run("version", runVersion, [], c.optsWithGlobals() as GlobalOpts)
    );
  return program;
}

/** Runs chalk with `args` (argv after the program name); returns the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  // Impersonation (commands-runtime §1.4): a chalk program named `docker` runs `chalk docker`.
  const args = basename(selfInfo().path) === "docker" ? ["docker", ...argv] : argv;
  const docker = splitAtDocker(args);
  const exec = docker ? undefined : splitAtExec(args);
  let chosen: { name: string; handler: Handler; args: string[]; opts: GlobalOpts } | undefined;
  const program = buildProgram((name, handler, a, opts) => {
    chosen = { name, handler, args: a, opts };
  });
  if (args.length === 0) {
    Deno.stdout.writeSync(new TextEncoder().encode(program.helpInformation()));
    return EXIT.ok;
  }
  try {
    const parsed = docker ? [...docker.chalkArgs, "docker"] : exec ? exec.chalkArgs : [...args];
    await program.parseAsync(parsed, {
      from: "user",
    });
  } catch (e) {
    if (e instanceof CommanderError) {
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
    throw e;
  }
  if (!chosen) return EXIT.ok;
  if (docker && chosen.name === "docker") chosen.args = docker.dockerArgs;
  if (exec && chosen.name === "exec") chosen.args = exec.workload;
  const log = new Logger(levelFrom(chosen.opts));
  const self = selfInfo();
  const options: ScanOptions = {
    recursive: chosen.opts.recursive ?? true,
    virtual: chosen.opts.dryRun ?? chosen.opts.virtual ?? false,
    symlinkChalking: chosen.opts.chalkSymlinkBehavior ?? "skip",
    markTemplate: chosen.opts.markTemplate,
    reportTemplate: chosen.opts.reportTemplate,
    skipSummaryReport: chosen.opts.skipSummaryReport ?? false,
    skipCommandReport: chosen.opts.skipCommandReport ?? false,
  };
  const output = DEFAULT_OUTPUT_CONFIG;
  const hub = hubFor(output, log);
  const ctx: RunContext = {
    command: chosen.name,
    self,
    log,
    output,
    hub,
    options,
    failed: false,
    facts: {
      selfPath: self.path,
      args,
      commandArgs: chosen.args,
      flags: typedFlags(args),
      started: new Date(),
      version: CHALK_VERSION,
      commit: await buildCommit(),
    },
  };
  try {
    await chosen.handler(ctx, chosen.args);
  } catch (e) {
    for (const line of (e instanceof Error ? e.message : String(e)).split("\n")) log.error(line);
    if (log.level === "trace" && e instanceof Error && e.stack) log.trace(e.stack);
    return e instanceof LoadError || e instanceof ConfigSourceError ? EXIT.usage : EXIT.failed;
  } finally {
    await hub.close();
  }
  if (chosen.name === "docker") return dockerStatus(ctx);
  if (chosen.name === "exec") return execStatus(ctx);
  return ctx.failed ? EXIT.failed : EXIT.ok;
}
