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
  /** Checked before each beat: false ends the loop. */
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

/** Runs heartbeats until the workload ends; returns how many were sent. */
export async function runHeartbeats(options: HeartbeatOptions): Promise<number> {
  let count = 0;
  while (options.maxBeats === undefined || count < options.maxBeats) {
    await sleep(options.rateMs, options.signal);
    if (options.signal?.aborted || !options.alive()) break;
    count++;
    await options.beat(count);
  }
  return count;
}
