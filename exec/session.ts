/**
 * Reporting state shared by an exec report and its heartbeats: the exec id
 * and the clocks behind `_SINCE_TIMESTAMP` / `_SINCE_MONOTIME`.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";

/** Reporting state shared by the exec report and its heartbeats. */
export class ExecSession {
  readonly execId: string;
  readonly #started: number;
  readonly #monoBase: number;
  #lastMono = -1;

  constructor(execId: string, startedMs: number) {
    this.execId = execId;
    this.#started = startedMs;
    this.#monoBase = performance.now() - Math.max(0, Date.now() - startedMs);
  }

  /** Host keys of one report: `_EXEC_ID`, `_SINCE_*`, and for heartbeats `_HEARTBEAT_COUNT`. */
  hostKeys(heartbeat?: number): MarkDict {
    const keys: MarkDict = new Map();
    keys.set("_EXEC_ID", this.execId);
    let mono = Math.round(performance.now() - this.#monoBase);
    if (mono <= this.#lastMono) mono = this.#lastMono + 1;
    this.#lastMono = mono;
    keys.set("_SINCE_TIMESTAMP", BigInt(Math.max(0, Date.now() - this.#started)));
    keys.set("_SINCE_MONOTIME", BigInt(mono));
    if (heartbeat !== undefined) keys.set("_HEARTBEAT_COUNT", BigInt(heartbeat));
    return keys;
  }
}
