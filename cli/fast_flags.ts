/**
 * chalk's global flags read without the option parser, for the fast paths
 * (docs/architecture.md, "Start-up"). Only flags whose meaning is plain are read here; a flag
 * value the option parser would refuse, or a flag a fast path does not handle, sends the
 * command line to the full path, where it gets commander's usual message.
 *
 * @module
 */
import { GLOBAL_FLAGS, globalFlagSpan } from "../internal/global_flags.ts";
import { type LogLevel, parseLogLevel } from "../internal/logger.ts";

/** What the fast paths need of the global flags. */
export interface FastFlags {
  logLevel?: LogLevel;
  configFile?: string;
  useEmbeddedConfig?: boolean;
  useExternalConfig?: boolean;
  skipCommandReport?: boolean;
  /** Words that are no global flag, in order (the command and what follows). */
  words: string[];
}

const CHOICES = new Map<string, readonly string[]>();
for (const flag of GLOBAL_FLAGS) {
  if (!flag.choices) continue;
  for (const word of flag.flags.split(/[ ,]+/)) {
    if (word.startsWith("-")) CHOICES.set(word, flag.choices);
  }
}

const LEVEL_FLAGS: Readonly<Record<string, LogLevel>> = {
  "--trace": "trace",
  "--info": "info",
  "--warn": "warn",
  "--error": "error",
  "--none": "none",
};

/**
 * Reads `args` (global flags and other words). Undefined when a value is not one the option
 * parser accepts: the full path then says so.
 */
export function readFastFlags(args: readonly string[]): FastFlags | undefined {
  const out: FastFlags = { words: [] };
  const levels = new Set<LogLevel>();
  let named: LogLevel | undefined;
  for (let i = 0; i < args.length;) {
    const span = globalFlagSpan(args, i);
    if (span === 0) {
      out.words.push(args[i++]);
      continue;
    }
    const word = args[i];
    const eq = word.startsWith("--") ? word.indexOf("=") : -1;
    const name = eq > 0 ? word.slice(0, eq) : word;
    const value = eq > 0 ? word.slice(eq + 1) : span === 2 ? args[i + 1] : undefined;
    const choices = CHOICES.get(name);
    if (choices && (value === undefined || !choices.includes(value))) return undefined;
    if (name === "-l" || name === "--log-level") named = parseLogLevel(value!);
    else if (name in LEVEL_FLAGS) levels.add(LEVEL_FLAGS[name]);
    else if (name === "-f" || name === "--config-file") {
      if (value === undefined) return undefined;
      out.configFile = value;
    } else if (name === "--no-use-embedded-config") out.useEmbeddedConfig = false;
    else if (name === "--no-use-external-config") out.useExternalConfig = false;
    else if (name === "--skip-command-report") out.skipCommandReport = true;
    i += span;
  }
  // As `flagLevel`: a level flag beats --log-level, the most verbose first.
  const level = (["trace", "info", "warn", "error", "none"] as const).find((l) => levels.has(l));
  out.logLevel = level ?? named;
  return out;
}
