/**
 * Read-only queries behind the dashboard pages.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** One chalk mark as listed on the dashboard. */
export interface ChalkListRow {
  /** `CHALK_ID`. */
  chalk_id: string;
  /** `METADATA_ID`. */
  metadata_id: string | null;
  /** `ARTIFACT_TYPE`. */
  artifact_type: string | null;
  /** Path when chalked. */
  artifact_path: string | null;
  /** Repository (`ORIGIN_URI`). */
  origin_uri: string | null;
  /** `COMMIT_ID`. */
  commit_id: string | null;
  /** `BRANCH`. */
  branch: string | null;
  /** Operation of the report that carried it. */
  operation: string;
  /** `_TIMESTAMP`, else the time the server received it. */
  time_ms: number;
  /** `_OP_HOSTNAME`. */
  hostname: string | null;
}

/** A chalk found by search, summarised over every report that mentions it. */
export interface ChalkSearchRow extends ChalkListRow {
  /** Reports mentioning the chalk. */
  reports: number;
}

/** One stored report as shown in lists and timelines. */
export interface ReportRow {
  /** Row id. */
  id: number;
  /** `_OPERATION`, lower-cased. */
  operation: string;
  /** `_TIMESTAMP`, else the time the server received it. */
  time_ms: number;
  /** `_DATETIME`. */
  datetime: string | null;
  /** `_OP_HOSTNAME`. */
  hostname: string | null;
  /** `_EXEC_ID`. */
  exec_id: string | null;
  /** `_ACTION_ID`. */
  action_id: string | null;
  /** The first `CHALK_ID` in `_CHALKS`, if any. */
  chalk_id: string | null;
  /** The report text as received. */
  raw: string;
}

/** Count of reports for one operation. */
export interface OperationCount {
  /** Operation name. */
  operation: string;
  /** Number of reports. */
  n: number;
}

const REPORT_COLUMNS = `r.id, r.operation, COALESCE(r.timestamp_ms, r.received_ms) AS time_ms,
  r.datetime, r.hostname, r.exec_id, r.action_id, r.raw,
  (SELECT rc.chalk_id FROM report_chalks rc WHERE rc.report_id = r.id
     AND rc.chalk_id IS NOT NULL ORDER BY rc.position LIMIT 1) AS chalk_id`;

/** The most recent chalk marks (insert and build), newest first. */
export function recentChalks(db: DatabaseSync, limit: number): ChalkListRow[] {
  return db.prepare(
    `SELECT c.chalk_id, c.metadata_id, c.artifact_type, c.artifact_path, c.origin_uri,
            c.commit_id, c.branch, r.operation,
            COALESCE(r.timestamp_ms, r.received_ms) AS time_ms, r.hostname
     FROM chalks c JOIN reports r ON r.id = c.report_id
     ORDER BY r.id DESC, c.rowid DESC LIMIT ?`,
  ).all(limit) as unknown as ChalkListRow[];
}

/** The most recent reports with one of `operations`, newest first. */
export function recentReports(
  db: DatabaseSync,
  operations: readonly string[],
  limit: number,
): ReportRow[] {
  const marks = operations.map(() => "?").join(", ");
  return db.prepare(
    `SELECT ${REPORT_COLUMNS} FROM reports r WHERE r.operation IN (${marks})
     ORDER BY r.id DESC LIMIT ?`,
  ).all(...operations, limit) as unknown as ReportRow[];
}

/** Number of reports per operation, most frequent first. */
export function operationCounts(db: DatabaseSync): OperationCount[] {
  return db.prepare(
    `SELECT operation, COUNT(*) AS n FROM reports GROUP BY operation ORDER BY n DESC, operation`,
  ).all() as unknown as OperationCount[];
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => "\\" + c);
}

/**
 * Chalks whose CHALK_ID, METADATA_ID or commit starts with `query`, or whose
 * repository, branch or path contains it (case-insensitive for ASCII), most
 * recently seen first.
 */
export function searchChalks(db: DatabaseSync, query: string, limit: number): ChalkSearchRow[] {
  const q = likeEscape(query.trim());
  return db.prepare(
    `SELECT rc.chalk_id, rc.metadata_id, rc.artifact_type, rc.artifact_path, rc.origin_uri,
            rc.commit_id, rc.branch, r.operation,
            MAX(COALESCE(r.timestamp_ms, r.received_ms)) AS time_ms, r.hostname,
            COUNT(DISTINCT rc.report_id) AS reports
     FROM report_chalks rc JOIN reports r ON r.id = rc.report_id
     WHERE rc.chalk_id IS NOT NULL AND rc.chalk_id IN (
       SELECT chalk_id FROM report_chalks
       WHERE chalk_id LIKE ?1 ESCAPE '\\' OR metadata_id LIKE ?1 ESCAPE '\\'
          OR commit_id LIKE ?1 ESCAPE '\\' OR origin_uri LIKE ?2 ESCAPE '\\'
          OR branch LIKE ?2 ESCAPE '\\' OR artifact_path LIKE ?2 ESCAPE '\\')
     GROUP BY rc.chalk_id ORDER BY time_ms DESC LIMIT ?3`,
  ).all(`${q}%`, `%${q}%`, limit) as unknown as ChalkSearchRow[];
}

/** The chalk marks (insert/build rows) carrying `chalkId`, oldest first. */
export function marksOfChalk(db: DatabaseSync, chalkId: string): ChalkListRow[] {
  return db.prepare(
    `SELECT c.chalk_id, c.metadata_id, c.artifact_type, c.artifact_path, c.origin_uri,
            c.commit_id, c.branch, r.operation,
            COALESCE(r.timestamp_ms, r.received_ms) AS time_ms, r.hostname
     FROM chalks c JOIN reports r ON r.id = c.report_id
     WHERE c.chalk_id = ? ORDER BY r.id, c.rowid`,
  ).all(chalkId) as unknown as ChalkListRow[];
}

/** The latest facts any report gave about `chalkId`, or `undefined` if none mentions it. */
export function latestMention(db: DatabaseSync, chalkId: string): ChalkSearchRow | undefined {
  return db.prepare(
    `SELECT rc.chalk_id, rc.metadata_id, rc.artifact_type, rc.artifact_path, rc.origin_uri,
            rc.commit_id, rc.branch, r.operation,
            MAX(COALESCE(r.timestamp_ms, r.received_ms)) AS time_ms, r.hostname,
            COUNT(DISTINCT rc.report_id) AS reports
     FROM report_chalks rc JOIN reports r ON r.id = rc.report_id
     WHERE rc.chalk_id = ? GROUP BY rc.chalk_id`,
  ).get(chalkId) as unknown as ChalkSearchRow | undefined;
}

/**
 * Every report that mentions `chalkId` in `_CHALKS`, plus every report sharing an
 * `_EXEC_ID` with one of them (heartbeats of an exec), oldest first.
 */
export function chalkTimeline(db: DatabaseSync, chalkId: string, limit: number): ReportRow[] {
  return db.prepare(
    `SELECT ${REPORT_COLUMNS} FROM reports r
     WHERE r.id IN (SELECT report_id FROM report_chalks WHERE chalk_id = ?1)
        OR r.exec_id IN (
          SELECT r2.exec_id FROM reports r2 JOIN report_chalks rc2 ON rc2.report_id = r2.id
          WHERE rc2.chalk_id = ?1 AND r2.exec_id IS NOT NULL)
     ORDER BY time_ms, r.id LIMIT ?2`,
  ).all(chalkId, limit) as unknown as ReportRow[];
}
