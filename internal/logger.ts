/**
 * Log lines on stderr, so that stdout carries only the JSON report
 * (docs/decisions.md, "Summary report on stdout"): `error: `, `warn:  `,
 * `info:  `, `trace: ` prefixes, filtered by the log level. Error lines are
 * also kept for the report's `_OP_ERRORS`.
 */
import { writeLineAroundStatus } from "./status_line.ts";

/** Log levels from quietest to noisiest. */
export const LOG_LEVELS = ["none", "error", "warn", "info", "trace"] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = typeof LOG_LEVELS[number];

const ALIASES: Record<string, LogLevel> = {
  silent: "none",
  warning: "warn",
  inform: "info",
  verbose: "trace",
};

/** Accepts chalk's level names and aliases; undefined for anything else. */
export function parseLogLevel(text: string): LogLevel | undefined {
  const t = text.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(t)) return t as LogLevel;
  return ALIASES[t];
}

const PREFIX: Record<Exclude<LogLevel, "none">, string> = {
  error: "error: ",
  warn: "warn:  ",
  info: "info:  ",
  trace: "trace: ",
};

/** ANSI colours of the prefixes when colour is on (`--color`, `color`). */
const COLOUR: Record<Exclude<LogLevel, "none">, string> = {
  error: "\x1b[1;31m",
  warn: "\x1b[33m",
  info: "\x1b[32m",
  trace: "\x1b[2m",
};
const RESET = "\x1b[0m";

const encoder = new TextEncoder();

/** Writes leveled lines to stderr. */
export class Logger {
  level: LogLevel;
  /** Colour the prefixes (the word only; the message stays plain text). */
  color = false;
  /** Every error line of the run, for `_OP_ERRORS`. */
  readonly errors: string[] = [];

  constructor(level: LogLevel = "info") {
    this.level = level;
  }

  #emit(level: Exclude<LogLevel, "none">, message: string): void {
    if (LOG_LEVELS.indexOf(level) > LOG_LEVELS.indexOf(this.level)) return;
    // A log line is one line: embedded newlines would fake extra entries.
    const oneLine = message.replaceAll("\n", "\\n");
    const prefix = this.color
      ? PREFIX[level].replace(/^(\w+:)/, `${COLOUR[level]}$1${RESET}`)
      : PREFIX[level];
    writeLineAroundStatus(encoder.encode(`${prefix}${oneLine}\n`));
  }

  error(message: string): void {
    this.errors.push(message);
    this.#emit("error", message);
  }

  /**
   * Error lines; a line indented by two spaces is shown as it is, under the
   * error line before it (a source line and its caret), and is not an error
   * of its own.
   */
  errorLines(lines: readonly string[]): void {
    for (const line of lines) {
      if (!line.startsWith("  ")) this.error(line);
      else if (this.level !== "none") Deno.stderr.writeSync(encoder.encode(`${line}\n`));
    }
  }
  warn(message: string): void {
    this.#emit("warn", message);
  }
  info(message: string): void {
    this.#emit("info", message);
  }
  trace(message: string): void {
    this.#emit("trace", message);
  }
}
