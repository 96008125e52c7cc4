/**
 * {@linkcode SqlClient} over one SQLite file through `node:sqlite` (no native addons): WAL
 * mode, `synchronous = NORMAL`, a 5 s busy timeout. The connection is synchronous and shared,
 * so transactions take an in-process lock: no other request's statement can slip into one.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { SqlClient, SqlValue } from "./sql_client.ts";

/** `$1` → `?1`: SQLite numbers its parameters with `?`. */
function toSqlite(sql: string): string {
  return sql.replace(/\$(\d+)/g, "?$1");
}

class SqliteClient implements SqlClient {
  readonly backend = "sqlite" as const;
  readonly #statements = new Map<string, StatementSync>();
  #lock: Promise<void> = Promise.resolve();

  constructor(readonly db: DatabaseSync) {}

  #prepare(sql: string): StatementSync {
    let st = this.#statements.get(sql);
    if (st === undefined) {
      st = this.db.prepare(toSqlite(sql));
      this.#statements.set(sql, st);
    }
    return st;
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return Promise.resolve(this.#prepare(sql).all(...params) as T[]);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return Promise.resolve(Number(this.#prepare(sql).run(...params).changes));
  }

  script(sql: string): Promise<void> {
    this.db.exec(sql);
    return Promise.resolve();
  }

  async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const previous = this.#lock;
    const released = Promise.withResolvers<void>();
    this.#lock = released.promise;
    await previous;
    try {
      this.db.exec("BEGIN IMMEDIATE");
      try {
        // Nested transactions run inside this one.
        const tx: SqlClient = {
          backend: this.backend,
          all: (sql, params) => this.all(sql, params),
          run: (sql, params) => this.run(sql, params),
          script: (sql) => this.script(sql),
          transaction: (inner) => inner(tx),
          exclusive: (_name, inner) => inner(),
          close: () => Promise.resolve(),
        };
        const result = await fn(tx);
        this.db.exec("COMMIT");
        return result;
      } catch (e) {
        if (this.db.isTransaction) this.db.exec("ROLLBACK");
        throw e;
      }
    } finally {
      released.resolve();
    }
  }

  exclusive<T>(_name: string, fn: () => Promise<T>): Promise<T | undefined> {
    return fn();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}

/**
 * Opens (creating if needed) the SQLite file at `path` in WAL mode.
 *
 * @throws when the file cannot be opened or switched to WAL.
 */
export function openSqlite(path: string): SqlClient {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    const mode = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode: string };
    if (mode.journal_mode.toLowerCase() !== "wal" && path !== ":memory:") {
      throw new Error(`cannot switch ${path} to WAL mode (journal_mode is ${mode.journal_mode})`);
    }
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
  } catch (e) {
    db.close();
    throw e;
  }
  return new SqliteClient(db);
}
