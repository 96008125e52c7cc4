/**
 * How log lines reach stderr. One line, one write, except while a walk
 * coalesces them ({@link coalesceLogLines}): a folder of 2,000 scripts logs
 * a line per file, and 2,000 writes to a pipe cost chalk and the reader at
 * the other end more than the lines are worth. Coalesced lines go out in
 * writes of whole lines of at most 4 KiB (a pipe keeps those whole), within
 * {@link MAX_DELAY_MS} of being logged, before any other output, and when
 * the walk ends or the program exits. On a terminal every line goes out at
 * once (the progress line is drawn around them).
 *
 * @module
 */
import { type Alarm, alarm } from "./alarm.ts";
import { writeLineAroundStatus } from "./status_line.ts";
import { writeStderr } from "./stderr.ts";

/** The most a coalesced line waits (ms): a slow walk still shows its lines as it goes. */
export const MAX_DELAY_MS = 50;

/** POSIX keeps a pipe write of at most PIPE_BUF (4096 on Linux) bytes whole. */
const PIPE_BUF = 4096;

/** Whole lines gathered into few writes. */
export class LineBatch {
  #queued: Uint8Array[] = [];
  #bytes = 0;
  #since = 0;
  #alarm: Alarm | undefined;

  /** @param write writes all of `bytes` (one call per batch) */
  constructor(readonly write: (bytes: Uint8Array) => void) {}

  /** Queues one whole line; earlier lines go out first when it would not fit in a batch. */
  add(line: Uint8Array): void {
    if (this.#bytes + line.length > PIPE_BUF) this.flush();
    if (this.#queued.length === 0) {
      this.#since = performance.now();
      // A quiet spell (one large file hashing) must not hold the lines back either.
      this.#alarm = alarm(MAX_DELAY_MS, () => this.flush());
    }
    this.#queued.push(line);
    this.#bytes += line.length;
    if (performance.now() - this.#since >= MAX_DELAY_MS) this.flush();
  }

  /** Writes the queued lines now (nothing when none are queued). */
  flush(): void {
    this.#alarm?.cancel();
    this.#alarm = undefined;
    if (this.#queued.length === 0) return;
    const out = new Uint8Array(this.#bytes);
    let at = 0;
    for (const line of this.#queued) {
      out.set(line, at);
      at += line.length;
    }
    this.#queued = [];
    this.#bytes = 0;
    this.write(out);
  }
}

const batch = new LineBatch(writeStderr);
let depth = 0;
let exitHooked = false;

/** Writes the lines a walk still holds; called before anything else reaches stdout or stderr. */
export function flushLogLines(): void {
  batch.flush();
}

/** Writes one whole log line (ending with a newline), or queues it while lines coalesce. */
export function writeLogLine(line: Uint8Array): void {
  if (depth > 0) return batch.add(line);
  batch.flush();
  writeLineAroundStatus(line);
}

/**
 * Runs `body` with log lines coalesced when stderr is not a terminal; every
 * queued line is written when it ends, however it ends.
 */
export async function coalesceLogLines<T>(body: () => Promise<T>): Promise<T> {
  if (Deno.stderr.isTerminal()) return await body();
  if (!exitHooked) {
    // `Deno.exit` (a signal's handler, say) dispatches `unload`: the queued lines still go out.
    addEventListener("unload", flushLogLines);
    exitHooked = true;
  }
  depth++;
  try {
    return await body();
  } finally {
    depth--;
    batch.flush();
  }
}
