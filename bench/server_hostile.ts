/**
 * The server under hostile load (loopback only, bounded in count and time): run under
 * `ulimit -n 1024`, it is held by `--idle` idle connections (default 2,000) and `--slowloris`
 * clients (default 200) that send a header line a second and never finish, each reopened at the
 * attacker's next sweep (every `--sweep-ms`: default 15,000 as the slowloris tool does; 1000
 * makes a reconnect flood) once the server closed it, while `--reports` reports (default 10,000) are posted by 16
 * clients that re-send on any failure (as chalk's report cache does). `/health` is probed on a
 * fresh connection every 250 ms throughout. Baseline in the same run: the same probes against
 * the same server before the attack starts.
 *
 * Passes when the server stays up, every probe answers within 1 s, and every report is stored
 * exactly once.
 *
 *     ulimit -n 8192; deno run -A bench/server_hostile.ts [--idle 2000] [--slowloris 200]
 *       [--reports 10000] [--sweep-ms 15000]
 *
 * @module
 */

import { openFileLimit } from "../server/fd_limit.ts";
import { execReport, insertReport, newArtifact } from "../tests/server/_reports.ts";
import { startServer } from "../tests/server/_server.ts";

function flag(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(Deno.args[i + 1]);
}

const IDLE = flag("idle", 2000);
const SLOWLORIS = flag("slowloris", 200);
const REPORTS = flag("reports", 10_000);
const SERVER_FDS = 1024;
const DEADLINE_MS = flag("timeout-s", 300) * 1000;
const SWEEP_MS = flag("sweep-ms", 15_000);

/** Resolves at the attacker's next sweep. */
function nextSweep(): Promise<void> {
  return new Promise((r) => setTimeout(r, SWEEP_MS - (Date.now() % SWEEP_MS)));
}

const own = openFileLimit();
if (own !== null && own < IDLE + SLOWLORIS + 512) {
  console.error(
    `server_hostile: this process may open only ${own} files; run \`ulimit -n 8192\` first`,
  );
  Deno.exit(2);
}

const server = await startServer({ fdLimit: SERVER_FDS });
const port = Number(new URL(server.url).port);
const encoder = new TextEncoder();
let attacking = true;
const deadline = Date.now() + DEADLINE_MS;

/**
 * A separate process probes `/health` on a fresh connection every 250 ms and prints each
 * latency in ms (or "fail"), so that the attack's own work in this process does not delay it.
 */
const PROBER = `
const url = Deno.args[0];
for (;;) {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  const t = performance.now();
  let line = "fail";
  try {
    const res = await fetch(url, { client, signal: AbortSignal.timeout(5000) });
    await res.body?.cancel();
    if (res.status === 200) line = String(performance.now() - t);
  } catch (e) {
    line = "fail " + String(e instanceof Error ? (e.cause ?? e.message) : e).replace(/\\s+/g, " ");
  }
  client.close();
  console.log(line);
  await new Promise((r) => setTimeout(r, 250));
}`;

/** Starts the prober; `stop()` ends it and returns the latencies (Infinity for failures). */
function startProber(): { stop(): Promise<number[]> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", PROBER, `${server.url}/health`],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const text = new Response(child.stdout).text();
  return {
    async stop(): Promise<number[]> {
      child.kill("SIGTERM");
      await child.status;
      return (await text).trim().split("\n").filter((l) => l !== "")
        .map((l) => {
          if (l.startsWith("fail")) console.error(`  probe ${l}`);
          return l.startsWith("fail") ? Infinity : Number(l);
        });
    },
  };
}

/** One attacking connection, reopened whenever the server closes it. */
async function attacker(slow: boolean, counts: { opened: number }): Promise<void> {
  while (attacking) {
    let conn: Deno.TcpConn;
    try {
      conn = await Deno.connect({ hostname: "127.0.0.1", port });
    } catch {
      await nextSweep();
      continue;
    }
    counts.opened++;
    const closed = conn.read(new Uint8Array(256)).then(() => {}, () => {});
    if (slow) {
      try {
        await conn.write(encoder.encode("POST /report HTTP/1.1\r\nHost: x\r\n"));
        while (attacking) {
          const done = await Promise.race([
            closed.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), 1000)),
          ]);
          if (done) break;
          await conn.write(encoder.encode(`X-Slow-${counts.opened}: 1\r\n`));
        }
      } catch { /* closed by the server */ }
    } else {
      await Promise.race([closed, new Promise((r) => setTimeout(r, DEADLINE_MS))]);
    }
    try {
      conn.close();
    } catch { /* closed */ }
    await nextSweep();
  }
}

const bodies = Array.from({ length: REPORTS }, (_, i) => {
  const a = newArtifact();
  return i % 4 === 0 ? insertReport([a]) : execReport(a, { timestamp: 1700000000000 + i });
});

const quiet = startProber();
await new Promise((r) => setTimeout(r, 5000));
const baseline = await quiet.stop();

const counts = { opened: 0 };
const attackers = [
  ...Array.from({ length: IDLE }, () => attacker(false, counts)),
  ...Array.from({ length: SLOWLORIS }, () => attacker(true, counts)),
];
await new Promise((r) => setTimeout(r, 2000));

const prober = startProber();
let next = 0;
let resends = 0;
const t0 = performance.now();
await Promise.all(Array.from({ length: 16 }, async () => {
  while (next < bodies.length && Date.now() < deadline) {
    const body = `[${bodies[next++]}]`;
    for (;;) {
      try {
        const res = await fetch(`${server.url}/report`, { method: "POST", body });
        await res.body?.cancel();
        if (res.status === 200) break;
      } catch { /* evicted or refused: re-send */ }
      resends++;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}));
const postSeconds = (performance.now() - t0) / 1000;
// Keep the attack on for a while after the posts, then stop.
await new Promise((r) => setTimeout(r, 12_000));
const during = await prober.stop();
attacking = false;
const health = await server.getJson<Record<string, unknown>>("/health");
const code = await server.stop();
await Promise.race([Promise.all(attackers), new Promise((r) => setTimeout(r, 3000))]);

const stats = health.connections as Record<string, number>;
const fmt = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const failed = xs.filter((x) => x === Infinity).length;
  const ok = sorted.filter((x) => x !== Infinity);
  return `${xs.length} probes, ${failed} failed, median ${
    ok[Math.floor(ok.length / 2)]?.toFixed(1)
  } ms, ` +
    `max ${ok.at(-1)?.toFixed(1)} ms`;
};
console.log(
  `chalk server under attack: ulimit -n ${SERVER_FDS}, ${IDLE} idle + ${SLOWLORIS} slowloris ` +
    `connections (reopened when closed: ${counts.opened} opened), ${REPORTS} reports`,
);
console.log(`  /health before the attack  ${fmt(baseline)}`);
console.log(`  /health during the attack  ${fmt(during)}`);
console.log(
  `  reports   ${health.reports} stored of ${REPORTS} in ${postSeconds.toFixed(1)} s ` +
    `(${resends} re-sends after a refused or evicted connection)`,
);
console.log(`  server    exit ${code}; connections ${JSON.stringify(stats)}`);
const worst = Math.max(...during);
const ok = code === 0 && health.reports === REPORTS && worst < 1000;
console.log(
  ok ? "OK: the server stayed up, answered /health within 1 s throughout, lost no report" : "FAIL",
);
Deno.exit(ok ? 0 : 1);
