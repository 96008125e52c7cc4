/**
 * Read-only queries behind the dashboard pages and their JSON twins, the same SQL on both
 * backends. Lists are newest first and paged by keyset cursors (`before`), so a page costs the
 * same at any depth.
 *
 * @module
 */

import { CursorError, HOUR_MS } from "../store/chalk_store.ts";
import type { SqlClient, SqlValue } from "../store/sql_client.ts";

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
  /** Image names and tags (container images). */
  image_refs: string | null;
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

/** Where a chalked program runs or ran: one exec and its heartbeats. */
export interface RunRow {
  /** `_EXEC_ID`. */
  exec_id: string;
  /** The program's (or image's) `CHALK_ID`. */
  chalk_id: string | null;
  /** `_OP_HOSTNAME` of the last report. */
  hostname: string | null;
  /** `_INSTANCE_CONTAINER_ID`. */
  container_id: string | null;
  /** Image names and tags, from the report or the image's build. */
  image_refs: string | null;
  /** Path when chalked, from the build. */
  artifact_path: string | null;
  /** Commit it was built from. */
  commit_id: string | null;
  /** `_PROCESS_PID`. */
  pid: string | null;
  /** First report received (server clock, ms). */
  first_seen_ms: number;
  /** Last report received (server clock, ms). */
  last_seen_ms: number;
  /** `exec` or `heartbeat`. */
  last_operation: string;
  /** Reports of this execution. */
  reports: number;
}

/** A commit chalk built something from. */
export interface CommitRow {
  /** Repository. */
  origin_uri: string;
  /** Full commit id. */
  commit_id: string;
  /** Branch of the last build. */
  branch: string | null;
  /** Chalk marks from this commit. */
  chalks: number;
  /** Last build received (ms). */
  last_seen_ms: number;
}

/** A repository with the commits built from it. */
export interface RepoRow {
  /** `ORIGIN_URI`. */
  origin_uri: string;
  /** Commits built. */
  commits: number;
  /** Chalk marks. */
  chalks: number;
  /** Last build received (ms). */
  last_seen_ms: number;
}

/** A page of rows and the cursor of the next (older) page. */
export interface RowPage<T> {
  /** Rows, newest first. */
  rows: T[];
  /** `before` value of the next page, or `null`. */
  next: string | null;
}

/** Filters of chalk mark lists (all optional, combined with AND). */
export interface MarkFilters {
  /** Exact repository. */
  repo?: string;
  /** Commit or its start. */
  commit?: string;
  /** Exact branch. */
  branch?: string;
  /** Exact artifact type (`ELF`, `Docker Image`, ...). */
  type?: string;
}

/** Filters of the "where it runs" list. */
export interface RunFilters {
  /** Exact host name. */
  host?: string;
  /** Image name or tag contains. */
  image?: string;
  /** Exact CHALK_ID. */
  chalk?: string;
  /** Only sightings whose chalk was built from a commit starting with this. */
  commit?: string;
  /** Only runs seen within the stale window. */
  current?: boolean;
}

const CHALK_COLUMNS = `c.chalk_id, c.metadata_id, c.artifact_type, c.artifact_path, c.image_refs,
  c.origin_uri, c.commit_id, c.branch, r.operation,
  COALESCE(r.timestamp_ms, r.received_ms) AS time_ms, r.hostname`;

const REPORT_COLUMNS = `r.id, r.operation, COALESCE(r.timestamp_ms, r.received_ms) AS time_ms,
  r.datetime, r.hostname, r.exec_id, r.action_id, r.raw,
  (SELECT rc.chalk_id FROM report_chalks rc WHERE rc.report_id = r.id
     AND rc.chalk_id IS NOT NULL ORDER BY rc.position LIMIT 1) AS chalk_id`;

/** When a report was made: `_TIMESTAMP`, else when the server received it. */
const MENTION_TIME = "COALESCE(r.timestamp_ms, r.received_ms)";

/** The facts a chalk summary merges from marks and reports. */
const FACTS = [
  "metadata_id",
  "artifact_type",
  "artifact_path",
  "image_refs",
  "origin_uri",
  "commit_id",
  "branch",
] as const;

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => "\\" + c);
}

/** Collects `AND`-ed conditions with numbered parameters. */
class Where {
  readonly params: SqlValue[] = [];
  readonly #terms: string[] = [];

  /** Adds `term`, with `$?` standing for `value`'s parameter. */
  add(term: string, value: SqlValue): this {
    this.params.push(value);
    this.#terms.push(term.replaceAll("$?", `$${this.params.length}`));
    return this;
  }

  /** Adds a term whose parameters were bound with {@linkcode bind}. */
  addRaw(term: string): this {
    this.#terms.push(term);
    return this;
  }

  /** `WHERE ...` or the empty string. */
  toString(): string {
    return this.#terms.length === 0 ? "" : `WHERE ${this.#terms.join(" AND ")}`;
  }

  /** The next free parameter's placeholder, binding `value` to it. */
  bind(value: SqlValue): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

function intCursor(before: string | undefined): number | undefined {
  if (before === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(before)) throw new CursorError(before);
  return Number(before);
}

function pageOf<T>(rows: T[], limit: number, cursor: (row: T) => string): RowPage<T> {
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  return { rows: kept, next: more ? cursor(kept[kept.length - 1]) : null };
}

/** Chalk marks (insert and build rows), newest first. */
export async function listMarks(
  sql: SqlClient,
  filters: MarkFilters,
  limit: number,
  before?: string,
): Promise<RowPage<ChalkListRow & { report_id: number; position: number }>> {
  const w = new Where();
  if (filters.repo) w.add("c.origin_uri = $?", filters.repo);
  if (filters.commit) w.add("c.commit_id LIKE $? ESCAPE '\\'", `${likeEscape(filters.commit)}%`);
  if (filters.branch) w.add("c.branch = $?", filters.branch);
  if (filters.type) w.add("c.artifact_type = $?", filters.type);
  if (before !== undefined) {
    const m = /^([0-9]{1,15})\.([0-9]{1,9})$/.exec(before);
    if (m === null) throw new CursorError(before);
    const [r, p] = [w.bind(Number(m[1])), w.bind(Number(m[2]))];
    // The bound on r.id is implied by the join; it lets PostgreSQL start the reports side of
    // a merge join at the cursor instead of at the newest report.
    w.addRaw(`(c.report_id, c.position) < (${r}, ${p}) AND r.id <= ${r}`);
  }
  const rows = await sql.all<ChalkListRow & { report_id: number; position: number }>(
    `SELECT ${CHALK_COLUMNS}, c.report_id, c.position
     FROM chalks c JOIN reports r ON r.id = c.report_id ${w}
     ORDER BY c.report_id DESC, c.position DESC LIMIT ${w.bind(limit + 1)}`,
    w.params,
  );
  return pageOf(rows, limit, (r) => `${r.report_id}.${r.position}`);
}

/** Reports with one of `operations`, newest first. */
export async function listReportRows(
  sql: SqlClient,
  operations: readonly string[],
  limit: number,
  before?: string,
): Promise<RowPage<ReportRow>> {
  const w = new Where();
  const cursor = intCursor(before);
  if (cursor !== undefined) w.add("r.id < $?", cursor);
  w.addRaw(`r.operation IN (${operations.map((op) => w.bind(op)).join(", ")})`);
  const rows = await sql.all<ReportRow>(
    `SELECT ${REPORT_COLUMNS} FROM reports r ${w}
     ORDER BY r.id DESC LIMIT ${w.bind(limit + 1)}`,
    w.params,
  );
  return pageOf(rows, limit, (r) => String(r.id));
}

/**
 * Chalks whose CHALK_ID, METADATA_ID or commit starts with `query`, or whose repository,
 * branch, path or image contains it (case-insensitive), most recently seen first, `limit`
 * chalks a page; `before` is the previous page's `next`.
 */
export async function searchChalks(
  sql: SqlClient,
  query: string,
  limit: number,
  before?: string,
): Promise<RowPage<ChalkSearchRow>> {
  const q = likeEscape(query.trim().toLowerCase());
  const w = new Where();
  const [prefix, infix] = [w.bind(`${q}%`), w.bind(`%${q}%`)];
  const like = (column: string, pattern: string) => `LOWER(${column}) LIKE ${pattern} ESCAPE '\\'`;
  w.addRaw(`rc.chalk_id IN (SELECT chalk_id FROM report_chalks WHERE ${
    [
      like("chalk_id", prefix),
      like("metadata_id", prefix),
      like("commit_id", prefix),
      like("origin_uri", infix),
      like("branch", infix),
      like("artifact_path", infix),
      like("image_refs", infix),
    ].join(" OR ")
  })`);
  const seen = `MAX(${MENTION_TIME})`;
  let having = "";
  if (before !== undefined) {
    const m = /^([0-9]{1,15})\.(.+)$/s.exec(before);
    if (m === null) throw new CursorError(before);
    const [t, id] = [w.bind(Number(m[1])), w.bind(m[2])];
    having = `HAVING ${seen} < ${t} OR (${seen} = ${t} AND rc.chalk_id < ${id})`;
  }
  // Chalks are paged, not their mentions: a chalk seen at thousands of paths is one row.
  const found = await sql.all<{ chalk_id: string; time_ms: number }>(
    `SELECT rc.chalk_id, ${seen} AS time_ms
     FROM report_chalks rc JOIN reports r ON r.id = rc.report_id ${w}
     GROUP BY rc.chalk_id ${having}
     ORDER BY time_ms DESC, rc.chalk_id DESC LIMIT ${w.bind(limit + 1)}`,
    w.params,
  );
  const page = pageOf(found, limit, (r) => `${r.time_ms}.${r.chalk_id}`);
  return { rows: await summariseChalks(sql, page.rows.map((r) => r.chalk_id)), next: page.next };
}

/** What is known about `chalkId` (see the search rows), or `undefined` if no report mentions it. */
export async function chalkSummary(
  sql: SqlClient,
  chalkId: string,
): Promise<ChalkSearchRow | undefined> {
  return (await summariseChalks(sql, [chalkId]))[0];
}

/**
 * One summary per chalk of `chalkIds` that some report mentions, in that order. Operation,
 * host and time are the newest report's; each fact is the newest mark's (chalk time), else
 * the newest report's that has it (an exec knows no branch, a heartbeat no path).
 */
async function summariseChalks(
  sql: SqlClient,
  chalkIds: readonly string[],
): Promise<ChalkSearchRow[]> {
  if (chalkIds.length === 0) return [];
  const ids = chalkIds.map((_, i) => `$${i + 1}`).join(", ");
  const newestFirst = `${MENTION_TIME} DESC, r.id DESC, rc.position DESC`;
  const [mentions, marks] = await Promise.all([
    sql.all<ChalkSearchRow>(
      `SELECT * FROM (
         SELECT rc.chalk_id, ${
        FACTS.map((f) =>
          `FIRST_VALUE(rc.${f}) OVER (PARTITION BY rc.chalk_id
             ORDER BY rc.${f} IS NULL, ${newestFirst}) AS ${f}`
        ).join(", ")
      }, r.operation, ${MENTION_TIME} AS time_ms, r.hostname, n.reports,
           ROW_NUMBER() OVER (PARTITION BY rc.chalk_id ORDER BY ${newestFirst}) AS newest
         FROM report_chalks rc JOIN reports r ON r.id = rc.report_id
         JOIN (SELECT chalk_id, COUNT(DISTINCT report_id) AS reports FROM report_chalks
               WHERE chalk_id IN (${ids}) GROUP BY chalk_id) n ON n.chalk_id = rc.chalk_id
         WHERE rc.chalk_id IN (${ids})) m
       WHERE newest = 1`,
      chalkIds,
    ),
    sql.all<Pick<ChalkListRow, "chalk_id" | typeof FACTS[number]>>(
      `SELECT * FROM (
         SELECT c.chalk_id, ${FACTS.map((f) => `c.${f}`).join(", ")},
           ROW_NUMBER() OVER (PARTITION BY c.chalk_id
             ORDER BY c.report_id DESC, c.position DESC) AS newest
         FROM chalks c WHERE c.chalk_id IN (${ids})) m
       WHERE newest = 1`,
      chalkIds,
    ),
  ]);
  const markOf = new Map(marks.map((m) => [m.chalk_id, m]));
  const summaryOf = new Map(mentions.map((m) => {
    const mark = markOf.get(m.chalk_id);
    const row: ChalkSearchRow = {
      chalk_id: m.chalk_id,
      ...Object.fromEntries(FACTS.map((f) => [f, mark?.[f] ?? m[f]])) as Pick<
        ChalkListRow,
        typeof FACTS[number]
      >,
      operation: m.operation,
      time_ms: Number(m.time_ms),
      hostname: m.hostname,
      reports: Number(m.reports),
    };
    return [m.chalk_id, row];
  }));
  return chalkIds.flatMap((id) => summaryOf.get(id) ?? []);
}

/** The chalk marks (insert/build rows) carrying `chalkId`, oldest first. */
export function marksOfChalk(sql: SqlClient, chalkId: string): Promise<ChalkListRow[]> {
  return sql.all<ChalkListRow>(
    `SELECT ${CHALK_COLUMNS} FROM chalks c JOIN reports r ON r.id = c.report_id
     WHERE c.chalk_id = $1 ORDER BY c.report_id, c.position`,
    [chalkId],
  );
}

/**
 * Every report that mentions `chalkId` in `_CHALKS`, plus every report sharing an
 * `_EXEC_ID` with one of them (heartbeats of an exec), oldest first.
 */
export function chalkTimeline(
  sql: SqlClient,
  chalkId: string,
  limit: number,
): Promise<ReportRow[]> {
  return sql.all<ReportRow>(
    // Two indexed lookups joined by UNION: an OR here makes both backends scan every report.
    `SELECT ${REPORT_COLUMNS} FROM reports r
     WHERE r.id IN (
       SELECT report_id FROM report_chalks WHERE chalk_id = $1
       UNION
       SELECT r2.id FROM reports r2 WHERE r2.exec_id IN (
         SELECT r3.exec_id FROM reports r3 JOIN report_chalks rc3 ON rc3.report_id = r3.id
         WHERE rc3.chalk_id = $1 AND r3.exec_id IS NOT NULL))
     ORDER BY time_ms, r.id LIMIT $2`,
    [chalkId, limit],
  );
}

/** Where chalked programs run, most recently seen first. */
export async function listRuns(
  sql: SqlClient,
  filters: RunFilters,
  limit: number,
  options: { before?: string; staleBefore: number },
): Promise<RowPage<RunRow>> {
  const w = new Where();
  if (filters.host) w.add("s.hostname = $?", filters.host);
  if (filters.chalk) w.add("s.chalk_id = $?", filters.chalk);
  if (filters.current) w.add("s.last_seen_ms >= $?", options.staleBefore);
  if (filters.commit) {
    w.add(
      `s.chalk_id IN (SELECT chalk_id FROM chalks WHERE commit_id LIKE $? ESCAPE '\\')`,
      `${likeEscape(filters.commit)}%`,
    );
  }
  if (options.before !== undefined) {
    const m = /^([0-9]{1,15})\.(.+)$/s.exec(options.before);
    if (m === null) throw new CursorError(options.before);
    const [t, id] = [w.bind(Number(m[1])), w.bind(m[2])];
    w.addRaw(`(s.last_seen_ms < ${t} OR (s.last_seen_ms = ${t} AND s.exec_id < ${id}))`);
  }
  const image = `COALESCE(s.image_refs, (SELECT c.image_refs FROM chalks c
    WHERE c.chalk_id = s.chalk_id AND c.image_refs IS NOT NULL LIMIT 1))`;
  if (filters.image) {
    w.add(`LOWER(${image}) LIKE $? ESCAPE '\\'`, `%${likeEscape(filters.image.toLowerCase())}%`);
  }
  const rows = await sql.all<RunRow>(
    `SELECT s.exec_id, s.chalk_id, s.hostname, s.container_id, ${image} AS image_refs,
            (SELECT c.artifact_path FROM chalks c WHERE c.chalk_id = s.chalk_id LIMIT 1)
              AS artifact_path,
            (SELECT c.commit_id FROM chalks c WHERE c.chalk_id = s.chalk_id LIMIT 1) AS commit_id,
            s.pid, s.first_seen_ms, s.last_seen_ms, s.last_operation, s.reports
     FROM sightings s ${w}
     ORDER BY s.last_seen_ms DESC, s.exec_id DESC LIMIT ${w.bind(limit + 1)}`,
    w.params,
  );
  return pageOf(rows, limit, (r) => `${r.last_seen_ms}.${r.exec_id}`);
}

/** Repositories with builds, most recently built first. */
export async function listRepos(
  sql: SqlClient,
  limit: number,
  before?: string,
): Promise<RowPage<RepoRow>> {
  const w = new Where();
  let having = "";
  if (before !== undefined) {
    const m = /^([0-9]{1,15})\.(.+)$/s.exec(before);
    if (m === null) throw new CursorError(before);
    const [t, uri] = [w.bind(Number(m[1])), w.bind(m[2])];
    having =
      `HAVING MAX(last_seen_ms) < ${t} OR (MAX(last_seen_ms) = ${t} AND origin_uri > ${uri})`;
  }
  const rows = await sql.all<RepoRow>(
    `SELECT origin_uri, COUNT(*) AS commits, SUM(chalks) AS chalks,
            MAX(last_seen_ms) AS last_seen_ms
     FROM commits GROUP BY origin_uri ${having} ORDER BY last_seen_ms DESC, origin_uri
     LIMIT ${w.bind(limit + 1)}`,
    w.params,
  );
  return pageOf(
    rows.map((r) => ({ ...r, chalks: Number(r.chalks) })),
    limit,
    (r) => `${r.last_seen_ms}.${r.origin_uri}`,
  );
}

/** Commits built from `originUri`, most recent first. */
export function commitsOfRepo(
  sql: SqlClient,
  originUri: string,
  limit: number,
  before?: string,
): Promise<RowPage<CommitRow>> {
  const w = new Where().add("origin_uri = $?", originUri);
  const cursor = intCursor(before);
  if (cursor !== undefined) w.add("last_seen_ms < $?", cursor);
  return sql.all<CommitRow>(
    `SELECT origin_uri, commit_id, branch, chalks, last_seen_ms FROM commits ${w}
     ORDER BY last_seen_ms DESC LIMIT ${w.bind(limit + 1)}`,
    w.params,
  ).then((rows) => pageOf(rows, limit, (r) => String(r.last_seen_ms)));
}

/** The commits whose id starts with `prefix` (normally one). */
export function findCommits(sql: SqlClient, prefix: string): Promise<CommitRow[]> {
  return sql.all<CommitRow>(
    `SELECT origin_uri, commit_id, branch, chalks, last_seen_ms FROM commits
     WHERE commit_id LIKE $1 ESCAPE '\\' ORDER BY last_seen_ms DESC LIMIT 20`,
    [`${likeEscape(prefix)}%`],
  );
}

/** Counts of `exec` reports per time bucket, for the executions chart. */
export interface ActivityBuckets {
  /** Start of the first bucket (ms). */
  start_ms: number;
  /** Bucket width (ms). */
  bucket_ms: number;
  /** Executions per bucket, oldest first. */
  counts: number[];
}

/** Executions over the last `days` days up to the newest one, in `buckets` equal parts. */
export async function executionsOverTime(
  sql: SqlClient,
  options: { days: number; buckets: number },
): Promise<ActivityBuckets> {
  // Hourly counters kept at ingest (`exec_hours`): the chart reads a few hundred rows.
  const [latest] = await sql.all<{ h: number | null }>("SELECT MAX(hour) AS h FROM exec_hours");
  const endHour = (latest?.h ?? Math.floor(Date.now() / HOUR_MS)) + 1;
  const hoursPerBucket = Math.max(1, Math.round((options.days * 24) / options.buckets));
  const startHour = endHour - hoursPerBucket * options.buckets;
  const rows = await sql.all<{ hour: number; n: number }>(
    `SELECT hour, CAST(SUM(n) AS BIGINT) AS n FROM exec_hours
     WHERE hour >= $1 AND hour < $2 GROUP BY hour`,
    [startHour, endHour],
  );
  const counts = new Array<number>(options.buckets).fill(0);
  for (const r of rows) counts[Math.floor((r.hour - startHour) / hoursPerBucket)] += Number(r.n);
  return { start_ms: startHour * HOUR_MS, bucket_ms: hoursPerBucket * HOUR_MS, counts };
}
