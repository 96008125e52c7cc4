/**
 * The server's SQLite schema as an ordered list of migrations. Each migration
 * runs once, inside a transaction, and is recorded in `schema_migrations`;
 * later versions append migrations and never edit applied ones.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** One schema step. */
export interface Migration {
  /** Strictly increasing, starting at 1. */
  version: number;
  /** A short description stored with the version. */
  name: string;
  /** The SQL statements of the step. */
  sql: string;
}

/** Every migration, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "reports, chalks and report_chalks",
    sql: `
      CREATE TABLE reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        identity TEXT NOT NULL UNIQUE,
        operation TEXT NOT NULL,
        action_id TEXT,
        exec_id TEXT,
        timestamp_ms INTEGER,
        datetime TEXT,
        hostname TEXT,
        received_ms INTEGER NOT NULL,
        raw TEXT NOT NULL
      );
      CREATE INDEX reports_operation ON reports(operation, id);
      CREATE INDEX reports_exec_id ON reports(exec_id);
      CREATE TABLE chalks (
        metadata_id TEXT PRIMARY KEY,
        metadata_hash TEXT,
        chalk_id TEXT NOT NULL,
        commit_id TEXT,
        branch TEXT,
        origin_uri TEXT,
        artifact_path TEXT,
        artifact_type TEXT,
        report_id INTEGER NOT NULL REFERENCES reports(id),
        raw TEXT NOT NULL
      );
      CREATE INDEX chalks_chalk_id ON chalks(chalk_id);
      CREATE INDEX chalks_report_id ON chalks(report_id);
      CREATE TABLE report_chalks (
        report_id INTEGER NOT NULL REFERENCES reports(id),
        position INTEGER NOT NULL,
        chalk_id TEXT,
        metadata_id TEXT,
        commit_id TEXT,
        branch TEXT,
        origin_uri TEXT,
        artifact_path TEXT,
        artifact_type TEXT,
        PRIMARY KEY (report_id, position)
      );
      CREATE INDEX report_chalks_chalk_id ON report_chalks(chalk_id);
      CREATE INDEX report_chalks_commit_id ON report_chalks(commit_id);
    `,
  },
];

/** Thrown when the database was written by a newer server than this one. */
export class SchemaTooNewError extends Error {
  /** Builds the error naming both versions. */
  constructor(readonly dbVersion: number, readonly knownVersion: number) {
    super(
      `database schema version ${dbVersion} is newer than this server understands (${knownVersion})`,
    );
    this.name = "SchemaTooNewError";
  }
}

/**
 * Creates `schema_migrations` if needed and applies every migration newer than the
 * recorded version. Returns the versions applied by this call.
 *
 * @throws {SchemaTooNewError} when the database is ahead of {@linkcode MIGRATIONS}.
 */
export function migrate(
  db: DatabaseSync,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as
    | { v: number | null }
    | undefined;
  const current = row?.v ?? 0;
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  if (current > known) throw new SchemaTooNewError(current, known);
  const applied: number[] = [];
  const record = db.prepare(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      db.exec("COMMIT");
    } catch (e) {
      db.exec("ROLLBACK");
      throw e;
    }
    applied.push(m.version);
  }
  return applied;
}
