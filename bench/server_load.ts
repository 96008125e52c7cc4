/**
 * Load test of the chalk server (loopback only, bounded count and time).
 *
 * Starts `server/main.ts` on a free 127.0.0.1 port with a fresh database, posts
 * `--reports` reports (default 10,000) from `--clients` concurrent clients
 * (default 32), one report per request as chalk's post sink sends them (array
 * body plus X-Chalk-* headers). Every `--resend-every`-th request is sent a
 * second time with `X-Chalk-Attempt: 2`, as a retry would be. Afterwards it
 * reads the SQLite file and checks that every report is stored exactly once.
 * Prints throughput and p50/p90/p99 latency; exits 1 on any lost or duplicated
 * row, on a non-200 answer, or when `--timeout-s` (default 120) runs out.
 *
 *     deno run -A bench/server_load.ts [--reports 10000] [--clients 32]
 *
 * @module
 */

import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";

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

const REPORTS = flag("reports", 10_000);
const CLIENTS = Math.max(1, flag("clients", 32));
const RESEND_EVERY = flag("resend-every", 25);
const TIMEOUT_MS = flag("timeout-s", 120) * 1000;
const SERVER_MAIN = new URL("../server/main.ts", import.meta.url).pathname;

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

async function main(): Promise<number> {
  const dir = await Deno.makeTempDir({ prefix: "chalk_server_load_" });
  const db = `${dir}/load.sqlite`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER_MAIN, "--host", "127.0.0.1", "--port", "0", "--db", db],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const listening = Promise.withResolvers<string>();
  let logLines = 0;
  const drain = (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of child.stderr) {
      pending += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const m = /listening on (\S+)/.exec(line);
        if (m) listening.resolve(m[1]);
        else logLines++;
      }
    }
    listening.reject(new Error("server exited before listening"));
  })();
  const base = await listening.promise;

  const runId = hex(4);
  const reports = Array.from({ length: REPORTS }, (_, i) => makeReport(i, runId));
  const encoder = new TextEncoder();
  const abort = AbortSignal.timeout(TIMEOUT_MS);
  const latencies: number[] = [];
  let stored = 0;
  let duplicates = 0;
  let resends = 0;
  const failures: string[] = [];
  let next = 0;

  async function post(i: number, attempt: number): Promise<void> {
    const r = reports[i];
    const body = encoder.encode(`[${r.text}]\n`);
    const started = performance.now();
    const res = await fetch(`${base}/report`, {
      method: "POST",
      signal: abort,
      headers: {
        "content-type": "application/json",
        "x-chalk-version": "0.1.0",
        "x-chalk-operation": r.op,
        "x-chalk-action-id": r.actionId,
        "x-content-length": String(body.byteLength),
        "x-chalk-digest-sha256": createHash("sha256").update(body).digest("hex"),
        "x-chalk-attempt": String(attempt),
      },
      body,
    });
    const answer = await res.text();
    latencies.push(performance.now() - started);
    if (res.status !== 200) {
      failures.push(`report ${i}: HTTP ${res.status} ${answer.trim()}`);
      return;
    }
    const summary = JSON.parse(answer) as { stored: number; duplicates: number };
    stored += summary.stored;
    duplicates += summary.duplicates;
  }

  async function client(): Promise<void> {
    while (next < REPORTS && !abort.aborted) {
      const i = next++;
      await post(i, 1);
      if (RESEND_EVERY > 0 && i % RESEND_EVERY === 0) {
        resends++;
        await post(i, 2);
      }
    }
  }

  const t0 = performance.now();
  let timedOut = false;
  try {
    await Promise.all(Array.from({ length: CLIENTS }, client));
  } catch (e) {
    timedOut = abort.aborted;
    failures.push(`client error: ${e instanceof Error ? e.message : String(e)}`);
  }
  const elapsed = (performance.now() - t0) / 1000;

  child.kill("SIGTERM");
  await child.status;
  await drain;

  const sqlite = new DatabaseSync(db, { readOnly: true });
  const count = (sql: string): number => Number((sqlite.prepare(sql).get() as { n: number }).n);
  const rows = count("SELECT COUNT(*) AS n FROM reports");
  const distinct = count("SELECT COUNT(DISTINCT action_id) AS n FROM reports");
  const chalkRows = count("SELECT COUNT(*) AS n FROM chalks");
  const present = new Set(
    (sqlite.prepare("SELECT action_id FROM reports").all() as { action_id: string }[])
      .map((r) => r.action_id),
  );
  const mode = (sqlite.prepare("PRAGMA journal_mode").get() as { journal_mode: string })
    .journal_mode;
  sqlite.close();
  const lost = reports.filter((r) => !present.has(r.actionId)).length;
  const inserts = reports.filter((r) => r.op === "insert").length;
  await Deno.remove(dir, { recursive: true });

  const sorted = [...latencies].sort((a, b) => a - b);
  const requests = latencies.length;
  console.log(`chalk server load test: ${REPORTS} reports, ${CLIENTS} clients, loopback`);
  console.log(
    `  requests      ${requests} (${resends} deliberate re-sends), ${elapsed.toFixed(2)} s`,
  );
  console.log(
    `  throughput    ${(requests / elapsed).toFixed(0)} requests/s, ` +
      `${(stored / elapsed).toFixed(0)} new reports/s`,
  );
  console.log(
    `  latency (ms)  p50 ${percentile(sorted, 50).toFixed(2)}  p90 ${
      percentile(sorted, 90).toFixed(2)
    }  p99 ${percentile(sorted, 99).toFixed(2)}  max ${sorted.at(-1)?.toFixed(2)}`,
  );
  console.log(
    `  database      ${rows} report rows (${distinct} distinct), ${chalkRows} chalk rows, ` +
      `journal_mode=${mode}, ${logLines} server log lines`,
  );
  console.log(`  answers       stored=${stored} duplicates=${duplicates}`);
  console.log(
    `  machine       ${navigator.hardwareConcurrency} CPUs, load average ${
      Deno.loadavg().map((l) => l.toFixed(2)).join(" ")
    } (client and server share it)`,
  );

  const problems = [...failures.slice(0, 5)];
  if (timedOut) problems.push(`timed out after ${TIMEOUT_MS / 1000} s`);
  if (lost > 0) problems.push(`${lost} reports lost`);
  if (rows !== REPORTS || distinct !== REPORTS) {
    problems.push(`expected ${REPORTS} report rows, found ${rows} (${distinct} distinct)`);
  }
  if (chalkRows !== inserts) problems.push(`expected ${inserts} chalk rows, found ${chalkRows}`);
  if (stored !== REPORTS || duplicates !== resends) {
    problems.push(`answers said stored=${stored} duplicates=${duplicates}`);
  }
  if (problems.length > 0) {
    console.log(`FAIL: ${problems.join("; ")}`);
    return 1;
  }
  console.log("OK: zero lost and zero duplicated rows");
  return 0;
}

Deno.exit(await main());
