/**
 * Topics and subscriptions (commands-runtime §4.5, §6.1): a message
 * published on a topic goes through every subscribed, enabled sink config.
 * A sink that fails is reported and left out for the rest of the run.
 */
import type { Sink, SinkConfig, SinkLog } from "./sink.ts";
import { SinkError } from "./sink.ts";
import { applyFilters } from "./filters.ts";
import { createSink } from "./registry.ts";

/** What happened to one publish. */
export interface PublishOutcome {
  delivered: string[];
  failed: { sink: string; reason: string }[];
}

/** Routes messages from topics to sink configs. */
export class ReportHub {
  readonly #configs: Map<string, SinkConfig>;
  readonly #subscriptions = new Map<string, string[]>();
  readonly #live = new Map<string, Sink>();
  readonly #broken = new Set<string>();
  readonly #log: SinkLog;

  constructor(configs: Iterable<SinkConfig>, log: SinkLog) {
    this.#configs = new Map([...configs].map((c) => [c.name, c]));
    this.#log = log;
  }

  /** The sink config of that name, if any. */
  config(name: string): SinkConfig | undefined {
    return this.#configs.get(name);
  }

  /** Subscribes a sink config to a topic; false (with an error line) when unknown. */
  subscribe(topic: string, sinkName: string): boolean {
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

  /** Publishes `message` on `topic` (or only to `only`, when given). */
  async publish(topic: string, message: string, only?: readonly string[]): Promise<PublishOutcome> {
    const outcome: PublishOutcome = { delivered: [], failed: [] };
    for (const name of only ?? this.subscribers(topic)) {
      if (this.#broken.has(name)) continue;
      const config = this.#configs.get(name);
      if (!config) continue;
      try {
        let sink = this.#live.get(name);
        if (!sink) {
          sink = createSink(config, this.#log);
          this.#live.set(name, sink);
        }
        await sink.deliver(applyFilters(message, config.filters));
        outcome.delivered.push(name);
      } catch (e) {
        const reason = e instanceof SinkError || e instanceof Error ? e.message : String(e);
        this.#broken.add(name);
        this.#log.error(`${reason} (sink conf='${name}')`);
        outcome.failed.push({ sink: name, reason });
      }
    }
    return outcome;
  }

  /** Closes every sink that was opened. */
  async close(): Promise<void> {
    for (const sink of this.#live.values()) await sink.close?.();
    this.#live.clear();
  }
}
