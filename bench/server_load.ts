/**
 * Load test of the chalk server (loopback only, bounded count and time), on SQLite or on
 * PostgreSQL behind several server processes.
 *
 * Posts `--reports` reports (default 10,000) from `--clients` concurrent clients (default 32),
 * one report per request as chalk's post sink sends them (array body plus X-Chalk-* headers),
 * spread round-robin over `--servers` server processes (default 1; PostgreSQL only for more).
 * Every `--resend-every`-th request is sent a second time, to another server, with
 * `X-Chalk-Attempt: 2`, as a retry would be. Afterwards it reads every report back through the
 * API and checks that each is stored exactly once. For a baseline it first runs the same load
 * against a server that only reads the body and answers 200 (the loopback HTTP floor of this
 * machine at this moment). Prints throughput and p50/p90/p99 latency; exits 1 on any lost or
 * duplicated report, a non-200 answer, or when `--timeout-s` (default 120) runs out.
 *
 *     deno run -A bench/server_load.ts [--backend sqlite|postgres] [--servers 3]
 *
 * PostgreSQL runs in a throwaway cluster on a free loopback port (tests/server/_postgres.ts).
 *
 * @module
 */

import { createHash } from "node:crypto";
import { type PgCluster, startCluster } from "../tests/server/_postgres.ts";
import { type ServerProcess, startServer } from "../tests/server/_server.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(Deno.args[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    console.error(`server_load: --${name} expects a non-negative integer`);
    Deno.exit(2);
  }
  return v;
}

function textFlag(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i < 0 ? fallback : Deno.args[i + 1] ?? fallback;
}

const BACKEND = textFlag("backend", "sqlite");
const SERVERS = Math.max(1, flag("servers", 1));
const REPORTS = flag("reports", 10_000);
const CLIENTS = Math.max(1, flag("clients", 32));
const RESEND_EVERY = flag("resend-every", 25);
const TIMEOUT_MS = flag("timeout-s", 120) * 1000;
if (BACKEND !== "sqlite" && BACKEND !== "postgres") {
  console.error("server_load: --backend is sqlite or postgres");
  Deno.exit(2);
}
if (BACKEND === "sqlite" && SERVERS > 1) {
  console.error(
    "server_load: several servers need --backend postgres (one SQLite file, one server)",
  );
  Deno.exit(2);
}

function hex(bytes: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(bytes)),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/** The i-th report: 40 % insert (one chalk), 50 % exec, 10 % heartbeat. */
function makeReport(i: number, runId: string): { actionId: string; op: string; text: string } {
  const actionId = `${runId}${i.toString(16).padStart(8, "0")}`;
  const kind = i % 10;
  const op = kind < 4 ? "insert" : kind < 9 ? "exec" : "heartbeat";
  const chalkId = `LOAD${String(i % 500).padStart(2, "0")}-BNCH-0000-${runId.slice(0, 6)}`;
  const chalk = op === "insert"
    ? `{"CHALK_ID": "${chalkId}", "METADATA_ID": "M-${actionId}", "METADATA_HASH": "${hex(32)}",
       "HASH": "${hex(32)}", "COMMIT_ID": "${hex(20)}", "BRANCH": "main",
       "ORIGIN_URI": "https://github.com/example/load.git", "ARTIFACT_TYPE": "ELF",
       "PATH_WHEN_CHALKED": "/srv/bin/app${i}"}`
    : `{"CHALK_ID": "${chalkId}", "METADATA_ID": "M-${runId}-${i % 500}",
       "_PROCESS_PID": ${1000 + i}, "_PROCESS_ARGV": ["/srv/bin/app", "--serve"],
       "_OP_ARTIFACT_PATH": "/srv/bin/app"}`;
  const text = `{"_OPERATION": "${op}", "_TIMESTAMP": ${1700000000000 + i},
    "_DATETIME": "2023-11-14T22:13:20.000+00:00", "_ACTION_ID": "${actionId}",
    "_EXEC_ID": "${runId}${(i >> 4).toString(16)}", "_CHALKS": [${chalk}],
    "_OP_HOSTNAME": "bench-host-${i % 7}", "_OP_PLATFORM": "GNU/Linux x86_64",
    "_ENV": {"PATH": "/usr/bin:/bin", "USER": "bench"},
    "_OP_ARGV": ["/usr/local/bin/chalk", "${op}"], "_OP_CHALKER_VERSION": "0.1.0"}`;
  return { actionId, op, text };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

interface RunResult {
  seconds: number;
  latencies: number[];
  stored: number;
  duplicates: number;
  resends: number;
  failures: string[];
  timedOut: boolean;
}

/** Posts every report (and the re-sends) to `bases`, round-robin. */
async function load(
  bases: readonly string[],
  reports: ReturnType<typeof makeReport>[],
): Promise<RunResult> {
  const encoder = new TextEncoder();
  const abort = AbortSignal.timeout(TIMEOUT_MS);
  const r: RunResult = {
    seconds: 0,
    latencies: [],
    stored: 0,
    duplicates: 0,
    resends: 0,
    failures: [],
    timedOut: false,
  };
  let next = 0;
  async function post(i: number, attempt: number): Promise<void> {
    const report = reports[i];
    const body = encoder.encode(`[${report.text}]\n`);
    const started = performance.now();
    const res = await fetch(`${bases[(i + attempt - 1) % bases.length]}/report`, {
      method: "POST",
      signal: abort,
      headers: {
        "content-type": "application/json",
        "x-chalk-version": "0.1.0",
        "x-chalk-operation": report.op,
        "x-chalk-action-id": report.actionId,
        "x-content-length": String(body.byteLength),
        "x-chalk-digest-sha256": createHash("sha256").update(body).digest("hex"),
        "x-chalk-attempt": String(attempt),
      },
      body,
    });
    const answer = await res.text();
    r.latencies.push(performance.now() - started);
    if (res.status !== 200) {
      r.failures.push(`report ${i}: HTTP ${res.status} ${answer.trim()}`);
      return;
    }
    const summary = JSON.parse(answer) as { stored?: number; duplicates?: number };
    r.stored += summary.stored ?? 0;
    r.duplicates += summary.duplicates ?? 0;
  }
  async function client(): Promise<void> {
    while (next < reports.length && !abort.aborted) {
      const i = next++;
      await post(i, 1);
      if (RESEND_EVERY > 0 && i % RESEND_EVERY === 0) {
        r.resends++;
        await post(i, 2);
      }
    }
  }
  const t0 = performance.now();
  try {
    await Promise.all(Array.from({ length: CLIENTS }, client));
  } catch (e) {
    r.timedOut = abort.aborted;
    r.failures.push(`client error: ${e instanceof Error ? e.message : String(e)}`);
  }
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

/** The HTTP floor: a server that reads each body and answers 200 with a fixed summary. */
function floorServer(): { url: string; close(): Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    await req.arrayBuffer();
    return new Response('{"stored":1,"duplicates":0}');
  });
  return { url: `http://127.0.0.1:${server.addr.port}`, close: () => server.shutdown() };
}

/** Every `_ACTION_ID` stored, read through `GET /reports` page by page. */
async function storedActionIds(base: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | null = "/reports?limit=5000";
  while (next !== null) {
    const res: Response = await fetch(`${base}${next}`);
    for (const r of await res.json() as { _ACTION_ID: string }[]) ids.push(r._ACTION_ID);
    next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
  }
  return ids;
}

function describe(label: string, r: RunResult): string {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const requests = r.latencies.length;
  return `  ${label.padEnd(14)}${(requests / r.seconds).toFixed(0).padStart(6)} requests/s, ` +
    `${(r.stored / r.seconds).toFixed(0)} new reports/s; latency ms p50 ${
      percentile(sorted, 50).toFixed(2)
    } p90 ${percentile(sorted, 90).toFixed(2)} p99 ${percentile(sorted, 99).toFixed(2)} max ${
      sorted.at(-1)?.toFixed(2)
    } (${requests} requests in ${r.seconds.toFixed(2)} s)`;
}

async function main(): Promise<number> {
  const runId = hex(4);
  const reports = Array.from({ length: REPORTS }, (_, i) => makeReport(i, runId));

  const floor = floorServer();
  const baseline = await load([floor.url], reports);
  await floor.close();

  let cluster: PgCluster | undefined;
  const servers: ServerProcess[] = [];
  try {
    let db: string | undefined;
    if (BACKEND === "postgres") {
      cluster = await startCluster();
      db = await cluster.freshDatabase();
    }
    const started = await Promise.all(
      Array.from({ length: SERVERS }, () => startServer({ db, backend: "sqlite" })),
    );
    servers.push(...started);
    const result = await load(servers.map((s) => s.url), reports);

    const ids = await storedActionIds(servers[0].url);
    const health = await servers[0].getJson<Record<string, number>>("/health");
    const distinct = new Set(ids);
    const lost = reports.filter((r) => !distinct.has(r.actionId)).length;
    const inserts = reports.filter((r) => r.op === "insert").length;

    console.log(
      `chalk server load test: ${REPORTS} reports, ${CLIENTS} clients, ${SERVERS} server${
        SERVERS === 1 ? "" : "s"
      } on ${BACKEND}, loopback`,
    );
    console.log(describe("floor", baseline));
    console.log(describe("chalk server", result));
    console.log(
      `  ratio         ${
        (baseline.seconds / result.seconds * 100).toFixed(0)
      } % of the floor's throughput`,
    );
    console.log(
      `  stored        ${ids.length} reports (${distinct.size} distinct), ${health.chalks} chalk rows; ` +
        `answers said stored=${result.stored} duplicates=${result.duplicates} ` +
        `(${result.resends} deliberate re-sends)`,
    );
    console.log(
      `  machine       ${navigator.hardwareConcurrency} CPUs, load average ${
        Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
      } (clients, servers${BACKEND === "postgres" ? " and PostgreSQL" : ""} share it)`,
    );
    const problems = [...result.failures.slice(0, 5)];
    if (result.timedOut) problems.push(`timed out after ${TIMEOUT_MS / 1000} s`);
    if (lost > 0) problems.push(`${lost} reports lost`);
    if (ids.length !== REPORTS || distinct.size !== REPORTS) {
      problems.push(`expected ${REPORTS} reports, found ${ids.length} (${distinct.size} distinct)`);
    }
    if (health.chalks !== inserts) {
      problems.push(`expected ${inserts} chalk rows, found ${health.chalks}`);
    }
    if (result.stored !== REPORTS || result.duplicates !== result.resends) {
      problems.push(`answers said stored=${result.stored} duplicates=${result.duplicates}`);
    }
    if (problems.length > 0) {
      console.log(`FAIL: ${problems.join("; ")}`);
      return 1;
    }
    console.log("OK: zero lost and zero duplicated reports");
    return 0;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await cluster?.destroy();
  }
}

Deno.exit(await main());
