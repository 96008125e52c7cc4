/**
 * The topic → sink-config subscriptions a configuration makes with `subscribe()` and
 * `unsubscribe()`. The builtins write here; the caller hands the result to the ReportHub.
 *
 * @module
 */

/** One subscription: a topic and the sink config that receives it. */
export type Subscription = readonly [topic: string, sinkConfig: string];

/**
 * An ordered, duplicate-free list of subscriptions.
 *
 * @example
 * ```ts
 * const table = new SubscriptionTable();
 * table.subscribe("report", "default_out");
 * table.unsubscribe("report", "default_out"); // true
 * ```
 */
export class SubscriptionTable {
  #items: Subscription[];

  /** Create a table holding `initial` (in order). */
  constructor(initial: readonly Subscription[] = []) {
    this.#items = [];
    for (const [t, s] of initial) this.subscribe(t, s);
  }

  /** Add `sinkConfig` to `topic`; true (also when it was already subscribed). */
  subscribe(topic: string, sinkConfig: string): boolean {
    if (!this.has(topic, sinkConfig)) this.#items.push([topic, sinkConfig]);
    return true;
  }

  /** Remove `sinkConfig` from `topic`; false when it was not subscribed. */
  unsubscribe(topic: string, sinkConfig: string): boolean {
    const before = this.#items.length;
    this.#items = this.#items.filter(([t, s]) => !(t === topic && s === sinkConfig));
    return this.#items.length < before;
  }

  /** Is `sinkConfig` subscribed to `topic`? */
  has(topic: string, sinkConfig: string): boolean {
    return this.#items.some(([t, s]) => t === topic && s === sinkConfig);
  }

  /** The subscriptions, in the order they were made. */
  list(): Subscription[] {
    return [...this.#items];
  }
}
