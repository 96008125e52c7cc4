/**
 * Log lines on stderr, so that stdout carries only the JSON report
 * (docs/decisions.md, "Summary report on stdout"): `error: `, `warn:  `,
 * `info:  `, `trace: ` prefixes, filtered by the log level. Error lines are
 * also kept for the report's `_OP_ERRORS`.
 */
import { writeLogLine } from "./log_lines.ts";

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

/** The lines of one artifact whose outcome comes later (see {@link Logger.hold}). */
export interface HeldLog {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  /** Its lines are due: they go out as soon as every earlier held artifact's are. */
  release(): void;
}

/** A held artifact's own lines, then the lines logged after it was held. */
interface Segment {
  own: (() => void)[];
  after: (() => void)[];
  open: boolean;
}

/** Writes leveled lines to stderr. */
export class Logger {
  level: LogLevel;
  /** Colour the prefixes (the word only; the message stays plain text). */
  color = false;
  /** Every error line of the run, for `_OP_ERRORS`. */
  readonly errors: string[] = [];
  readonly #held: Segment[] = [];

  constructor(level: LogLevel = "info") {
    this.level = level;
  }

  /** What logging a line does, to run now or when the held lines before it are out. */
  #action(level: Exclude<LogLevel, "none">, message: string): () => void {
    return () => {
      if (level === "error") this.errors.push(message);
      if (LOG_LEVELS.indexOf(level) > LOG_LEVELS.indexOf(this.level)) return;
      // A log line is one line: embedded newlines would fake extra entries.
      const oneLine = message.replaceAll("\n", "\\n");
      const prefix = this.color
        ? PREFIX[level].replace(/^(\w+:)/, `${COLOUR[level]}$1${RESET}`)
        : PREFIX[level];
      writeLogLine(encoder.encode(`${prefix}${oneLine}\n`));
    };
  }

  #emit(level: Exclude<LogLevel, "none">, message: string): void {
    this.#run(this.#action(level, message));
  }

  #run(action: () => void): void {
    const last = this.#held.at(-1);
    if (last) last.after.push(action);
    else action();
  }

  /**
   * Holds the place of an artifact whose outcome is still being written on another thread
   * (`ops/write_behind.ts`): its lines, logged through the returned log, come out here, before
   * whatever is logged from now on, once it is released.
   */
  hold(): HeldLog {
    const segment: Segment = { own: [], after: [], open: true };
    this.#held.push(segment);
    const add = (level: Exclude<LogLevel, "none">) => (message: string) =>
      segment.own.push(this.#action(level, message));
    return {
      error: add("error"),
      warn: add("warn"),
      info: add("info"),
      release: () => {
        segment.open = false;
        while (this.#held.length > 0 && !this.#held[0].open) {
          const done = this.#held.shift()!;
          for (const action of done.own) action();
          for (const action of done.after) action();
        }
      },
    };
  }

  error(message: string): void {
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
      else {
        this.#run(() => {
          if (this.level !== "none") writeLogLine(encoder.encode(`${line}\n`));
        });
      }
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
