/**
 * Topics and subscriptions: a message published on a topic goes through every
 * subscribed, enabled sink config.
 *
 * Failures: each failing sink is warned about once per run. A file-like sink
 * that fails is disabled for the rest of the run. A network sink is disabled at
 * once on a permanent error (4xx other than 429) and after
 * `disable_after_errors` (default 3) consecutive failures; a success resets the
 * count. Reports published with `publishReport` that a network sink could not
 * take go to the report cache (`report_cache.ts`), and what the cache owes a
 * sink is re-sent with its next report. Such a failure is one line, printed
 * when reporting ends: the reason, the sink, and where the report waits.
 * Every failed delivery is also counted (`undelivered`), for
 * `fail_on_undelivered_reports`.
 */
import type { Sink, SinkConfig, SinkLog } from "./sink.ts";
import { applyFilters } from "./filters.ts";
import { createSink } from "./registry.ts";
import { SinkDeliveryError } from "./_delivery_error.ts";
import { intParam, UNIMPLEMENTED_SINK_TYPES } from "./sink_params.ts";
import { type CacheOutcome, combineMessages, type ReportCache } from "./report_cache.ts";
import { errorMessage } from "../internal/errors.ts";
import { writeOrphaned } from "./_orphaned_output.ts";

/** What happened to one publish. */
export interface PublishOutcome {
  delivered: string[];
  failed: { sink: string; reason: string }[];
}

/** Optional parts of a hub. */
export interface ReportHubOptions {
  /** Where undeliverable reports wait for a later run; none disables caching. */
  readonly reportCache?: ReportCache;
  /**
   * `force_output_on_reporting_fails` (default true): without a report cache, a report that
   * no sink took is written to the terminal (stderr without one) rather than lost.
   */
  readonly forceOutputOnFail?: boolean;
}

/**
 * Most bytes of one combined delivery (a new report and the cached ones owed to the sink):
 * a backlog grown past what an endpoint takes in one request (the chalk server's
 * `--max-body` is 10 MiB, nginx's default 1 MiB) would otherwise be refused on every run
 * with the new report inside it, and grow. A single larger report still goes alone.
 */
export const MAX_COMBINED_BYTES = 1024 * 1024;

/**
 * Splits `messages` into runs of consecutive messages of at most `limit` UTF-8 bytes
 * together (a message over the limit alone), keeping their order.
 */
export function chunkMessages(messages: readonly string[], limit: number): string[][] {
  const encoder = new TextEncoder();
  const chunks: string[][] = [];
  let size = 0;
  for (const m of messages) {
    const bytes = encoder.encode(m).length;
    const last = chunks.at(-1);
    if (last && size + bytes <= limit) {
      last.push(m);
      size += bytes;
    } else {
      chunks.push([m]);
      size = bytes;
    }
  }
  return chunks;
}

/** One failed delivery. */
export interface Undelivered {
  readonly topic: string;
  readonly sink: string;
  readonly reason: string;
}

/** How a failure is told: now at a level, or deferred to the end of reporting. */
type FailureLevel = "warn" | "error" | "deferred";

/** Sink types whose failures are local: disabled at once, never cached. */
const LOCAL_SINKS = new Set(["file", "rotating_log"]);

/**
 * Sink types that write to this run's stdout or stderr: never cached, since a later run would
 * print this run's report with its own (`chalk extract app | head -1`, then `chalk extract x`
 * printed two reports, the first about app). The failure is one warning; chalk.log and any
 * other sink still have the report.
 */
const CONSOLE_SINKS = new Set(["stdout", "stderr"]);

/** Routes messages from topics to sink configs. */
export class ReportHub {
  readonly #configs: Map<string, SinkConfig>;
  /** Sink configs of a type chalk-ts does not implement: never subscribed, never sent to. */
  readonly #unimplemented: ReadonlySet<string>;
  readonly #subscriptions = new Map<string, string[]>();
  readonly #live = new Map<string, Sink>();
  /** Disabled sink configs and why. */
  readonly #disabled = new Map<string, string>();
  readonly #consecutive = new Map<string, number>();
  readonly #warned = new Set<string>();
  readonly #log: SinkLog;
  readonly #cache?: ReportCache;
  readonly #forceOutput: boolean;
  readonly #undelivered: Undelivered[] = [];
  /** Cached reports a sink was sent again and refused: sink → [reason, reports]. */
  readonly #backlog = new Map<string, [string, number]>();
  /** Cached failures not told yet: sink → [reason, reports]. */
  readonly #deferred = new Map<string, [string, number]>();

  constructor(configs: Iterable<SinkConfig>, log: SinkLog, options: ReportHubOptions = {}) {
    // A sink chalk-ts does not implement gets nothing: the run's configuration
    // warning has said so once, and no report waits in the cache for it.
    const all = [...configs];
    this.#configs = new Map(
      all.filter((c) => !UNIMPLEMENTED_SINK_TYPES.has(c.sink)).map((c) => [c.name, c]),
    );
    this.#unimplemented = new Set(
      all.filter((c) => UNIMPLEMENTED_SINK_TYPES.has(c.sink)).map((c) => c.name),
    );
    this.#log = log;
    this.#cache = options.reportCache;
    this.#forceOutput = options.forceOutputOnFail ?? true;
  }

  /** The sink config of that name, if any. */
  config(name: string): SinkConfig | undefined {
    return this.#configs.get(name);
  }

  /** Subscribes a sink config to a topic; false (with an error line) when unknown. */
  subscribe(topic: string, sinkName: string): boolean {
    if (this.#unimplemented.has(sinkName)) return false;
    const config = this.#configs.get(sinkName);
    if (!config) {
      this.#log.error(
        `${sinkName}: unknown sink configuration while subscribing for topic ${topic}`,
      );
      return false;
    }
    if (!config.enabled) {
      this.#log.warn(
        `${sinkName}: sink is not enabled and cannot be subscribed for topic ${topic}`,
      );
      return false;
    }
    const subs = this.#subscriptions.get(topic) ?? [];
    if (!subs.includes(sinkName)) subs.push(sinkName);
    this.#subscriptions.set(topic, subs);
    return true;
  }

  /** Removes a subscription; false when there was none. */
  unsubscribe(topic: string, sinkName: string): boolean {
    const subs = this.#subscriptions.get(topic) ?? [];
    const i = subs.indexOf(sinkName);
    if (i < 0) return false;
    subs.splice(i, 1);
    return true;
  }

  /** Sink config names subscribed to `topic`, in subscription order. */
  subscribers(topic: string): readonly string[] {
    return this.#subscriptions.get(topic) ?? [];
  }

  /** Every delivery that failed in this run (cached or not). */
  undelivered(): readonly Undelivered[] {
    return this.#undelivered;
  }

  /** The reason a sink config was disabled for the rest of the run, if it was. */
  disabledReason(name: string): string | undefined {
    return this.#disabled.get(name);
  }

  /** Publishes `message` on `topic` (or only to `only`, when given); nothing is cached. */
  async publish(topic: string, message: string, only?: readonly string[]): Promise<PublishOutcome> {
    const outcome: PublishOutcome = { delivered: [], failed: [] };
    for (const name of only ?? this.subscribers(topic)) {
      const config = this.#configs.get(name);
      if (!config) continue;
      const reason = await this.#deliver(config, message, "error");
      if (reason === undefined) outcome.delivered.push(name);
      else {
        outcome.failed.push({ sink: name, reason });
        this.#undelivered.push({ topic, sink: name, reason });
      }
    }
    return outcome;
  }

  /**
   * Publishes a report (the primary or a custom report) like `publish`, with
   * the report cache: each sink owed cached reports on `topic` gets
   * `[ <new report>, <cached>... ]` (in deliveries of at most {@link MAX_COMBINED_BYTES}),
   * and a network sink that fails has the new report cached under its name. A cache that
   * turned out unusable still takes it: it gives the report back on the terminal at the end.
   */
  async publishReport(
    topic: string,
    message: string,
    only?: readonly string[],
  ): Promise<PublishOutcome> {
    const cache = this.#cache;
    if (!cache) {
      const outcome = await this.publish(topic, message, only);
      if (outcome.delivered.length === 0 && outcome.failed.length > 0) {
        this.#orphaned(topic, message);
      }
      return outcome;
    }
    const targets = (only ?? this.subscribers(topic)).filter((n) => this.#configs.has(n));
    const cacheable = targets.filter((n) => {
      const sink = this.#configs.get(n)!.sink;
      return !LOCAL_SINKS.has(sink) && !CONSOLE_SINKS.has(sink);
    });
    const owed = await cache.claim(topic, cacheable);
    const outcome: PublishOutcome = { delivered: [], failed: [] };
    for (const name of targets) {
      const keep = cacheable.includes(name);
      const level = keep && cache.enabled
        ? "deferred"
        : CONSOLE_SINKS.has(this.#configs.get(name)!.sink)
        ? "warn"
        : "error";
      const { reason, sent, oldSent } = await this.#deliverWithOwed(
        name,
        message,
        owed.get(name) ?? [],
        level,
      );
      if (oldSent.length > 0) await cache.delivered(topic, name, oldSent);
      if (sent) {
        outcome.delivered.push(name);
        if (reason !== undefined) {
          const [, n] = this.#backlog.get(name) ?? ["", 0];
          const left = (owed.get(name)?.length ?? 0) - oldSent.length;
          this.#backlog.set(name, [reason, n + left]);
        }
        continue;
      }
      outcome.failed.push({ sink: name, reason: reason! });
      this.#undelivered.push({ topic, sink: name, reason: reason! });
      if (!keep) continue;
      await cache.add(topic, name, message);
      if (level !== "deferred") continue;
      const [, count] = this.#deferred.get(name) ?? ["", 0];
      this.#deferred.set(name, [reason!, count + 1]);
    }
    return outcome;
  }

  /**
   * Sends `message` and the `owed` cached messages to one sink, the new one first, in
   * deliveries of at most {@link MAX_COMBINED_BYTES}, until one fails: whether the new
   * message went, which owed ones went, and the failure's reason if any.
   */
  async #deliverWithOwed(
    name: string,
    message: string,
    owed: readonly string[],
    level: FailureLevel,
  ): Promise<{ reason?: string; sent: boolean; oldSent: string[] }> {
    const config = this.#configs.get(name)!;
    const chunks = chunkMessages([message, ...owed], MAX_COMBINED_BYTES);
    const oldSent: string[] = [];
    let sent = false;
    let first = true;
    for (const chunk of chunks) {
      const full = chunk.length === 1 ? chunk[0] : combineMessages(chunk);
      const reason = await this.#deliver(config, full, level);
      if (reason !== undefined) return { reason, sent, oldSent };
      oldSent.push(...(first ? chunk.slice(1) : chunk));
      sent = true;
      first = false;
    }
    return { sent, oldSent };
  }

  /** A report no sink took and no cache keeps: on the terminal, unless configured off. */
  #orphaned(topic: string, message: string): void {
    if (!this.#forceOutput) {
      this.#log.error(
        `For topic '${topic}': no sink took this report and there is no report cache; ` +
          "it is lost (force_output_on_reporting_fails is off)",
      );
      return;
    }
    this.#log.error(
      `For topic '${topic}': no sink took this report and there is no report cache; ` +
        "here it is, to save:",
    );
    writeOrphaned(message);
  }

  /**
   * Ends reporting: writes what the report cache still owes (once), then
   * tells each sink's cached failures in one line.
   */
  async finishReporting(): Promise<void> {
    const outcome: CacheOutcome = (await this.#cache?.finish()) ?? "none";
    for (const [name, [reason, count]] of this.#deferred) {
      // Once per sink and run: heartbeats must not repeat it every period.
      if (this.#warned.has(`told:${name}`)) continue;
      this.#warned.add(`told:${name}`);
      const what = count === 1 ? "report" : `${count} reports`;
      const where = outcome === "kept"
        ? `${what} kept in ${this.#cache!.path} for the next run`
        : outcome === "lost"
        ? `the report cache could not keep the ${what}`
        : `${what} not delivered`;
      this.#log.warn(`${reason} (sink conf='${name}'); ${where}`);
    }
    this.#deferred.clear();
    for (const [name, [reason, count]] of this.#backlog) {
      const what = count === 1 ? "cached report" : `${count} cached reports`;
      this.#log.warn(`${reason} (sink conf='${name}'); ${what} kept for the next run`);
    }
    this.#backlog.clear();
  }

  /** Finishes reporting and closes every sink that was opened. */
  async close(): Promise<void> {
    await this.finishReporting();
    for (const sink of this.#live.values()) await sink.close?.();
    this.#live.clear();
  }

  /** Delivers to one sink; the failure reason, or undefined on success. */
  async #deliver(
    config: SinkConfig,
    message: string,
    level: FailureLevel,
  ): Promise<string | undefined> {
    const name = config.name;
    const off = this.#disabled.get(name);
    if (off !== undefined) return `sink '${name}' is disabled: ${off}`;
    let sink = this.#live.get(name);
    try {
      if (!sink) {
        sink = createSink(config, this.#log);
        this.#live.set(name, sink);
      }
    } catch (e) {
      const reason = errorMessage(e);
      this.#disable(name, reason, `sink '${name}' disabled: ${reason}`);
      return reason;
    }
    try {
      await sink.deliver(applyFilters(message, config.filters));
      this.#consecutive.set(name, 0);
      return undefined;
    } catch (e) {
      const reason = errorMessage(e);
      this.#failed(config, reason, e instanceof SinkDeliveryError && e.permanent, level);
      return reason;
    }
  }

  #failed(config: SinkConfig, reason: string, permanent: boolean, level: FailureLevel): void {
    const name = config.name;
    if (LOCAL_SINKS.has(config.sink)) {
      this.#disable(
        name,
        reason,
        `sink '${name}' disabled after write failure (filesystem may be read-only or inaccessible): ${reason}`,
      );
      return;
    }
    // A deferred failure is told once at the end of reporting, disabled or not.
    const told = level === "deferred";
    if (permanent) {
      this.#disable(name, reason, `sink '${name}' disabled: ${reason}`, told);
      return;
    }
    const count = (this.#consecutive.get(name) ?? 0) + 1;
    this.#consecutive.set(name, count);
    const limit = intParam(config, "disable_after_errors") ?? 3;
    if (count >= limit) {
      this.#disable(
        name,
        reason,
        `sink '${name}' disabled after ${count} consecutive failures: ${reason}`,
        told,
      );
      return;
    }
    if (told || this.#warned.has(name)) return;
    this.#warned.add(name);
    this.#log[level](`${reason} (sink conf='${name}')`);
  }

  #disable(name: string, reason: string, line: string, quiet = false): void {
    this.#disabled.set(name, reason);
    this.#warned.add(name);
    if (!quiet) this.#log.warn(line);
  }
}
