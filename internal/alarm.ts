/**
 * A timer that costs nothing to load. In Deno 2.9 the global `setTimeout` is
 * node's (it returns a `Timeout` object) and its first call loads node's
 * timers: 12-19 ms here, once per process, on the critical path of whatever
 * arms the first timer (the image inspect that ends every `chalk docker
 * build`, the log lines of a scan). `AbortSignal.timeout` runs on the web
 * timers Deno has loaded already (~0.6 ms the first time).
 *
 * Its clock cannot be cleared: {@link Alarm.cancel} disarms the callback, and
 * the clock still keeps an otherwise idle event loop alive until it rings.
 * That suits chalk's commands, which end with `Deno.exit`; a delay to
 * `await` (a retry's pause) keeps using `setTimeout`.
 *
 * @module
 */

/** An armed alarm. */
export interface Alarm {
  /** The callback will not run (nothing happens when it ran already). */
  cancel(): void;
}

/** Runs `ring` once, `ms` from now, unless cancelled first. */
export function alarm(ms: number, ring: () => void): Alarm {
  let armed = true;
  AbortSignal.timeout(ms).addEventListener("abort", () => {
    if (!armed) return;
    armed = false;
    ring();
  }, { once: true });
  return {
    cancel: () => {
      armed = false;
    },
  };
}
