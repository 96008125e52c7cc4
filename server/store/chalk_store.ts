/**
 * The server's store, the same over SQLite and PostgreSQL: writing reports idempotently and
 * reading the JSON API's lists a page at a time. Dashboard queries live in
 * `dashboard/queries.ts`, retention in `retention.ts`.
 *
 * @module
 */

import type { ReportRecord } from "../report_body.ts";
import type { Backend, SqlClient, SqlValue } from "./sql_client.ts";

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

/** One page of a list: raw JSON texts plus the cursor of the next page, if any. */
export interface Page {
  /** Row texts in list order. */
  raws: string[];
  /** Pass as `after` to get the next page; `null` on the last page. */
  next: string | null;
}

/** Paging for list endpoints. */
export interface PageOptions {
  /** Maximum rows. */
  limit: number;
  /** Cursor from a previous page's `next` (fast at any depth). */
  after?: string;
  /** Rows to skip (kept for old clients; slow deep into a large table). */
  offset?: number;
}

/** Row counts shown by `/health` and the dashboard. */
export interface StoreCounts {
  /** Reports stored. */
  reports: number;
  /** Chalk rows (`GET /chalks`). */
  chalks: number;
  /** Exec and heartbeat reports. */
  execs: number;
}

/** One hour in ms: executions are counted per hour for the dashboard's chart. */
export const HOUR_MS = 3_600_000;

/** Rows per counter: writers pick one at random, readers add them up. */
const COUNTER_SHARDS = 16;

/** Operations listed by `GET /execs`. */
export const EXEC_OPERATIONS: readonly string[] = ["exec", "heartbeat"];

/** A cursor that does not parse; the route answers 400. */
export class CursorError extends Error {
  /** Builds the error naming the cursor. */
  constructor(cursor: string) {
    super(`malformed cursor ${JSON.stringify(cursor)}`);
    this.name = "CursorError";
  }
}

/** `n,$k,...` placeholders from `$first` on. */
export function placeholders(count: number, first = 1): string {
  return Array.from({ length: count }, (_, i) => `$${first + i}`).join(", ");
}

function reportCursor(after: string | undefined): number {
  if (after === undefined) return 0;
  if (!/^[0-9]{1,15}$/.test(after)) throw new CursorError(after);
  return Number(after);
}

/** The store behind the server. */
export class ChalkStore {
  /** Wraps an open, migrated database. Prefer `openStore` (`open_store.ts`). */
  constructor(readonly sql: SqlClient) {}

  /** `sqlite` or `postgres`. */
  get backend(): Backend {
    return this.sql.backend;
  }

  /**
   * Stores the reports of one request in one transaction. A report already stored
   * (same identity) and a chalk whose METADATA_ID is known are counted, not stored;
   * the rest of the batch is stored regardless.
   */
  insertReports(reports: readonly ReportRecord[], skipped = 0): Promise<IngestSummary> {
    return this.sql.transaction(async (tx) => {
      const summary: IngestSummary = {
        stored: 0,
        duplicates: 0,
        skipped,
        chalks_stored: 0,
        chalks_duplicates: 0,
        chalks_skipped: 0,
      };
      const now = Date.now();
      const counters = new Map<string, number>();
      const bump = (name: string, n = 1) => counters.set(name, (counters.get(name) ?? 0) + n);
      for (const r of reports) {
        const [row] = await tx.all<{ id: number }>(
          `INSERT INTO reports
             (identity, operation, action_id, exec_id, timestamp_ms, datetime, hostname,
              received_ms, raw)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (identity) DO NOTHING
           RETURNING id`,
          [
            r.identity,
            r.operation,
            r.actionId,
            r.execId,
            r.timestampMs,
            r.datetime,
            r.hostname,
            now,
            r.raw,
          ],
        );
        if (row === undefined) {
          summary.duplicates++;
          continue;
        }
        summary.stored++;
        summary.chalks_skipped += r.chalksSkipped;
        bump(`op:${r.operation}`);
        for (const [i, m] of r.mentions.entries()) {
          await tx.run(
            `INSERT INTO report_chalks
               (report_id, position, chalk_id, metadata_id, commit_id, branch, origin_uri,
                artifact_path, artifact_type, image_refs, container_id)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
            [
              row.id,
              i,
              m.chalkId,
              m.metadataId,
              m.commitId,
              m.branch,
              m.originUri,
              m.artifactPath,
              m.artifactType,
              m.imageRefs,
              m.containerId,
            ],
          );
        }
        for (const c of r.chalks) {
          const changed = await tx.run(
            `INSERT INTO chalks
               (metadata_id, metadata_hash, chalk_id, commit_id, branch, origin_uri,
                artifact_path, artifact_type, report_id, raw, position, image_refs)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
             ON CONFLICT (metadata_id) DO NOTHING`,
            [
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
              c.position,
              c.imageRefs,
            ],
          );
          if (changed === 0) {
            summary.chalks_duplicates++;
            continue;
          }
          summary.chalks_stored++;
          if (c.originUri !== null && c.commitId !== null) {
            await tx.run(
              `INSERT INTO commits (origin_uri, commit_id, branch, chalks, last_seen_ms)
               VALUES ($1, $2, $3, 1, $4)
               ON CONFLICT (origin_uri, commit_id) DO UPDATE SET
                 branch = COALESCE(excluded.branch, commits.branch),
                 chalks = commits.chalks + 1, last_seen_ms = excluded.last_seen_ms`,
              [c.originUri, c.commitId, c.branch, now],
            );
          }
        }
        if (EXEC_OPERATIONS.includes(r.operation)) await recordSighting(tx, r, now);
        if (r.operation === "exec") {
          bump(`hour:${Math.floor((r.timestampMs ?? now) / HOUR_MS)}`);
        }
      }
      if (summary.chalks_stored > 0) counters.set("chalks", summary.chalks_stored);
      // A random shard per transaction, so that concurrent writers (several servers on
      // PostgreSQL) rarely wait for the same counter row; a fixed name order avoids deadlocks.
      const shard = Math.floor(Math.random() * COUNTER_SHARDS);
      for (const name of [...counters.keys()].sort()) {
        await addToCounter(tx, name, counters.get(name)!, shard);
      }
      return summary;
    });
  }

  /** One page of chalk rows, oldest first (the tutorial's "latest at the bottom"). */
  async listChalks(page: PageOptions): Promise<Page> {
    let where = "";
    const params: SqlValue[] = [];
    if (page.after !== undefined) {
      const m = /^([0-9]{1,15})\.([0-9]{1,9})\.(.+)$/s.exec(page.after);
      if (m === null) throw new CursorError(page.after);
      where = "WHERE (report_id, position, metadata_id) > ($1, $2, $3)";
      params.push(Number(m[1]), Number(m[2]), m[3]);
    }
    const rows = await this.sql.all<
      { raw: string; report_id: number; position: number; metadata_id: string }
    >(
      `SELECT raw, report_id, position, metadata_id FROM chalks ${where}
       ORDER BY report_id, position, metadata_id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, page.limit + 1, page.offset ?? 0],
    );
    const more = rows.length > page.limit;
    const last = rows[page.limit - 1];
    return {
      raws: rows.slice(0, page.limit).map((r) => r.raw),
      next: more && last ? `${last.report_id}.${last.position}.${last.metadata_id}` : null,
    };
  }

  /** Raw text of the chalk row with this METADATA_ID. */
  async getChalk(metadataId: string): Promise<string | undefined> {
    const [row] = await this.sql.all<{ raw: string }>(
      "SELECT raw FROM chalks WHERE metadata_id = $1",
      [metadataId],
    );
    return row?.raw;
  }

  /**
   * One page of reports, oldest first, optionally only those whose operation is in
   * `operations` (compared lower-cased).
   */
  async listReports(operations: readonly string[] | null, page: PageOptions): Promise<Page> {
    const after = reportCursor(page.after);
    const want = page.limit + 1 + (page.offset ?? 0);
    let rows: { id: number; raw: string }[];
    if (operations === null) {
      rows = await this.sql.all(
        "SELECT id, raw FROM reports WHERE id > $1 ORDER BY id LIMIT $2",
        [after, want],
      );
    } else {
      // One indexed range per operation, merged here: a single IN (...) ORDER BY id makes
      // SQLite walk the whole table when an operation is rare.
      const ops = [...new Set(operations.map((o) => o.toLowerCase()))];
      const lists = await Promise.all(ops.map((op) =>
        this.sql.all<{ id: number; raw: string }>(
          "SELECT id, raw FROM reports WHERE operation = $1 AND id > $2 ORDER BY id LIMIT $3",
          [op, after, want],
        )
      ));
      rows = lists.flat().sort((a, b) => a.id - b.id).slice(0, want);
    }
    rows = rows.slice(page.offset ?? 0);
    const more = rows.length > page.limit;
    return {
      raws: rows.slice(0, page.limit).map((r) => r.raw),
      next: more ? String(rows[page.limit - 1].id) : null,
    };
  }

  /** Reports per operation, most frequent first (kept in `counters`, so O(1) in the rows). */
  async operationCounts(): Promise<{ operation: string; n: number }[]> {
    const rows = (await this.#counters()).filter((r) => r.name.startsWith("op:") && r.n > 0);
    return rows.map((r) => ({ operation: r.name.slice(3), n: Number(r.n) }))
      .sort((a, b) => b.n - a.n || (a.operation < b.operation ? -1 : 1));
  }

  /** Every counter, its shards added up. */
  async #counters(): Promise<{ name: string; n: number }[]> {
    const rows = await this.sql.all<{ name: string; n: number }>(
      "SELECT name, CAST(SUM(n) AS BIGINT) AS n FROM counters GROUP BY name",
    );
    return rows.map((r) => ({ name: r.name, n: Number(r.n) }));
  }

  /** Row counts. */
  async counts(): Promise<StoreCounts> {
    const rows = await this.#counters();
    let reports = 0;
    let chalks = 0;
    let execs = 0;
    for (const { name, n } of rows) {
      if (name === "chalks") chalks = Number(n);
      else if (name.startsWith("op:")) {
        reports += Number(n);
        if (EXEC_OPERATIONS.includes(name.slice(3))) execs += Number(n);
      }
    }
    return { reports, chalks, execs };
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.sql.close();
  }
}

/**
 * Adds `by` (negative to subtract) to a counter: `op:OPERATION` and `chalks` live in `counters`,
 * `hour:H` (executions in hour H since the epoch) in `exec_hours`.
 */
export async function addToCounter(
  tx: SqlClient,
  name: string,
  by: number,
  shard = 0,
): Promise<void> {
  if (name.startsWith("hour:")) {
    await tx.run(
      `INSERT INTO exec_hours (hour, shard, n) VALUES ($1, $2, $3)
       ON CONFLICT (hour, shard) DO UPDATE SET n = exec_hours.n + excluded.n`,
      [Number(name.slice(5)), shard, by],
    );
    return;
  }
  await tx.run(
    `INSERT INTO counters (name, shard, n) VALUES ($1, $2, $3)
     ON CONFLICT (name, shard) DO UPDATE SET n = counters.n + excluded.n`,
    [name, shard, by],
  );
}

/**
 * Where a chalked program runs: one row per `_EXEC_ID` (an exec report and its heartbeats),
 * updated by each report, so that "where does it run now" reads one small table.
 */
async function recordSighting(tx: SqlClient, r: ReportRecord, now: number): Promise<void> {
  const m = r.mentions.find((x) => x.chalkId !== null) ?? null;
  await tx.run(
    `INSERT INTO sightings (exec_id, chalk_id, metadata_id, hostname, container_id, image_refs,
                           pid, first_seen_ms, last_seen_ms, last_operation, reports)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9, 1)
     ON CONFLICT (exec_id) DO UPDATE SET
       chalk_id = COALESCE(excluded.chalk_id, sightings.chalk_id),
       metadata_id = COALESCE(excluded.metadata_id, sightings.metadata_id),
       hostname = COALESCE(excluded.hostname, sightings.hostname),
       container_id = COALESCE(excluded.container_id, sightings.container_id),
       image_refs = COALESCE(excluded.image_refs, sightings.image_refs),
       pid = COALESCE(excluded.pid, sightings.pid),
       first_seen_ms = CASE WHEN excluded.first_seen_ms < sightings.first_seen_ms
                            THEN excluded.first_seen_ms ELSE sightings.first_seen_ms END,
       last_seen_ms = CASE WHEN excluded.last_seen_ms > sightings.last_seen_ms
                           THEN excluded.last_seen_ms ELSE sightings.last_seen_ms END,
       last_operation = excluded.last_operation,
       reports = sightings.reports + 1`,
    [
      r.execId ?? r.identity,
      m?.chalkId ?? null,
      m?.metadataId ?? null,
      r.hostname,
      m?.containerId ?? null,
      m?.imageRefs ?? null,
      m?.pid ?? null,
      now,
      r.operation,
    ],
  );
}
