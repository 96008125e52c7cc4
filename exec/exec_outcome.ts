/**
 * What chalk tells its reporter on the reporter's stdin before the exec:
 * `try <i>` per candidate attempted, `cancel` when all failed. End-of-file
 * comes with the exec (chalk's end of the pipe is close-on-exec).
 *
 * @module
 */
import { alarm } from "../internal/alarm.ts";

/**
 * What chalk said on the reporter's stdin before the exec: `try <i>` per
 * candidate attempted, `cancel` when all failed. End-of-file comes with the
 * exec (chalk's end of the pipe is close-on-exec).
 */
export function parseExecProtocol(text: string): { ran: boolean; candidate: number } {
  let candidate = 0;
  for (const line of text.split("\n")) {
    const m = /^try (\d+)$/.exec(line.trim());
    if (m) candidate = Number(m[1]);
  }
  return { ran: !text.split("\n").some((l) => l.trim() === "cancel"), candidate };
}

/** What chalk said before the exec. */
export type ExecOutcome = { ran: boolean; candidate: number };

let outcome: Promise<ExecOutcome> | undefined;
let settled: Promise<ExecOutcome> | undefined;

/** Reads stdin to its end (the exec, or chalk's end) and interprets it; read once per process. */
export function execOutcome(): Promise<ExecOutcome> {
  outcome ??= readOutcome();
  return outcome;
}

/**
 * The exec outcome, `initialSleepMs` after the exec: when the reporter starts its work (once
 * per process). The reporter's start calls it before it loads anything more (cli/main.ts), so
 * that loading the configuration does not compete with the workload's own start.
 */
export function workloadSettled(initialSleepMs: number): Promise<ExecOutcome> {
  settled ??= execOutcome().then(async (o) => {
    // An alarm, not setTimeout: node's timers would load (12-19 ms) while the workload starts.
    if (o.ran) await new Promise((r) => alarm(initialSleepMs, () => r(undefined)));
    return o;
  });
  return settled;
}

async function readOutcome(): Promise<ExecOutcome> {
  const buf = new Uint8Array(256);
  const decoder = new TextDecoder();
  let seen = "";
  while (true) {
    const n = await Deno.stdin.read(buf);
    if (n === null) return parseExecProtocol(seen);
    seen += decoder.decode(buf.subarray(0, n), { stream: true });
  }
}
