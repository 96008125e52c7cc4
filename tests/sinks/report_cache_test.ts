import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { chunkMessages, MAX_COMBINED_BYTES, ReportHub } from "../../sinks/hub.ts";
import {
  cacheLine,
  combineMessages,
  parseCacheLine,
  ReportCache,
} from "../../sinks/report_cache.ts";
import type { SinkConfig } from "../../sinks/sink.ts";
import { closedPort, RecordingLog, reportMessage, sinkConfig, tempDir } from "./_support.ts";
import { TestServer } from "../server/_server.ts";
import { fromFileUrl } from "./_paths.ts";

const LOCK_CHILD = fromFileUrl(new URL("./_lock_child.ts", import.meta.url));

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function cacheLines(path: string): Promise<string[]> {
  return (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");
}

/** One chalk run: a hub with the cache, one report on `report`, then the end of reporting. */
async function run(
  configs: SinkConfig[],
  cachePath: string,
  message: string,
  log = new RecordingLog(),
): Promise<RecordingLog> {
  const hub = new ReportHub(configs, log, {
    reportCache: new ReportCache(log, { path: cachePath }),
  });
  for (const c of configs) hub.subscribe("report", c.name);
  await hub.publishReport("report", message);
  await hub.close();
  return log;
}

Deno.test("cacheLine writes chalk's line shape and parseCacheLine reads it back", () => {
  const entry = { message: '[ {"a":"x\\"y"} ]\n', topic: "report", sinks: ["s1", "s2"] };
  const line = cacheLine(entry);
  assertStrictEquals(
    line,
    '{ "$message" : "[ {\\"a\\":\\"x\\\\\\"y\\"} ]\\n", "$topic" : "report", "$sinks" : ["s1", "s2"] }',
  );
  assertEquals(parseCacheLine(line), entry);
  assertStrictEquals(parseCacheLine("not json"), undefined);
});

Deno.test("combineMessages puts the new report first in one array", () => {
  assertStrictEquals(
    combineMessages(['[ {"n":3} ]\n', '[ {"n":1} ]\n', '[ {"n":2} ]']),
    '[ {"n":3}, {"n":1}, {"n":2} ]\n',
  );
});

/** A fault makes run 1 fail; run 2 against a healthy server must deliver both reports once. */
async function faultThenFlush(
  fault: (healthyPort: number) => Promise<{ url: string; stop(): Promise<void> }>,
): Promise<void> {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const healthy = new TestServer();
  healthy.port = closedPort();
  const broken = await fault(healthy.port);
  const first = reportMessage({ _OPERATION: "insert", n: 1 });
  const log1 = await run(
    [sinkConfig("http_out", "post", { uri: broken.url, timeout: 200n })],
    cachePath,
    first,
  );
  await broken.stop();
  // One line for the failed delivery: reason, sink, and where the report waits.
  assertEquals(log1.lines.length, 1, log1.text());
  assertStrictEquals(log1.count("warn", "(sink conf='http_out')"), 1, log1.text());
  assert(
    log1.lines[0].endsWith(
      `(sink conf='http_out'); report kept in ${cachePath} for the next run`,
    ),
    log1.text(),
  );
  assertEquals(await cacheLines(cachePath), [
    cacheLine({ message: first, topic: "report", sinks: ["http_out"] }),
  ]);

  await healthy.start();
  try {
    const second = reportMessage({ _OPERATION: "insert", n: 2 });
    const log2 = await run(
      [sinkConfig("http_out", "post", { uri: healthy.url })],
      cachePath,
      second,
    );
    assertStrictEquals(healthy.received.length, 1);
    assertStrictEquals(healthy.received[0].body, combineMessages([second, first]));
    assertEquals(JSON.parse(healthy.received[0].body).map((r: { n: number }) => r.n), [2, 1]);
    assert(!(await exists(cachePath)));
    assert(log2.lines.includes("info: Reporting cache was successfully flushed."), log2.text());
  } finally {
    await healthy.stop();
  }
}

Deno.test("report cache keeps a report when the server is down and flushes it later", async () => {
  await faultThenFlush((port) =>
    Promise.resolve({ url: `http://127.0.0.1:${port}/report`, stop: () => Promise.resolve() })
  );
});

Deno.test("report cache keeps a report after HTTP 500 and flushes it later", async () => {
  await faultThenFlush(async () => {
    const server = new TestServer();
    server.responder = () => new Response("boom", { status: 500 });
    await server.start();
    return { url: server.url, stop: () => server.stop() };
  });
});

Deno.test("report cache keeps a report after timeouts and flushes it later", async () => {
  await faultThenFlush(async () => {
    const server = new TestServer();
    server.responder = async () => {
      await new Promise((r) => setTimeout(r, 500));
      return new Response("late");
    };
    await server.start();
    return { url: server.url, stop: () => server.stop() };
  });
});

Deno.test("report cache keeps a report after a connection reset and flushes it later", async () => {
  await faultThenFlush(() => {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    let accepted = 0;
    const loop = (async () => {
      for await (const conn of listener) {
        accepted++;
        // Read part of the request, then drop the connection mid-request.
        await conn.read(new Uint8Array(16)).catch(() => null);
        conn.close();
      }
    })();
    return Promise.resolve({
      url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/report`,
      async stop() {
        listener.close();
        await loop.catch(() => {});
        assertStrictEquals(accepted, 3);
      },
    });
  });
});

Deno.test("report cache is not touched by file sinks or when everything is delivered", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const server = new TestServer();
  await server.start();
  try {
    await Deno.writeTextFile(`${cachePath}.x`, "");
    const log = await run(
      [
        sinkConfig("http_out", "post", { uri: server.url }),
        // A file under a regular file cannot be created: the file sink fails and is not cached.
        sinkConfig("bad_file", "file", { filename: `${cachePath}.x/sub/log` }),
      ],
      cachePath,
      reportMessage({ n: 1 }),
    );
    assertStrictEquals(server.received.length, 1);
    assertStrictEquals(
      log.count("warn", "sink 'bad_file' disabled after write failure"),
      1,
      log.text(),
    );
    assert(!(await exists(cachePath)), log.text());
  } finally {
    await server.stop();
  }
});

Deno.test("report cache re-sends only to the same sink name on the same topic", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const down = `http://127.0.0.1:${closedPort()}/report`;
  const first = reportMessage({ n: 1 });
  await run(
    [sinkConfig("a", "post", { uri: down }), sinkConfig("b", "post", { uri: down })],
    cachePath,
    first,
  );
  assertEquals(await cacheLines(cachePath), [
    cacheLine({ message: first, topic: "report", sinks: ["a", "b"] }),
  ]);
  const server = new TestServer();
  await server.start();
  try {
    // Only "b" is configured now: "a" keeps its entry, with a warning.
    const second = reportMessage({ n: 2 });
    await run([sinkConfig("b", "post", { uri: server.url })], cachePath, second);
    assertStrictEquals(server.received[0].body, combineMessages([second, first]));
    assertEquals(await cacheLines(cachePath), [
      cacheLine({ message: first, topic: "report", sinks: ["a"] }),
    ]);
    // A run with "c" only cannot retry anything: the cache is left alone and says why.
    const log = await run([sinkConfig("c", "post", { uri: server.url })], cachePath, second);
    assert(log.lines.some((l) => l.includes("identically named sink config")), log.text());
    assertEquals(await cacheLines(cachePath), [
      cacheLine({ message: first, topic: "report", sinks: ["a"] }),
    ]);
  } finally {
    await server.stop();
  }
});

Deno.test("report cache serves custom reports published to named sink configs", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const server = new TestServer();
  await server.start();
  const down = `http://127.0.0.1:${closedPort()}/report`;
  try {
    const configs = (uri: string): SinkConfig[] => [
      sinkConfig("http_out", "post", { uri }),
      sinkConfig("other", "post", { uri: server.url }),
    ];
    const publish = async (uri: string, n: number): Promise<RecordingLog> => {
      const log = new RecordingLog();
      const hub = new ReportHub(configs(uri), log, {
        reportCache: new ReportCache(log, { path: cachePath }),
      });
      // Custom reports go to their sink configs without subscriptions.
      await hub.publishReport("my_custom", reportMessage({ n }), ["http_out", "other"]);
      await hub.close();
      return log;
    };
    const log1 = await publish(down, 1);
    const warnings = log1.lines.filter((l) => l.startsWith("warn:"));
    assertEquals(warnings.length, 1, log1.text());
    assert(
      warnings[0].endsWith(`(sink conf='http_out'); report kept in ${cachePath} for the next run`),
    );
    assertEquals(await cacheLines(cachePath), [
      cacheLine({ message: reportMessage({ n: 1 }), topic: "my_custom", sinks: ["http_out"] }),
    ]);
    await publish(server.url, 2);
    assertEquals(
      server.received.map((r) => JSON.parse(r.body).map((x: { n: number }) => x.n)),
      [[1], [2, 1], [2]],
    );
    assert(!(await exists(cachePath)));
  } finally {
    await server.stop();
  }
});

Deno.test("report cache takes over a lock left by a dead process", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const dead = new Deno.Command("true").spawn();
  await dead.status;
  await Deno.writeTextFile(`${cachePath}.lock`, `${dead.pid}\n`);
  const old = reportMessage({ n: 1 });
  await Deno.writeTextFile(
    cachePath,
    cacheLine({ message: old, topic: "report", sinks: ["o"] }) + "\n",
  );
  const server = new TestServer();
  await server.start();
  try {
    const started = performance.now();
    const log = await run(
      [sinkConfig("o", "post", { uri: server.url })],
      cachePath,
      reportMessage({ n: 2 }),
    );
    assert(performance.now() - started < 5000, "did not wait for the 15 s lock timeout");
    assertEquals(JSON.parse(server.received[0].body).map((x: { n: number }) => x.n), [2, 1]);
    assert(log.lines.includes("info: Reporting cache was successfully flushed."), log.text());
    assertEquals([...Deno.readDirSync(dir.path)], []);
  } finally {
    await server.stop();
  }
});

Deno.test("a sink that keeps failing across reports (heartbeats) is told once per run, with undelivered counted", async () => {
  await using dir = await tempDir();
  const log = new RecordingLog();
  const down = `http://127.0.0.1:${closedPort()}/report`;
  const hub = new ReportHub(
    [sinkConfig("beat_out", "post", { uri: down, timeout: 200n, disable_after_errors: 10n })],
    log,
    { reportCache: new ReportCache(log, { path: `${dir.path}/chalk-reports.jsonl` }) },
  );
  hub.subscribe("report", "beat_out");
  for (let n = 0; n < 3; n++) {
    await hub.publishReport("report", reportMessage({ n }));
    await hub.finishReporting();
  }
  await hub.close();
  assertEquals(log.lines.filter((l) => l.startsWith("warn:")).length, 1, log.text());
  assertEquals(hub.undelivered().map((u) => u.sink), ["beat_out", "beat_out", "beat_out"]);
});

Deno.test("report cache never adopts a live run's journal, whatever pid its name gives", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  // A run in another container (pid namespace) on a host of the same name: its pid is absent here.
  const journal = `${cachePath}.claimed.${Deno.hostname()}.999999999`;
  await Deno.writeTextFile(
    journal,
    cacheLine({ message: reportMessage({ n: 1 }), topic: "report", sinks: ["o"] }) + "\n",
  );
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", LOCK_CHILD, "hold", `${journal}.lock`, ""],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  reader.releaseLock();
  const server = new TestServer();
  await server.start();
  try {
    await run([sinkConfig("o", "post", { uri: server.url })], cachePath, reportMessage({ n: 2 }));
    assertEquals(server.received.map((r) => JSON.parse(r.body).map((x: { n: number }) => x.n)), [
      [2],
    ]);
    assert(await exists(journal), "the live run's journal is left alone");
    child.kill("SIGKILL");
    await child.status;
    // Its run is gone: the next run adopts the journal and delivers what it owed, once.
    await run([sinkConfig("o", "post", { uri: server.url })], cachePath, reportMessage({ n: 3 }));
    assertEquals(JSON.parse(server.received[1].body).map((x: { n: number }) => x.n), [3, 1]);
    assertEquals([...Deno.readDirSync(dir.path)], []);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await server.stop();
  }
});

Deno.test("chunkMessages keeps order and packs runs of at most the limit (a larger one alone)", () => {
  assertEquals(chunkMessages(["aa", "bb", "cc", "dddddd", "e"], 5), [
    ["aa", "bb"],
    ["cc"],
    ["dddddd"],
    ["e"],
  ]);
  // Bytes, not characters: "é" is two.
  assertEquals(chunkMessages(["éé", "a"], 4), [["éé"], ["a"]]);
  assertEquals(chunkMessages([], 10), []);
});

Deno.test("a cached backlog larger than one request goes in several, the new report first", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const big = (n: number) => reportMessage({ n, pad: "x".repeat(MAX_COMBINED_BYTES * 0.6) });
  // Three reports a down server left in the cache: ~1.8 MiB together.
  const down = closedPort();
  for (const n of [1, 2, 3]) {
    await run([sinkConfig("o", "post", { uri: `http://127.0.0.1:${down}/r` })], cachePath, big(n));
  }
  assertEquals((await cacheLines(cachePath)).length, 3);
  // An endpoint that refuses bodies over 1.5 MiB, as a server's body limit does.
  const server = new TestServer();
  server.responder = (r) =>
    new Response(null, {
      status: new TextEncoder().encode(r.body).length > 1.5 * 2 ** 20 ? 413 : 200,
    });
  await server.start();
  try {
    const log = await run([sinkConfig("o", "post", { uri: server.url })], cachePath, big(4));
    const sent = server.received.map((r) =>
      (JSON.parse(r.body) as { n: number }[]).map((x) => x.n)
    );
    assertEquals(sent, [[4], [1], [2], [3]]);
    assert(server.received.every((r) => r.body.length <= MAX_COMBINED_BYTES), "each ≤ 1 MiB");
    assertEquals(await exists(cachePath), false, log.lines.join("\n"));
  } finally {
    await server.stop();
  }
});

Deno.test("cached reports a sink refuses stay cached while the new report is delivered", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const down = closedPort();
  await run(
    [sinkConfig("o", "post", { uri: `http://127.0.0.1:${down}/r` })],
    cachePath,
    reportMessage({ n: 1, pad: "x".repeat(MAX_COMBINED_BYTES) }),
  );
  const server = new TestServer();
  // The new report alone is taken; the cached one (over 1 MiB) is refused.
  server.responder = (r) =>
    new Response(null, { status: r.body.length > MAX_COMBINED_BYTES ? 413 : 200 });
  await server.start();
  try {
    const log = await run(
      [sinkConfig("o", "post", { uri: server.url })],
      cachePath,
      reportMessage({ n: 2 }),
    );
    assertEquals(server.received.length, 2);
    assertEquals((JSON.parse(server.received[0].body) as { n: number }[])[0].n, 2);
    const left = (await cacheLines(cachePath)).map((l) =>
      JSON.parse(parseCacheLine(l)!.message)[0].n
    );
    assertEquals(left, [1]);
    assert(
      log.lines.some((l) => /413.*sink conf='o'\); cached report kept for the next run$/.test(l)),
      log.lines.join("\n"),
    );
  } finally {
    await server.stop();
  }
});
