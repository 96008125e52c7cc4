/**
 * chalk's global flags, listed once: the command tree is built from this
 * list, and so is the argv splitter that finds the command word (docker's
 * and exec's arguments never reach the option parser). A flag that takes a
 * value may be written `--flag value` or `--flag=value`.
 *
 * @module
 */

import { LOG_LEVELS, type LogLevel, parseLogLevel } from "./logger.ts";

/** One global flag: commander-style spelling, help text, allowed values. */
export interface GlobalFlag {
  /** `-s, --long <value>` or `--long` (commander syntax). */
  readonly flags: string;
  readonly help: string;
  readonly choices?: readonly string[];
  /** Accepted but not shown in help. */
  readonly hidden?: boolean;
  /** Its value is a path: an empty one is a usage error (cli/path_option.ts). */
  readonly path?: boolean;
}

/** Every global flag, in the order `chalk help` lists them. */
export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  {
    flags: "-l, --log-level <level>",
    help: "how much to log on stderr",
    choices: [...LOG_LEVELS, "verbose", "warning", "silent"],
  },
  { flags: "--trace", help: "log level trace" },
  { flags: "--info", help: "log level info" },
  { flags: "--warn", help: "log level warn" },
  { flags: "--error", help: "log level error" },
  { flags: "--none", help: "no log lines" },
  { flags: "-v, --virtual", help: "write marks to virtual-chalk.json, not into artifacts" },
  { flags: "--dry-run", help: "same as --virtual", hidden: true },
  { flags: "--no-virtual", help: "write marks into artifacts (default)" },
  { flags: "-V, --version", help: "print chalk's version (as `chalk version`)" },
  {
    flags: "-c, --color",
    help: "colour the log prefixes (default: when stderr is a terminal and NO_COLOR is unset)",
  },
  { flags: "-C, --no-color", help: "never colour" },
  { flags: "--debug", help: "print stack traces with errors" },
  { flags: "--no-debug", help: "no stack traces (default)", hidden: true },
  { flags: "--skip-summary-report", help: "do not print the summary report on stdout" },
  { flags: "--skip-command-report", help: "do not publish the command report" },
  {
    flags: "--chalk-symlink-behavior <how>",
    help: "what insert/delete do with file symlinks",
    choices: ["skip", "clobber", "copy"],
  },
  {
    flags: "-f, --config-file <path>",
    help: "load exactly this configuration file (after the others)",
    path: true,
  },
  {
    flags: "--use-embedded-config",
    help: "run the configuration embedded in this program (default)",
  },
  { flags: "--no-use-embedded-config", help: "ignore the embedded configuration (recovery)" },
  { flags: "--use-external-config", help: "look for chalk.c4m on the config path (default)" },
  {
    flags: "--no-use-external-config",
    help: "do not look for chalk.c4m on the config path",
  },
  {
    flags: "--trust-working-folder-config",
    help: "load a chalk.c4m found in the working folder even when CI is detected",
  },
  { flags: "--use-report-cache", help: "keep undelivered reports for a later run (default)" },
  { flags: "--no-use-report-cache", help: "do not keep undelivered reports" },
  { flags: "--report-cache-file <path>", help: "where undelivered reports are kept", path: true },
];

/** The option values of the global flags, as the command tree parses them (camelCase). */
export interface GlobalOpts {
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
  trustWorkingFolderConfig?: boolean;
  useReportCache?: boolean;
  reportCacheFile?: string;
  version?: boolean;
  color?: boolean;
  debug?: boolean;
}

/** The words of `flags` (`-l`, `--log-level`) that take a separate value. */
function valueWords(list: readonly GlobalFlag[]): Set<string> {
  const out = new Set<string>();
  for (const flag of list) {
    if (!flag.flags.includes("<")) continue;
    for (const word of flag.flags.split(/[ ,]+/)) if (word.startsWith("-")) out.add(word);
  }
  return out;
}

const VALUE_WORDS = valueWords(GLOBAL_FLAGS);

/** Every word that names a global flag (`-l`, `--log-level`, `--trace`, ...). */
const FLAG_WORDS: ReadonlySet<string> = new Set(
  GLOBAL_FLAGS.flatMap((f) => f.flags.split(/[ ,]+/).filter((w) => w.startsWith("-"))),
);

/** True when `word` is a global flag that takes the next word as its value. */
export function takesValue(word: string): boolean {
  return VALUE_WORDS.has(word);
}

/**
 * How many words of `args` from `i` one global flag takes: 2 for
 * `--log-level none`, 1 for `--trace` or `--log-level=none`, 0 when
 * `args[i]` is not a global flag.
 */
export function globalFlagSpan(args: readonly string[], i: number): number {
  const word = args[i];
  const eq = word.indexOf("=");
  if (word.startsWith("--") && eq > 0) return VALUE_WORDS.has(word.slice(0, eq)) ? 1 : 0;
  if (VALUE_WORDS.has(word)) return i + 1 < args.length ? 2 : 1;
  return FLAG_WORDS.has(word) ? 1 : 0;
}

/**
 * Splits argv at the command word `command`: the global flags typed before
 * it (with their values) and everything after it, untouched. Undefined when
 * the first word that is not a global flag is not `command`.
 */
export function splitAtCommand(
  args: readonly string[],
  command: string,
): { chalkArgs: string[]; rest: string[] } | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === command) return { chalkArgs: args.slice(0, i), rest: args.slice(i + 1) };
    if (!a.startsWith("-") || a === "--") return undefined;
    if (takesValue(a)) i++;
  }
  return undefined;
}

/** The log level named by flags, if any. */
export function flagLevel(opts: GlobalOpts): LogLevel | undefined {
  for (const level of ["trace", "info", "warn", "error", "none"] as const) {
    if (opts[level]) return level;
  }
  return opts.logLevel ? parseLogLevel(opts.logLevel) : undefined;
}

/**
 * Flags as configuration overrides (flags beat the configuration). Only
 * flags typed on the command line (`given`) appear, so a configuration's
 * own choices stand otherwise.
 */
export function flagOverrides(
  command: string,
  opts: GlobalOpts,
  given: ReadonlySet<string>,
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const level = flagLevel(opts);
  if (level) out.log_level = level;
  if (given.has("virtual") || opts.dryRun) out.virtual_chalk = opts.dryRun ?? opts.virtual ?? false;
  if (opts.skipSummaryReport) out.skip_summary_report = true;
  if (opts.skipCommandReport) out.skip_command_report = true;
  if (opts.chalkSymlinkBehavior) out.symlink_behavior_chalking = opts.chalkSymlinkBehavior;
  if (given.has("recursive")) out.recursive = opts.recursive ?? true;
  if (opts.markTemplate) out[`outconf.${command}.mark_template`] = opts.markTemplate;
  if (opts.reportTemplate) out[`outconf.${command}.report_template`] = opts.reportTemplate;
  if (opts.trustWorkingFolderConfig) out.trust_working_folder_config = true;
  if (given.has("useReportCache")) out.use_report_cache = opts.useReportCache ?? true;
  if (given.has("color")) out.color = opts.color ?? true;
  if (given.has("debug")) out.chalk_debug = opts.debug ?? true;
  if (opts.reportCacheFile) {
    out.use_report_cache = true;
    out.report_cache_location = opts.reportCacheFile;
  }
  return out;
}

/** The flags as typed (before `--`), for `_OP_CMD_FLAGS`. */
export function typedFlags(args: readonly string[]): string[] {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).filter((a) => a.startsWith("-"));
}
