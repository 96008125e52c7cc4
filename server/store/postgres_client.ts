/**
 * {@linkcode SqlClient} over PostgreSQL through the npm package `postgres` (pure JavaScript).
 * A pool of connections shared by the process; transactions retry on serialization failures
 * and deadlocks (several servers write the same rows); a connection that cannot be made or
 * is lost becomes {@linkcode StoreUnavailableError}, which the server answers with 503.
 *
 * @module
 */

import postgres from "postgres";
import { type SqlClient, type SqlValue, StoreUnavailableError } from "./sql_client.ts";
import { errorMessage } from "../../internal/errors.ts";

type Sql = postgres.Sql<Record<string, never>>;
type Tx = postgres.TransactionSql<Record<string, never>>;

/** Connection-level failures: SQLSTATE class 08, shutdown (57P0x), and socket errors. */
function isUnavailable(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? "");
  return /^08|^57P0[1-3]$|^CONNECT|^CONNECTION_|^ECONN|^EPIPE$|^ETIMEDOUT$|^EHOSTUNREACH$|^ENOTFOUND$/
    .test(code);
}

/** SQLSTATEs after which the whole transaction may simply run again. */
const RETRYABLE = new Set(["40001", "40P01"]);

/** How long the database counts as down after a connection failure, before one retry. */
const DOWN_FOR_MS = 1000;

/** Longest a statement may wait for a connection or an answer. */
const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * Fails fast while the database is known to be down, so that clients get their 503 at once
 * (and re-send later) instead of queueing behind the driver's reconnection attempts.
 */
class Breaker {
  #downUntil = 0;
  #reason = "";

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (Date.now() < this.#downUntil) throw new StoreUnavailableError(this.#reason);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`no answer within ${STATEMENT_TIMEOUT_MS} ms`)),
        STATEMENT_TIMEOUT_MS,
      );
    });
    try {
      return await Promise.race([work(), timeout]);
    } catch (e) {
      if (e instanceof StoreUnavailableError || isUnavailable(e)) {
        this.#reason = errorMessage(e).replace(/^database unavailable: /, "");
        this.#downUntil = Date.now() + DOWN_FOR_MS;
        throw e instanceof StoreUnavailableError ? e : new StoreUnavailableError(this.#reason);
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A stable 32-bit key for an advisory lock name. */
function lockKey(name: string): number {
  let h = 0;
  for (const c of new TextEncoder().encode(name)) h = (Math.imul(h, 31) + c) | 0;
  return h;
}

function rows<T>(list: postgres.RowList<postgres.Row[]>): T[] {
  return Array.from(list) as T[];
}

function client(sql: Sql | Tx, pool: Sql, breaker: Breaker): SqlClient {
  // Inside a transaction the breaker already guards the whole transaction.
  const guarded = <T>(work: () => Promise<T>): Promise<T> =>
    sql === pool ? breaker.run(work) : work();
  const self: SqlClient = {
    backend: "postgres",
    all: <T>(text: string, params: readonly SqlValue[] = []) =>
      guarded(async () => rows<T>(await sql.unsafe(text, params as SqlValue[]))),
    run: (text, params = []) =>
      guarded(async () => (await sql.unsafe(text, params as SqlValue[])).count),
    script: (text) => guarded(async () => void await sql.unsafe(text)),
    transaction: async <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> => {
      if (sql !== pool) return await fn(self);
      for (let attempt = 1;; attempt++) {
        try {
          return await breaker.run(() =>
            pool.begin((tx) => fn(client(tx, pool, breaker))) as Promise<T>
          );
        } catch (e) {
          const code = String((e as { code?: unknown })?.code ?? "");
          if (!RETRYABLE.has(code) || attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
        }
      }
    },
    exclusive: async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
      const reserved = await breaker.run(() => pool.reserve());
      try {
        const key = lockKey(name);
        const [got] = await breaker.run(() => reserved`SELECT pg_try_advisory_lock(${key}) AS ok`);
        if (!got.ok) return undefined;
        try {
          return await fn();
        } finally {
          await reserved`SELECT pg_advisory_unlock(${key})`.catch(() => {});
        }
      } finally {
        reserved.release();
      }
    },
    close: () => pool.end({ timeout: 5 }),
  };
  return self;
}

/**
 * A pool for the PostgreSQL database at `url` (`postgres://user@host:port/db`). Connections
 * are made on first use; {@linkcode StoreUnavailableError} reports a database that is down.
 */
export function openPostgres(url: string, options: { max?: number } = {}): SqlClient {
  const pool = postgres(url, {
    max: options.max ?? 8,
    connect_timeout: 5,
    idle_timeout: 60,
    onnotice: () => {},
    // COUNT(*) and the millisecond columns are int8: they fit in a JS number.
    types: {
      int8: {
        to: 20,
        from: [20],
        serialize: (v: number) => String(v),
        parse: (v: string) => Number(v),
      },
    },
  }) as unknown as Sql;
  return client(pool, pool, new Breaker());
}
