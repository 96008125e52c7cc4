/**
 * List queries at scale: fills a fresh database with `--rows` generated reports (default
 * 1,000,000: 40 % insert with a chalk row, 50 % exec, 10 % heartbeat, their mentions, runs,
 * commits and counters), then times every list the JSON API and the dashboard serve: first
 * pages, pages deep in the table (by cursor), filtered lists, and the summaries. Each query runs
 * 7 times; the median and the slowest are printed, and lists slower than 50 ms are flagged.
 * Baseline in the same run: the totals query the dashboard used before counters
 * (`SELECT operation, COUNT(*) FROM reports GROUP BY operation`).
 *
 *     deno run -A bench/server_query_bench.ts [--rows 1000000] [--backend sqlite|postgres|both]
 *
 * PostgreSQL runs in a throwaway cluster on a free loopback port (tests/server/_postgres.ts).
 *
 * @module
 */

import { type PgCluster, startCluster } from "../tests/server/_postgres.ts";
import type { ChalkStore } from "../server/store/chalk_store.ts";
import { openStore } from "../server/store/open_store.ts";
import type { SqlClient } from "../server/store/sql_client.ts";
import {
  chalkSummary,
  chalkTimeline,
  commitsOfRepo,
  executionsOverTime,
  findCommits,
  listMarks,
  listReportRows,
  listRepos,
  listRuns,
  searchChalks,
} from "../server/dashboard/queries.ts";

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i < 0 ? fallback : Deno.args[i + 1] ?? fallback;
}

const ROWS = Number(arg("rows", "1000000"));
const BACKENDS = arg("backend", "both") === "both"
  ? ["sqlite", "postgres"]
  : [arg("backend", "sqlite")];
const LIST_BUDGET_MS = 50;
const T0 = 1_700_000_000_000;

/** `SELECT i FROM <series>` for 0..n-1 in the backend's dialect. */
function series(sql: SqlClient, n: number): string {
  return sql.backend === "postgres"
    ? `(SELECT i FROM generate_series(0, ${n - 1}) AS g(i)) s`
    : `(WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < ${n - 1})
        SELECT i FROM g) s`;
}

const OP =
  `CASE WHEN s.i % 10 < 4 THEN 'insert' WHEN s.i % 10 < 9 THEN 'exec' ELSE 'heartbeat' END`;
const CHALK = `'C' || CAST(s.i % 20000 AS TEXT)`;
const COMMIT = `'c0ffee' || CAST(s.i % 5000 AS TEXT)`;
const REPO = `'https://github.com/org/repo' || CAST(s.i % 200 AS TEXT) || '.git'`;

async function fill(store: ChalkStore, n: number): Promise<void> {
  const sql = store.sql;
  const t = performance.now();
  await sql.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO reports (id, identity, operation, action_id, exec_id, timestamp_ms, datetime,
                            hostname, received_ms, raw)
       SELECT s.i + 1, 'bench-' || CAST(s.i AS TEXT), ${OP}, 'a' || CAST(s.i AS TEXT),
              'e' || CAST(s.i / 4 AS TEXT), ${T0} + s.i * 1000, NULL,
              'host-' || CAST(s.i % 50 AS TEXT), ${T0} + s.i * 1000,
              '{"_OPERATION": "' || ${OP} || '", "_CHALKS": [{"CHALK_ID": "' || ${CHALK} ||
              '", "_PROCESS_PID": ' || CAST(s.i AS TEXT) || '}]}'
       FROM ${series(sql, n)}`,
    );
    await tx.run(
      `INSERT INTO report_chalks (report_id, position, chalk_id, metadata_id, commit_id, branch,
                                  origin_uri, artifact_path, artifact_type)
       SELECT s.i + 1, 0, ${CHALK}, 'M' || CAST(s.i AS TEXT), ${COMMIT}, 'main', ${REPO},
              '/srv/bin/app' || CAST(s.i % 300 AS TEXT), 'ELF'
       FROM ${series(sql, n)}`,
    );
    await tx.run(
      `INSERT INTO chalks (metadata_id, metadata_hash, chalk_id, commit_id, branch, origin_uri,
                           artifact_path, artifact_type, report_id, raw, position)
       SELECT 'M' || CAST(s.i AS TEXT), NULL, ${CHALK}, ${COMMIT}, 'main', ${REPO},
              '/srv/bin/app' || CAST(s.i % 300 AS TEXT), 'ELF', s.i + 1,
              '{"CHALK_ID": "' || ${CHALK} || '"}', 0
       FROM ${series(sql, n)} WHERE s.i % 10 < 4`,
    );
    await tx.run(
      `INSERT INTO sightings (exec_id, chalk_id, metadata_id, hostname, container_id, image_refs,
                              pid, first_seen_ms, last_seen_ms, last_operation, reports)
       SELECT 'e' || CAST(s.i AS TEXT), 'C' || CAST((s.i * 4) % 20000 AS TEXT), NULL,
              'host-' || CAST(s.i % 50 AS TEXT), NULL, NULL, CAST(s.i AS TEXT),
              ${T0} + s.i * 4000, ${T0} + s.i * 4000 + 3000, 'heartbeat', 4
       FROM ${series(sql, Math.ceil(n / 4))}`,
    );
    await tx.run(
      `INSERT INTO commits (origin_uri, commit_id, branch, chalks, last_seen_ms)
       SELECT origin_uri, commit_id, 'main', COUNT(*), MAX(report_id) * 1000 + ${T0}
       FROM chalks GROUP BY origin_uri, commit_id`,
    );
    await tx.run("DELETE FROM counters");
    await tx.run(
      `INSERT INTO counters (name, shard, n)
       SELECT 'op:' || operation, 0, COUNT(*) FROM reports GROUP BY operation`,
    );
    await tx.run(`INSERT INTO counters (name, shard, n) SELECT 'chalks', 0, COUNT(*) FROM chalks`);
    await tx.run("DELETE FROM exec_hours");
    await tx.run(
      `INSERT INTO exec_hours (hour, shard, n)
       SELECT timestamp_ms / 3600000, 0, COUNT(*) FROM reports WHERE operation = 'exec'
       GROUP BY timestamp_ms / 3600000`,
    );
  });
  if (sql.backend === "postgres") {
    await sql.run("SELECT setval(pg_get_serial_sequence('reports', 'id'), $1)", [n + 1]);
    await sql.script("ANALYZE");
  } else {
    await sql.script("ANALYZE");
  }
  console.log(`  filled ${n} reports in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

async function time(fn: () => Promise<unknown>): Promise<{ median: number; max: number }> {
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[3], max: samples[6] };
}

async function bench(backend: string): Promise<number> {
  let cluster: PgCluster | undefined;
  const dir = await Deno.makeTempDir({ prefix: "chalk_query_bench_" });
  let slow = 0;
  try {
    let db = `${dir}/bench.sqlite`;
    if (backend === "postgres") {
      cluster = await startCluster();
      db = await cluster.freshDatabase();
    }
    // Filling a million rows is one long transaction.
    const store = await openStore(db, { timeoutMs: 1_800_000 });
    console.log(`\n${backend}: ${ROWS} reports`);
    await fill(store, ROWS);
    const sql = store.sql;
    const now = T0 + ROWS * 1000;
    const deep = String(Math.floor(ROWS * 0.1));
    const marks = await listMarks(sql, {}, 50);
    const deepMarks = await listMarks(sql, {}, 50, `${Math.floor(ROWS * 0.1)}.0`);
    const queries: [string, boolean, () => Promise<unknown>][] = [
      [
        "baseline: totals by GROUP BY",
        false,
        () => sql.all("SELECT operation, COUNT(*) AS n FROM reports GROUP BY operation"),
      ],
      ["/health counts (counters)", true, () => store.counts()],
      ["/reports first 1000", true, () => store.listReports(null, { limit: 1000 })],
      [
        "/reports 1000 after 90 %",
        true,
        () => store.listReports(null, { limit: 1000, after: String(Math.floor(ROWS * 0.9)) }),
      ],
      ["/reports?operation=push (none)", true, () => store.listReports(["push"], { limit: 1000 })],
      ["/execs first 1000", true, () => store.listReports(["exec", "heartbeat"], { limit: 1000 })],
      ["/execs 1000 after 90 %", true, () =>
        store.listReports(["exec", "heartbeat"], {
          limit: 1000,
          after: String(Math.floor(ROWS * 0.9)),
        })],
      ["/chalks first 1000", true, () => store.listChalks({ limit: 1000 })],
      [
        "/chalks 1000 after 90 %",
        true,
        () =>
          store.listChalks({
            limit: 1000,
            after: `${Math.floor(ROWS * 0.9)}.0.M${Math.floor(ROWS * 0.9) - 1}`,
          }),
      ],
      ["marks: newest 50", true, () => listMarks(sql, {}, 50)],
      [
        "marks: 50 before 10 %",
        true,
        () => listMarks(sql, {}, 50, deepMarks.next ?? marks.next ?? undefined),
      ],
      [
        "marks: repo filter",
        true,
        () => listMarks(sql, { repo: "https://github.com/org/repo7.git" }, 50),
      ],
      ["marks: commit filter", true, () => listMarks(sql, { commit: "c0ffee42" }, 50)],
      ["executions: newest 50", true, () => listReportRows(sql, ["exec", "heartbeat"], 50)],
      [
        "executions: 50 before 10 %",
        true,
        () => listReportRows(sql, ["exec", "heartbeat"], 50, deep),
      ],
      ["runs: newest 50", true, () => listRuns(sql, {}, 50, { staleBefore: now - 600_000 })],
      [
        "runs: current only",
        true,
        () => listRuns(sql, { current: true }, 50, { staleBefore: now - 600_000 }),
      ],
      [
        "runs: host filter",
        true,
        () => listRuns(sql, { host: "host-7" }, 50, { staleBefore: now }),
      ],
      [
        "runs: chalk filter",
        true,
        () => listRuns(sql, { chalk: "C4242" }, 50, { staleBefore: now }),
      ],
      ["repos: first 50", true, () => listRepos(sql, 50)],
      [
        "repo: commits, newest 50",
        true,
        () => commitsOfRepo(sql, "https://github.com/org/repo7.git", 50),
      ],
      ["commit: find by prefix", true, () => findCommits(sql, "c0ffee4242")],
      ["chalk: timeline (50 reports)", true, () => chalkTimeline(sql, "C4242", 1000)],
      ["chalk: latest facts", true, () => chalkSummary(sql, "C4242")],
      [
        "chart: executions over 14 days",
        true,
        () => executionsOverTime(sql, { days: 14, buckets: 56 }),
      ],
      ["search: substring (not a list)", false, () => searchChalks(sql, "repo77", 200)],
    ];
    for (const [label, isList, fn] of queries) {
      const { median, max } = await time(fn);
      const over = isList && median > LIST_BUDGET_MS;
      if (over) slow++;
      console.log(
        `  ${label.padEnd(34)} median ${median.toFixed(2).padStart(8)} ms  max ${
          max.toFixed(2).padStart(8)
        } ms${over ? "  OVER 50 ms" : ""}`,
      );
    }
    await store.close();
  } finally {
    await cluster?.destroy();
    await Deno.remove(dir, { recursive: true });
  }
  return slow;
}

let slow = 0;
for (const backend of BACKENDS) slow += await bench(backend);
console.log(
  `\nmachine: ${navigator.hardwareConcurrency} CPUs, load average ${
    Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
  }`,
);
console.log(slow === 0 ? "OK: every list query under 50 ms" : `${slow} list queries over 50 ms`);
Deno.exit(slow === 0 ? 0 : 1);
