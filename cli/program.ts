/**
 * The full path from argv to a command (docs/architecture.md, "Start-up"): the command tree
 * (commander), global flags, exit codes
 * (docs/decisions.md, "Exit codes": 0 success, 1 operation failed, 2 usage
 * or configuration error). Each command lives in its own `cmd_*.ts`, parses
 * its arguments, calls one operation and returns the exit status; an error
 * that escapes carries its own code and is printed as one line (stack
 * traces only at `--log-level trace`).
 *
 * @module
 */
import { Command, CommanderError, Option } from "commander";
import { errorMessage, EXIT, exitCodeOf } from "../internal/errors.ts";
import { writeStdoutSync } from "../internal/stdout.ts";
import { writeStderr } from "../internal/stderr.ts";
import { emptyPathArgument, nonEmptyPath } from "./path_option.ts";
import {
  flagLevel,
  GLOBAL_FLAGS,
  globalFlagSpan,
  type GlobalOpts,
} from "../internal/global_flags.ts";
import { INIT_REPORT_COMMAND, WARM_UP_COMMAND } from "../internal/container_contract.ts";
import { REPORTER_COMMAND } from "../exec/job.ts";
import { Logger, type LogLevel } from "../internal/logger.ts";
import { usingTty } from "../internal/terminal.ts";
import type { RunRequest } from "../ops/open_run.ts";
import type { RunContext } from "../ops/run_context.ts";
import { deliveryStatus } from "../ops/delivery_status.ts";
import { summaryLine } from "../ops/scan_progress.ts";
import { retiredFilesGone } from "../ops/retired_files.ts";
import { suggestSimilar } from "../internal/did_you_mean.ts";
import { examplesText } from "../internal/help_examples.ts";
import type { SelfInfo } from "../ops/self_path.ts";
import { defineCheckConfig } from "./cmd_check_config.ts";
import { defineReportFiles } from "./cmd_report_files.ts";
import { defineCompletions } from "./cmd_completions.ts";
import { defineDelete } from "./cmd_delete.ts";
import { defineDocker, splitAtDocker } from "./cmd_docker.ts";
import { defineDump } from "./cmd_dump.ts";
import { defineEnv } from "./cmd_env.ts";
import { defineExec } from "./cmd_exec.ts";
import { splitExecArgv } from "../exec/exec_argv.ts";
import { defineExecReport } from "./cmd_exec_report.ts";
import { defineExtract } from "./cmd_extract.ts";
import { defineInitReport } from "./cmd_init_report.ts";
import { defineInsert } from "./cmd_insert.ts";
import { defineLoad } from "./cmd_load.ts";
import { defineSetup } from "./cmd_setup.ts";
import { defineVerify } from "./cmd_verify.ts";
import { defineVersion } from "./cmd_version.ts";
import { defineWarmUp } from "./cmd_warm_up.ts";
import { defaultCommand } from "./default_command.ts";
import { readFastFlags } from "./fast_flags.ts";

/** What a command does once its run is open: returns the exit status. */
export type Handler = (ctx: RunContext) => Promise<number>;

/** Records the command commander chose, with its handler and own arguments. */
export type Runner = (c: Command, handler: Handler, commandArgs?: readonly string[]) => void;

/** Adds one command to the tree. */
export type Definer = (program: Command, run: Runner) => void;

const COMMANDS: readonly Definer[] = [
  defineInsert,
  defineExtract,
  defineDelete,
  defineEnv,
  defineLoad,
  defineSetup,
  defineVerify,
  defineDump,
  defineCheckConfig,
  defineReportFiles,
  defineWarmUp,
  defineDocker,
  defineExec,
  defineExecReport,
  defineInitReport,
  defineVersion,
  defineCompletions,
];

/**
 * The command each word names (`completions` is not here: its script lists the whole tree).
 * A run whose command is one of these defines only that command: the whole tree with its options
 * and help texts took ~5 ms of every start (`tests/cli/program_test.ts` checks this table
 * against the tree).
 */
export const COMMAND_WORDS: ReadonlyMap<string, Definer> = new Map([
  ["insert", defineInsert],
  ["extract", defineExtract],
  ["delete", defineDelete],
  ["env", defineEnv],
  ["environment", defineEnv],
  ["load", defineLoad],
  ["setup", defineSetup],
  ["verify", defineVerify],
  ["dump", defineDump],
  ["__check-config", defineCheckConfig],
  ["__report-files", defineReportFiles],
  [WARM_UP_COMMAND, defineWarmUp],
  ["docker", defineDocker],
  ["exec", defineExec],
  [REPORTER_COMMAND, defineExecReport],
  [INIT_REPORT_COMMAND, defineInitReport],
  ["version", defineVersion],
]);

/** The first word of `args` that is not a global flag (or its value). */
function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length;) {
    const span = globalFlagSpan(args, i);
    if (span === 0) return args[i];
    i += span;
  }
  return undefined;
}

const encoder = new TextEncoder();

/** The command tree: all of it, or only the command `only` defines. */
export function buildProgram(run: Runner, only?: Definer): Command {
  const program = new Command("chalk")
    .description("chalk-ts: marks software artifacts with build metadata and reports about them.");
  for (const flag of GLOBAL_FLAGS) {
    const option = new Option(flag.flags, flag.help);
    if (flag.choices) option.choices(flag.choices);
    if (flag.path) option.argParser(nonEmptyPath);
    if (flag.hidden) option.hideHelp();
    program.addOption(option);
  }
  program.showHelpAfterError(false)
    .helpCommand("help [command]", HELP_DESCRIPTION)
    .exitOverride()
    .configureOutput({
      writeErr: (s) => writeStderr(encoder.encode(s)),
      writeOut: (s) => writeStdoutSync(s),
      outputError: () => {},
    });
  for (const define of only ? [only] : COMMANDS) define(program, run);
  return program;
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

interface Invocation {
  command: string;
  handler: Handler;
  commandArgs: readonly string[];
  opts: GlobalOpts;
  given: Set<string>;
}

/** Parses `args`; a CommanderError means a usage problem (or help shown). */
async function parseInvocation(args: readonly string[]): Promise<Invocation | undefined> {
  const docker = splitAtDocker(args);
  const exec = docker ? undefined : splitExecArgv(args);
  let chosen: Invocation | undefined;
  const parsed = docker ? [...docker.chalkArgs, "docker"] : exec ? exec.chalkArgs : [...args];
  const word = commandWord(parsed);
  const program = buildProgram((c, handler, commandArgs = []) => {
    const empty = emptyPathArgument(c.name(), commandArgs);
    if (empty) throw empty;
    chosen = {
      command: c.name(),
      handler,
      commandArgs,
      opts: c.optsWithGlobals() as GlobalOpts,
      given: givenOptions(c),
    };
  }, word === undefined ? undefined : COMMAND_WORDS.get(word));
  await program.parseAsync(parsed, { from: "user" });
  const found = chosen as Invocation | undefined;
  if (found && docker && found.command === "docker") found.commandArgs = docker.dockerArgs;
  if (found && exec && found.command === "exec") found.commandArgs = exec.workload;
  return found;
}

function printUsageError(e: CommanderError): number {
  if (
    e.code === "commander.helpDisplayed" || e.code === "commander.help" ||
    e.code === "commander.version"
  ) {
    return EXIT.ok;
  }
  writeStderr(encoder.encode(usageLines(e.message)));
  return EXIT.usage;
}

/**
 * A usage error as chalk prints it: one line with commander's suggestion
 * folded in (`unknown command 'insret' (did you mean insert?)`), then where
 * to look.
 */
function usageLines(message: string): string {
  const [first, ...rest] = message.replace(/^error: /, "").split("\n");
  const hint = rest.join(" ").match(/\(Did you mean (.*)\?\)/);
  const line = hint ? `${first} (did you mean ${hint[1]}?)` : first;
  return `error: ${line}\nRun 'chalk help' for usage.\n`;
}

/** `chalk help help`, `chalk help --help`: commander would print the general help. */
const HELP_ON_HELP: ReadonlySet<string> = new Set(["help", "--help", "-h"]);

const HELP_DESCRIPTION = "show help for a command";

/** The help command's own help, laid out as every other command's. */
function helpOnHelp(): string {
  const examples = examplesText([
    ["chalk help", "the commands and the global options"],
    ["chalk help insert", "usage, options and examples of one command"],
  ]);
  return `Usage: chalk help [command]\n\n${HELP_DESCRIPTION}\n${examples}\n`;
}

/**
 * The level while the configuration loads, before it can choose one: exec's own default (none
 * on a terminal, else error; its lines would land in the workload's stderr), info for the other
 * commands, which say which configuration file they load (docs/configuration.md).
 */
function loadingLogLevel(command: string): LogLevel {
  if (command === "exec") return usingTty() ? "none" : "error";
  return "info";
}

/**
 * `chalk help WORD` for a WORD that is no command: a usage error with a
 * suggestion (commander would print the general help and exit 0); `chalk help help` and
 * `chalk help --help`: the help command's own help.
 */
function unknownHelpTopic(args: readonly string[]): number | undefined {
  const at = args.findIndex((a) => !a.startsWith("-"));
  if (at < 0 || args[at] !== "help" || args[at + 1] === undefined) return undefined;
  const topic = args[at + 1];
  if (HELP_ON_HELP.has(topic)) {
    writeStdoutSync(helpOnHelp());
    return EXIT.ok;
  }
  const names = buildProgram(() => {}).commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(topic)) return undefined;
  const near = suggestSimilar(topic, names);
  const hint = near.length > 0 ? `\n(Did you mean ${near.join(", ")}?)` : "";
  writeStderr(encoder.encode(usageLines(`unknown command '${topic}'${hint}`)));
  return EXIT.usage;
}

/**
 * Parses argv; a word that is not a chalk command goes to docker when the
 * configuration's default command is docker (an impersonating chalk).
 */
async function invocationOf(
  args: readonly string[],
  request: Omit<RunRequest, "command" | "commandArgs" | "opts" | "given" | "args">,
): Promise<{ inv?: Invocation; args: readonly string[]; status?: number }> {
  try {
    return { inv: await parseInvocation(args), args };
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code !== "commander.unknownCommand") return { args, status: printUsageError(e) };
    const probe: RunRequest = {
      ...request,
      command: "help",
      args,
      commandArgs: [],
      opts: {},
      given: new Set(),
    };
    const { loadRunConfig } = await import("../ops/open_run.ts");
    const config = await loadRunConfig(probe, new Logger("error"));
    if (config?.defaultCommand !== "docker") return { args, status: printUsageError(e) };
    const asDocker = ["docker", ...args];
    return { inv: await parseInvocation(asDocker), args: asDocker };
  }
}

/** Runs the chosen command in its open run; errors become one line and their exit code. */
async function runCommand(ctx: RunContext, handler: Handler): Promise<number> {
  let status: number;
  try {
    status = await handler(ctx);
  } catch (e) {
    ctx.log.errorLines(errorMessage(e).split("\n"));
    if (e instanceof Error && e.stack) {
      if (ctx.config.debug) writeStderr(encoder.encode(`${e.stack}\n`));
      else if (ctx.log.level === "trace") ctx.log.trace(e.stack);
    }
    status = exitCodeOf(e);
  } finally {
    await ctx.hub.close();
    await retiredFilesGone();
  }
  if (ctx.scanCounts) {
    const elapsed = Date.now() - ctx.facts.started.getTime();
    ctx.log.info(summaryLine(ctx.command, ctx.scanCounts, elapsed));
  }
  return deliveryStatus(ctx, status);
}

/**
 * Runs a command line (after impersonation and `--version` were resolved) through the
 * command tree, the configuration and the command's operation; returns the exit code.
 */
export async function runProgram(given: readonly string[], self: SelfInfo): Promise<number> {
  let typed = given;
  const flags = readFastFlags(typed);
  if (flags?.words.length === 0) {
    const command = await defaultCommand(self, typed, flags);
    if (command === undefined) return EXIT.usage;
    if (command === "help") {
      writeStdoutSync(buildProgram(() => {}).helpInformation());
      return EXIT.ok;
    }
    typed = [...typed, command];
  }
  const badTopic = unknownHelpTopic(typed);
  if (badTopic !== undefined) return badTopic;
  // Loaded only for a command that runs: help and usage errors need no configuration.
  const { embeddedConfig, selfMark } = await import("../ops/self_mark.ts");
  const { openRun } = await import("../ops/open_run.ts");
  const embedded = embeddedConfig(selfMark(self));
  const { inv, args, status } = await invocationOf(typed, { self, embedded });
  if (!inv) return status ?? EXIT.ok;
  const log = new Logger(flagLevel(inv.opts) ?? loadingLogLevel(inv.command));
  const ctx = await openRun({ ...inv, args, self, embedded }, log);
  if (!ctx) return EXIT.usage;
  return await runCommand(ctx, inv.handler);
}
