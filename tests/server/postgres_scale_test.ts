/**
 * Several servers, one PostgreSQL: reports spread over three server processes (and re-sent to
 * another one) are stored exactly once; migrations run once when the servers start together;
 * and a database that goes away mid-ingest costs nothing: the servers answer 503 while it is
 * down, chalk's report cache re-sends, and after the restart nothing is lost or duplicated.
 */

import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { join } from "node:path";
import { pathWithDeno, sandbox } from "../e2e/_chalk.ts";
import { startCluster } from "./_postgres.ts";
import { execReport, insertReport, newArtifact } from "./_reports.ts";
import { type ServerProcess, startServer } from "./_server.ts";

/** POSTs `body` until it is stored or known (200), as chalk's cache re-sends; counts 503s. */
async function deliver(urls: readonly string[], body: string, first: number): Promise<number> {
  let unavailable = 0;
  for (let attempt = 0; attempt < 200; attempt++) {
    const url = urls[(first + attempt) % urls.length];
    try {
      const res = await fetch(`${url}/report`, { method: "POST", body });
      await res.body?.cancel();
      if (res.status === 200) return unavailable;
      assertStrictEquals(res.status, 503, `only 503 while the database is away`);
      assert(res.headers.get("retry-after") !== null, "503 says when to retry");
      unavailable++;
    } catch {
      unavailable++;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("report never delivered");
}

async function countReports(url: string): Promise<{ total: number; distinct: number }> {
  const ids = new Set<string>();
  let total = 0;
  let next: string | null = `${url}/reports?limit=500`;
  while (next !== null) {
    const res: Response = await fetch(next);
    const page = await res.json() as { _ACTION_ID: string }[];
    total += page.length;
    for (const r of page) ids.add(r._ACTION_ID);
    const link = res.headers.get("link");
    next = link === null ? null : `${url}${/<([^>]+)>/.exec(link)![1]}`;
  }
  return { total, distinct: ids.size };
}

Deno.test("three servers on one PostgreSQL store every report exactly once", async () => {
  const cluster = await startCluster();
  const servers: ServerProcess[] = [];
  try {
    const db = await cluster.freshDatabase();
    // Started together: the migrations must still run once.
    servers.push(...await Promise.all([0, 1, 2].map(() => startServer({ db }))));
    const urls = servers.map((s) => s.url);
    const reports = Array.from({ length: 300 }, (_, i) => {
      const a = newArtifact();
      return i % 3 === 0 ? insertReport([a]) : execReport(a, { timestamp: 1700000000000 + i });
    });
    // Each report goes to one server, and again (a retry) to the next one.
    await Promise.all(reports.map(async (r, i) => {
      await deliver(urls, `[${r}]`, i);
      await deliver(urls, `[${r}]`, i + 1);
    }));
    for (const s of servers) {
      const health = await s.getJson<Record<string, unknown>>("/health");
      assertEquals([health.backend, health.reports, health.chalks], ["postgres", 300, 100]);
    }
    assertEquals(await countReports(urls[2]), { total: 300, distinct: 300 });
    const migrations = servers.flatMap((s) => s.log).filter((l) => /listening on/.test(l));
    assertStrictEquals(migrations.length, 3);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await cluster.destroy();
  }
});

Deno.test("PostgreSQL stopped mid-ingest: 503 while down, nothing lost or duplicated after restart", async () => {
  const cluster = await startCluster();
  let server: ServerProcess | undefined;
  const box = await sandbox({ PATH: pathWithDeno() });
  try {
    server = await startServer({ db: await cluster.freshDatabase() });
    const url = server.url;
    const reports = Array.from({ length: 400 }, () => execReport(newArtifact()));
    let next = 0;
    let unavailable = 0;
    const clients = Array.from({ length: 8 }, async () => {
      while (next < reports.length) {
        const i = next++;
        unavailable += await deliver([url], `[${reports[i]}]`, 0);
      }
    });
    // Stop the database while the clients are posting, restart it a little later.
    await new Promise((r) => setTimeout(r, 150));
    await cluster.stop();
    const down = await fetch(`${url}/health`);
    await down.body?.cancel();
    assertStrictEquals(down.status, 503, "health says the database is away");

    // chalk itself, meanwhile: the post fails with 503, the report waits in chalk's cache.
    await Deno.writeTextFile(
      join(box.work, "post.c4m"),
      `sink_config to_server {\n  sink: "post"\n  uri: "${url}/report"\n}\n` +
        `subscribe("report", "to_server")\nunsubscribe("report", "default_out")\n`,
    );
    await Deno.writeTextFile(join(box.work, "one.sh"), "#!/bin/sh\necho one\n");
    const cached = await box.chalk(["--config-file", "post.c4m", "insert", "one.sh"]);
    assertStrictEquals(cached.code, 0, cached.stderr);
    // The report cache lives in the state folder (docs/configuration.md, "State folder").
    const cache = join(box.home, ".local/state/chalk/chalk-reports.jsonl");
    assert((await Deno.stat(cache)).size > 0, "report cached");

    await new Promise((r) => setTimeout(r, 1000));
    await cluster.start();
    await Promise.all(clients);
    assert(unavailable > 0, "some posts met the outage");

    // The next chalk run flushes its cache: both insert reports arrive, once each.
    await Deno.writeTextFile(join(box.work, "two.sh"), "#!/bin/sh\necho two\n");
    const flushed = await box.chalk(["--config-file", "post.c4m", "insert", "two.sh"]);
    assertStrictEquals(flushed.code, 0, flushed.stderr);
    const inserts = await server.getJson<unknown[]>("/reports?operation=insert");
    assertStrictEquals(inserts.length, 2);
    assertEquals(await countReports(url), { total: 402, distinct: 402 });
    assert(server.log.some((l) => / 503 .*database unavailable/.test(l)), "503s were logged");
  } finally {
    await server?.stop();
    await cluster.destroy();
    await box.cleanup();
  }
});
