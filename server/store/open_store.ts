/**
 * Opens the store `--db` names: a `postgres://` or `postgresql://` URL is PostgreSQL, anything
 * else a SQLite file. Either way the schema is migrated before the store is returned.
 *
 * @module
 */

import { ChalkStore } from "./chalk_store.ts";
import { migrate } from "./migrations.ts";
import { openPostgres } from "./postgres_client.ts";
import { openSqlite } from "./sqlite_client.ts";
import type { SqlClient } from "./sql_client.ts";

/** True when `db` names a PostgreSQL database rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** `db` with any password replaced by `***`, for log lines. */
export function redactDbUrl(db: string): string {
  return isPostgresUrl(db) ? db.replace(/^([a-z]+:\/\/[^:/@]+):[^@]*@/i, "$1:***@") : db;
}

/**
 * Opens and migrates the database `db`; `timeoutMs` bounds each PostgreSQL statement or
 * transaction (default 10 s).
 *
 * @throws when it cannot be opened or migrated (the caller exits 1 with the reason).
 */
export async function openStore(
  db: string,
  options: { timeoutMs?: number } = {},
): Promise<ChalkStore> {
  const sql: SqlClient = isPostgresUrl(db) ? openPostgres(db, options) : openSqlite(db);
  try {
    await migrate(sql);
  } catch (e) {
    await sql.close().catch(() => {});
    throw e;
  }
  return new ChalkStore(sql);
}
