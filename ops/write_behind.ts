/**
 * Small replacements on a second thread (docs/files.md, "Many small files").
 * Marking a folder of scripts is mostly the kernel creating and renaming
 * files, work the main thread waits for while it could be marking the next
 * script. Once the writes prove slow and enough of the walk remains to pay
 * for a worker's start (`new Worker` blocks the main thread ~33 ms), the next ones
 * are written by a worker running the same code (`ops/small_replacement.ts`)
 * while the main thread goes on; the artifact loop keeps every line and
 * report in walk order (`ops/artifact_loop.ts`).
 *
 * @module
 */
import { alarm } from "../internal/alarm.ts";
import { FileIoError, ioReason } from "./file_io_error.ts";
import { keepOwnership, RewriteRefused } from "./rewrite_rights.ts";
import { replaceSmall, type SmallReplacement } from "./small_replacement.ts";
import { createTemp } from "./temp_file.ts";
import {
  catchTerminatingSignals,
  isAborting,
  onAbort,
  parkWhileAborting,
} from "./abort_on_signal.ts";

/**
 * Replacements done here before a worker may start: it costs ~33 ms to start, which a walk that
 * goes on as long again wins back where writes are slow.
 */
export const WORKER_AFTER = 128;

/**
 * Replacements timed here before the writes are judged slow or fast; when slow, a worker starts
 * at once if the walk has {@link WORKER_AHEAD} entries ahead. 2,000 scripts on this machine's disk:
 * 84 ms sooner done than starting at {@link WORKER_AFTER}; 250: 49 ms.
 */
export const WORKER_EARLY = 32;

/**
 * Entries the walk must have read and not visited for a worker to start early: a run with fewer
 * left (100 scripts on this disk: 25 ms lost) does not win back the worker's start.
 */
export const WORKER_AHEAD = 128;

/**
 * A worker starts only when the median replacement so far took this long (ms). Handing a file
 * over costs the main thread ~0.03-0.05 ms: on a file system that creates and renames in ~0.06
 * ms (tmpfs here) a worker made a walk slower; on this machine's disk (~0.4 ms) it won.
 */
export const SLOW_WRITE_MS = 0.15;

/**
 * Files handed to the worker in one message (and answered in one): a message each way per file
 * cost the main thread ~15 µs a file (2,000 round trips of a script's job: 32-35 ms, in batches of
 * 16: 6-11 ms).
 */
export const BATCH = 16;

/** The worker's program: the very functions the main thread runs, by their source. */
function workerSource(): string {
  return `const createTemp = ${createTemp};
const keepOwnership = ${keepOwnership};
const replaceSmall = ${replaceSmall};
self.onmessage = ({ data }) => {
  if (data === "drain") return self.postMessage("drained");
  const answers = [];
  for (const { id, job } of data) {
    try {
      answers.push({ id, refused: replaceSmall(job, createTemp, keepOwnership) });
    } catch (e) {
      answers.push({ id, error: { name: String(e?.name), message: String(e?.message ?? e) } });
    }
  }
  self.postMessage(answers);
};
`;
}

/** Rebuilds a worker's error as Deno's error class of that name, for {@link ioReason}. */
function rebuiltError(error: { name: string; message: string }): Error {
  const errors = Deno.errors as unknown as Record<string, new (m: string) => Error>;
  return Object.hasOwn(errors, error.name)
    ? new errors[error.name](error.message)
    : new Error(error.message);
}

interface Waiting {
  target: string;
  done: PromiseWithResolvers<void>;
}

/**
 * Replaces small files here, then, when they were slow to write ({@link SLOW_WRITE_MS}), on a
 * worker: past {@link WORKER_EARLY} when the walk has {@link WORKER_AHEAD} entries ahead, else
 * past {@link WORKER_AFTER}.
 */
export class WriteBehind {
  /** Replacements done on this thread. */
  #count = 0;
  #after: number;
  /** How long each replacement done here took (ms), until the writes are judged. */
  #took: number[] | undefined;
  /** Whether the writes were judged slow (undefined: not yet). */
  #slow: boolean | undefined;
  /** Start the worker past {@link WORKER_AFTER} whatever the speed of the writes. */
  readonly #always: boolean;
  /** The median replacement time (ms) from which writes count as slow. */
  readonly #slowMs: number;
  /** Entries the walk has ahead ({@link lookAhead}). */
  #ahead: () => number = () => 0;
  #worker: Worker | undefined;
  #nextId = 0;
  readonly #waiting = new Map<number, Waiting>();
  /** Jobs not yet posted to the worker ({@link flush}). */
  #batch: { id: number; job: SmallReplacement }[] = [];
  /** An alarm is armed to post the batch at the event loop's next turn. */
  #alarmed = false;
  /** Ends the worker's registration with `ops/abort_on_signal.ts`. */
  #released: (() => void) | undefined;
  /** Told when the worker has done every batch posted before a drain. */
  #drained: (() => void) | undefined;

  /**
   * @param workerAfter replacements done on this thread first (Infinity: never a worker)
   * @param always start the worker then, however fast the writes were
   * @param slowMs the median replacement time (ms) from which writes count as slow
   */
  constructor(workerAfter = WORKER_AFTER, always = false, slowMs = SLOW_WRITE_MS) {
    this.#after = workerAfter;
    this.#always = always;
    this.#slowMs = slowMs;
    this.#took = workerAfter === Infinity ? undefined : [];
  }

  /** Tells the writer how many entries its walk has read and not visited yet. */
  lookAhead(entries: () => number): void {
    this.#ahead = entries;
  }

  /**
   * The writer of a walk: `CHALK_TS_WRITE_BEHIND=off` never starts a worker, `worker` starts it
   * past {@link WORKER_AFTER} however fast the writes were (docs/files.md, "Many small files").
   */
  static fromEnvironment(): WriteBehind {
    const setting = Deno.env.get("CHALK_TS_WRITE_BEHIND");
    return new WriteBehind(setting === "off" ? Infinity : WORKER_AFTER, setting === "worker");
  }

  /**
   * Replaces `job.target`: done when this returns undefined; else the promise
   * settles when the worker has done it. Throws (or rejects with)
   * {@link FileIoError} or {@link RewriteRefused}; nothing changed then.
   */
  replace(job: SmallReplacement): Promise<void> | undefined {
    if (isAborting()) return parkWhileAborting();
    if (this.#worker === undefined && this.#mayStart()) this.#start();
    if (this.#worker === undefined) {
      // No registration: the replacement is one synchronous step, which a caught signal never
      // interrupts (the default action would, leaving its temporary file).
      catchTerminatingSignals();
      this.#count++;
      const start = performance.now();
      try {
        return settle(job.target, () => run(job));
      } finally {
        this.#took?.push(performance.now() - start);
      }
    }
    const id = this.#nextId++;
    const waiting = { target: job.target, done: Promise.withResolvers<void>() };
    this.#waiting.set(id, waiting);
    // Whoever waits for it yields to the event loop: the alarm then posts what is gathered.
    if (!this.#alarmed) {
      this.#alarmed = true;
      alarm(0, () => {
        this.#alarmed = false;
        this.flush();
      });
    }
    this.#batch.push({ id, job });
    if (this.#batch.length >= BATCH) this.flush();
    // The caller awaits it later (after marking the next files): a rejection must not count as
    // unhandled in the meantime, which ends the program.
    waiting.done.promise.catch(() => {});
    return waiting.done.promise;
  }

  #mayStart(): boolean {
    const done = this.#count;
    if (this.#after === Infinity || done < Math.min(this.#after, WORKER_EARLY)) return false;
    if (this.#always) return done >= this.#after;
    if (this.#slow === undefined) {
      const took = this.#took ?? [];
      this.#took = undefined;
      this.#slow = took.length === 0 || median(took) >= this.#slowMs;
      if (!this.#slow) this.#after = Infinity;
    }
    return this.#slow && (done >= this.#after || this.#ahead() >= WORKER_AHEAD);
  }

  /**
   * Hands the jobs gathered so far to the worker. Call it before waiting for one of them: else
   * they go when the event loop next turns (an alarm), a millisecond or so later.
   */
  flush(): void {
    if (this.#batch.length === 0 || this.#worker === undefined) return;
    this.#worker.postMessage(this.#batch);
    this.#batch = [];
  }

  /** Ends the worker; call when every replacement has settled. */
  close(): void {
    this.#released?.();
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#after = Infinity;
  }

  /**
   * On a terminating signal: files not yet handed over stay as they are, and the worker finishes
   * the batches it has (each file renamed or its temporary file removed) before chalk exits.
   * Terminating it instead could stop it between creating a temporary file and renaming it.
   */
  #drain(): Promise<void> | undefined {
    this.#batch = [];
    const worker = this.#worker;
    if (worker === undefined) return undefined;
    const drained = new Promise<void>((resolve) => this.#drained = resolve);
    worker.postMessage("drain");
    return drained;
  }

  #start(): void {
    if (navigator.hardwareConcurrency < 2) {
      this.#after = Infinity;
      return;
    }
    try {
      const url = URL.createObjectURL(new Blob([workerSource()], { type: "text/javascript" }));
      const worker = new Worker(url, { type: "module" });
      URL.revokeObjectURL(url);
      worker.onmessage = ({ data }) => {
        if (data === "drained") return this.#drained?.();
        for (const answer of data) this.#answer(answer);
      };
      worker.onerror = (e) => {
        e.preventDefault();
        this.#fail(e.message);
      };
      this.#worker = worker;
      this.#released = onAbort(() => this.#drain());
    } catch {
      this.#after = Infinity;
    }
  }

  #answer(data: { id: number; refused?: string; error?: { name: string; message: string } }) {
    const waiting = this.#waiting.get(data.id);
    if (!waiting) return;
    this.#waiting.delete(data.id);
    if (data.error) {
      waiting.done.reject(
        new FileIoError(waiting.target, `cannot write: ${ioReason(rebuiltError(data.error))}`),
      );
    } else if (data.refused !== undefined) {
      waiting.done.reject(new RewriteRefused(waiting.target, data.refused));
    } else {
      waiting.done.resolve();
    }
  }

  /** The worker died: what it had not answered failed; the rest of the run writes here. */
  #fail(message: string): void {
    this.#drained?.();
    this.#batch = [];
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#after = Infinity;
    for (const { target, done } of this.#waiting.values()) {
      done.reject(new FileIoError(target, `cannot write: the writing thread failed (${message})`));
    }
    this.#waiting.clear();
  }
}

/**
 * Runs a walk that rewrites files with the writer it should use (none where symbolic links are
 * followed: two paths of the walk could then name one file), and ends the writer after it.
 */
export async function withWriteBehind<T>(
  symlinkChalking: string,
  walk: (writer: WriteBehind | undefined) => Promise<T>,
): Promise<T> {
  const writer = symlinkChalking === "skip" ? WriteBehind.fromEnvironment() : undefined;
  try {
    return await walk(writer);
  } finally {
    writer?.close();
  }
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

function run(job: SmallReplacement): string | undefined {
  return replaceSmall(job, createTemp, keepOwnership);
}

/** Runs `step` for `target`, with the errors the worker's answers become. */
function settle(target: string, step: () => string | undefined): undefined {
  let refused: string | undefined;
  try {
    refused = step();
  } catch (e) {
    throw new FileIoError(target, `cannot write: ${ioReason(e)}`);
  }
  if (refused !== undefined) throw new RewriteRefused(target, refused);
  return undefined;
}
