/**
 * The heartbeat loop (docs/exec.md, "Heartbeats"): after the exec report, sleep
 * `rate`, then send a `heartbeat` report with the next count, while the
 * workload lives. One timer at a time and nothing kept between beats, so memory
 * and CPU stay flat however long the workload runs.
 */

/** What drives the loop. */
export interface HeartbeatOptions {
  /** Time between beats, in milliseconds. */
  rateMs: number;
  /** Checked before each beat and every {@link ALIVE_CHECK_MS} between: false ends the loop. */
  alive: () => boolean;
  /** Sends beat number `count` (1, 2, 3...). */
  beat: (count: number) => Promise<void>;
  /** Ends the loop early (the workload was reaped). */
  signal?: AbortSignal;
  /** Stops after this many beats (benchmarks, tests). */
  maxBeats?: number;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * How often the workload is looked at between beats. The reporter may hold
 * the terminal's stdout (reports subscribed to it): it must end soon after
 * the workload, not up to a whole rate later.
 */
export const ALIVE_CHECK_MS = 1000;

/** Sleeps `rateMs` in slices, checking `alive()` after each; false when the workload ended. */
async function untilNextBeat(options: HeartbeatOptions): Promise<boolean> {
  let left = options.rateMs;
  do {
    const slice = Math.min(left, ALIVE_CHECK_MS);
    await sleep(slice, options.signal);
    left -= slice;
    if (options.signal?.aborted || !options.alive()) return false;
  } while (left > 0);
  return true;
}

/** Runs heartbeats until the workload ends; returns how many were sent. */
export async function runHeartbeats(options: HeartbeatOptions): Promise<number> {
  let count = 0;
  while (options.maxBeats === undefined || count < options.maxBeats) {
    if (!(await untilNextBeat(options))) break;
    count++;
    await options.beat(count);
  }
  return count;
}
