/**
 * The server's SQLite store (through `node:sqlite`, no native addons): opening
 * in WAL mode, migrating, writing reports idempotently and reading the JSON API's
 * lists. Dashboard queries live in `dashboard/queries.ts`.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { migrate } from "./migrations.ts";
import type { ReportRecord } from "./report_body.ts";

/** What one `POST /report` stored. */
export interface IngestSummary {
  /** Reports newly stored. */
  stored: number;
  /** Reports already present (same canonical text), not stored again. */
  duplicates: number;
  /** Objects without a string `_OPERATION`, ignored. */
  skipped: number;
  /** Chalk rows (`GET /chalks`) newly stored. */
  chalks_stored: number;
  /** Chalk rows whose METADATA_ID was already present. */
  chalks_duplicates: number;
  /** Chalks of insert/build reports without CHALK_ID or METADATA_ID. */
  chalks_skipped: number;
}

/** Paging for list endpoints. */
export interface ListOptions {
  /** Maximum rows (default: all). */
  limit?: number;
  /** Rows to skip. */
  offset?: number;
}

/** Row counts shown by `/health` and the dashboard. */
export interface StoreCounts {
  /** Rows in `reports`. */
  reports: number;
  /** Rows in `chalks`. */
  chalks: number;
  /** Exec and heartbeat reports. */
  execs: number;
}

/** Operations listed by `GET /execs`. */
export const EXEC_OPERATIONS: readonly string[] = ["exec", "heartbeat"];

/** The store behind the server. Synchronous; one instance per process. */
export class ChalkStore {
  readonly #insertReport: StatementSync;
  readonly #insertChalk: StatementSync;
  readonly #insertMention: StatementSync;

  /** Wraps an open, migrated database. Prefer {@linkcode openStore}. */
  constructor(readonly db: DatabaseSync) {
    this.#insertReport = db.prepare(
      `INSERT INTO reports
         (identity, operation, action_id, exec_id, timestamp_ms, datetime, hostname,
          received_ms, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(identity) DO NOTHING
       RETURNING id`,
    );
    this.#insertChalk = db.prepare(
      `INSERT INTO chalks
         (metadata_id, metadata_hash, chalk_id, commit_id, branch, origin_uri,
          artifact_path, artifact_type, report_id, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(metadata_id) DO NOTHING`,
    );
    this.#insertMention = db.prepare(
      `INSERT INTO report_chalks
         (report_id, position, chalk_id, metadata_id, commit_id, branch, origin_uri,
          artifact_path, artifact_type)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /**
   * Stores the reports of one request in one transaction. A report already stored
   * (same identity) and a chalk whose METADATA_ID is known are counted, not stored;
   * the rest of the batch is stored regardless.
   */
  insertReports(reports: readonly ReportRecord[], skipped = 0): IngestSummary {
    const summary: IngestSummary = {
      stored: 0,
      duplicates: 0,
      skipped,
      chalks_stored: 0,
      chalks_duplicates: 0,
      chalks_skipped: 0,
    };
    const now = Date.now();
    this.db.exec("BEGIN IMMEDIATE");
    try {
      for (const r of reports) {
        const row = this.#insertReport.get(
          r.identity,
          r.operation,
          r.actionId,
          r.execId,
          r.timestampMs,
          r.datetime,
          r.hostname,
          now,
          r.raw,
        ) as { id: number } | undefined;
        if (row === undefined) {
          summary.duplicates++;
          continue;
        }
        summary.stored++;
        summary.chalks_skipped += r.chalksSkipped;
        r.mentions.forEach((m, i) => {
          this.#insertMention.run(
            row.id,
            i,
            m.chalkId,
            m.metadataId,
            m.commitId,
            m.branch,
            m.originUri,
            m.artifactPath,
            m.artifactType,
          );
        });
        for (const c of r.chalks) {
          const res = this.#insertChalk.run(
            c.metadataId,
            c.metadataHash,
            c.chalkId,
            c.commitId,
            c.branch,
            c.originUri,
            c.artifactPath,
            c.artifactType,
            row.id,
            c.raw,
          );
          if (Number(res.changes) > 0) summary.chalks_stored++;
          else summary.chalks_duplicates++;
        }
      }
      this.db.exec("COMMIT");
    } catch (e) {
      this.db.exec("ROLLBACK");
      throw e;
    }
    return summary;
  }

  /** Raw texts of chalk rows, oldest first (the tutorial's "latest at the bottom"). */
  listChalks(options: ListOptions = {}): string[] {
    const rows = this.db.prepare(
      `SELECT raw FROM chalks ORDER BY report_id, rowid LIMIT ? OFFSET ?`,
    ).all(options.limit ?? -1, options.offset ?? 0) as { raw: string }[];
    return rows.map((r) => r.raw);
  }

  /** Raw text of the chalk row with this METADATA_ID. */
  getChalk(metadataId: string): string | undefined {
    const row = this.db.prepare("SELECT raw FROM chalks WHERE metadata_id = ?").get(
      metadataId,
    ) as { raw: string } | undefined;
    return row?.raw;
  }

  /**
   * Raw texts of reports, oldest first, optionally only those whose operation is in
   * `operations` (compared lower-cased).
   */
  listReports(operations: readonly string[] | null, options: ListOptions = {}): string[] {
    const limit = options.limit ?? -1;
    const offset = options.offset ?? 0;
    let rows: { raw: string }[];
    if (operations === null) {
      rows = this.db.prepare("SELECT raw FROM reports ORDER BY id LIMIT ? OFFSET ?").all(
        limit,
        offset,
      ) as { raw: string }[];
    } else {
      const ops = operations.map((o) => o.toLowerCase());
      const marks = ops.map(() => "?").join(", ");
      rows = this.db.prepare(
        `SELECT raw FROM reports WHERE operation IN (${marks}) ORDER BY id LIMIT ? OFFSET ?`,
      ).all(...ops, limit, offset) as { raw: string }[];
    }
    return rows.map((r) => r.raw);
  }

  /** Row counts. */
  counts(): StoreCounts {
    const one = (sql: string): number => Number((this.db.prepare(sql).get() as { n: number }).n);
    return {
      reports: one("SELECT COUNT(*) AS n FROM reports"),
      chalks: one("SELECT COUNT(*) AS n FROM chalks"),
      execs: one(
        `SELECT COUNT(*) AS n FROM reports WHERE operation IN ('exec', 'heartbeat')`,
      ),
    };
  }

  /** The database's journal mode (`wal` once opened by {@linkcode openStore}). */
  journalMode(): string {
    const row = this.db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
    return row.journal_mode;
  }

  /** Closes the database. */
  close(): void {
    this.db.close();
  }
}

/**
 * Opens (creating if needed) the database at `path`, switches it to WAL mode and
 * applies pending migrations.
 */
export function openStore(path: string): ChalkStore {
  const db = new DatabaseSync(path);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    const mode = db.prepare("PRAGMA journal_mode = WAL").get() as { journal_mode: string };
    if (mode.journal_mode.toLowerCase() !== "wal" && path !== ":memory:") {
      throw new Error(`cannot switch ${path} to WAL mode (journal_mode is ${mode.journal_mode})`);
    }
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return new ChalkStore(db);
}
