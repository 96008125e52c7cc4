import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { ReportHub } from "../../sinks/hub.ts";
import { ReportCache } from "../../sinks/report_cache.ts";
import { RecordingLog, reportMessage, sinkConfig, tempDir } from "./_support.ts";
import { TestServer } from "../server/_server.ts";

const PUBLISHES = 50;

/** Every report id the server received, in arrival order. */
function receivedIds(server: TestServer): number[] {
  return server.received.flatMap((r) => JSON.parse(r.body).map((x: { id: number }) => x.id));
}

function assertExactlyOnce(ids: number[], total: number): void {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  const lost = [...Array(total).keys()].filter((id) => !counts.has(id));
  const duplicated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  assertEquals({ lost, duplicated }, { lost: [], duplicated: [] });
  assertStrictEquals(ids.length, total);
}

Deno.test("report cache loses and duplicates nothing across 50 runs against a flapping sink", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const server = new TestServer();
  await server.start();
  const uri = server.url;
  let up = true;
  for (let id = 0; id < PUBLISHES; id++) {
    // Alternate: up for even runs, down (stopped, connection refused) for odd ones.
    if (id % 2 === 1 && up) {
      await server.stop();
      up = false;
    } else if (id % 2 === 0 && !up) {
      await server.start();
      up = true;
    }
    const log = new RecordingLog();
    const hub = new ReportHub([sinkConfig("flaky", "post", { uri, timeout: 500n })], log, {
      reportCache: new ReportCache(log, { path: cachePath }),
    });
    hub.subscribe("report", "flaky");
    const outcome = await hub.publishReport("report", reportMessage({ _OPERATION: "insert", id }));
    await hub.close();
    assertStrictEquals(outcome.delivered.length, up ? 1 : 0, log.text());
  }
  if (!up) await server.start();
  // The final healthy run.
  const log = new RecordingLog();
  const hub = new ReportHub([sinkConfig("flaky", "post", { uri })], log, {
    reportCache: new ReportCache(log, { path: cachePath }),
  });
  hub.subscribe("report", "flaky");
  await hub.publishReport("report", reportMessage({ _OPERATION: "insert", id: PUBLISHES }));
  await hub.close();
  await server.stop();
  assertExactlyOnce(receivedIds(server), PUBLISHES + 1);
  assert(log.lines.includes("info: Reporting cache was successfully flushed."), log.text());
  assertStrictEquals(await Deno.stat(cachePath).then(() => true, () => false), false);
});

Deno.test("hub re-sends within one run what a flapping sink missed", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const server = new TestServer();
  const accepted: number[] = [];
  // Requests whose newest report has an odd id fail on every attempt.
  server.responder = (req) => {
    const ids = JSON.parse(req.body).map((x: { id: number }) => x.id);
    if (ids[0] % 2 === 1) return new Response("", { status: 503 });
    accepted.push(...ids);
    return new Response("");
  };
  await server.start();
  try {
    const log = new RecordingLog();
    const hub = new ReportHub(
      [sinkConfig("flaky", "post", { uri: server.url, disable_after_errors: 1000n })],
      log,
      { reportCache: new ReportCache(log, { path: cachePath }) },
    );
    hub.subscribe("report", "flaky");
    for (let id = 0; id < PUBLISHES; id++) {
      await hub.publishReport("report", reportMessage({ id }));
    }
    await hub.close();
    const cachedIds = (await Deno.readTextFile(cachePath)).split("\n").filter((l) => l).map((l) =>
      JSON.parse(JSON.parse(l)["$message"])[0].id
    );
    assertEquals(cachedIds, [PUBLISHES - 1]);
    assertExactlyOnce([...accepted, ...cachedIds], PUBLISHES);
    assertStrictEquals(log.count("warn", "(sink conf='flaky')"), 1, log.text());
  } finally {
    await server.stop();
  }
});
