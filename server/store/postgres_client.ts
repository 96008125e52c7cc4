/**
 * {@linkcode SqlClient} over PostgreSQL through the npm package `postgres` (pure JavaScript).
 * A pool of connections shared by the process; transactions retry on serialization failures
 * and deadlocks (several servers write the same rows); a connection that cannot be made or
 * is lost becomes {@linkcode StoreUnavailableError}, which the server answers with 503.
 *
 * @module
 */

// Not in the import map: every import-map package lands in the workspace dependencies of the
// lock file `deno task chalk` runs with, and chalk itself must fetch no server package.
// deno-lint-ignore no-import-prefix
import postgres from "npm:postgres@3.4.9";
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

/** Longest a statement (or a transaction) may wait for a connection or an answer, by default. */
export const STATEMENT_TIMEOUT_MS = 10_000;

/**
 * The pool, and what happens when the database goes away: while it is known to be down, work
 * fails at once (clients get their 503 now and re-send later instead of queueing behind the
 * driver's reconnects), and the pool is replaced, because the driver's connections can be left
 * broken by a server that vanished under them.
 */
class Pool {
  #pool: Sql;
  #downUntil = 0;
  #reason = "";

  constructor(readonly make: () => Sql, readonly timeoutMs: number) {
    this.#pool = make();
  }

  /** The live pool. */
  get sql(): Sql {
    return this.#pool;
  }

  /** Runs `work` on the live pool, mapping connection failures to 503s. */
  async run<T>(work: (pool: Sql) => Promise<T>): Promise<T> {
    if (Date.now() < this.#downUntil) throw new StoreUnavailableError(this.#reason);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailableError(`no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work(this.#pool), timeout]);
    } catch (e) {
      if (e instanceof StoreUnavailableError || isUnavailable(e)) {
        this.#trip(errorMessage(e).replace(/^database unavailable: /, ""));
        throw e instanceof StoreUnavailableError ? e : new StoreUnavailableError(this.#reason);
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  #trip(reason: string): void {
    this.#reason = reason;
    if (Date.now() < this.#downUntil) return;
    this.#downUntil = Date.now() + DOWN_FOR_MS;
    const old = this.#pool;
    this.#pool = this.make();
    old.end({ timeout: 0 }).catch(() => {});
  }

  close(): Promise<void> {
    return this.#pool.end({ timeout: 5 });
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

/** Statements inside one transaction (the pool's guard covers the whole transaction). */
function txClient(tx: Tx): SqlClient {
  const self: SqlClient = {
    backend: "postgres",
    all: async <T>(text: string, params: readonly SqlValue[] = []) =>
      rows<T>(await tx.unsafe(text, params as SqlValue[])),
    run: async (text, params = []) => (await tx.unsafe(text, params as SqlValue[])).count,
    script: async (text) => void await tx.unsafe(text),
    transaction: (fn) => fn(self),
    exclusive: (_name, fn) => fn(),
    close: () => Promise.resolve(),
  };
  return self;
}

function poolClient(pool: Pool): SqlClient {
  return {
    backend: "postgres",
    all: <T>(text: string, params: readonly SqlValue[] = []) =>
      pool.run(async (sql) => rows<T>(await sql.unsafe(text, params as SqlValue[]))),
    run: (text, params = []) =>
      pool.run(async (sql) => (await sql.unsafe(text, params as SqlValue[])).count),
    script: (text) => pool.run(async (sql) => void await sql.unsafe(text)),
    transaction: async <T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> => {
      for (let attempt = 1;; attempt++) {
        try {
          return await pool.run((sql) => sql.begin((tx) => fn(txClient(tx))) as Promise<T>);
        } catch (e) {
          const code = String((e as { code?: unknown })?.code ?? "");
          if (!RETRYABLE.has(code) || attempt >= 5) throw e;
          await new Promise((r) => setTimeout(r, 5 * attempt * Math.random()));
        }
      }
    },
    exclusive: async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
      const reserved = await pool.run((sql) => sql.reserve());
      try {
        const key = lockKey(name);
        const [got] = await pool.run(() => reserved`SELECT pg_try_advisory_lock(${key}) AS ok`);
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
    close: () => pool.close(),
  };
}

/**
 * A pool for the PostgreSQL database at `url` (`postgres://user@host:port/db`). Connections
 * are made on first use; {@linkcode StoreUnavailableError} reports a database that is down.
 */
export function openPostgres(
  url: string,
  options: { max?: number; timeoutMs?: number } = {},
): SqlClient {
  return poolClient(
    new Pool(() =>
      postgres(url, {
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
      }) as unknown as Sql, options.timeoutMs ?? STATEMENT_TIMEOUT_MS),
  );
}
