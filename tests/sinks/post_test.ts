import { assert, assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { ReportHub } from "../../sinks/hub.ts";
import { CHALK_VERSION } from "../../internal/version.ts";
import { RecordingLog, reportMessage, sha256Hex, sinkConfig } from "./_support.ts";
import { TestServer } from "../server/_server.ts";

Deno.test("post sink sends the body and every core header", async () => {
  const server = new TestServer();
  await server.start();
  try {
    const log = new RecordingLog();
    const config = sinkConfig("http_out", "post", {
      uri: server.url,
      headers: { "X-Custom": "kept", "X-Chalk-Version": "user-value-overridden" },
    });
    const hub = new ReportHub([config], log);
    hub.subscribe("report", "http_out");
    // Non-ASCII text makes byte length and character length differ.
    const message = reportMessage({
      _OPERATION: "insert",
      _ACTION_ID: "A1B2C3",
      note: "héllo ✓",
    });
    const outcome = await hub.publish("report", message);
    await hub.close();
    assertEquals(outcome, { delivered: ["http_out"], failed: [] });
    assertStrictEquals(server.received.length, 1);
    const got = server.received[0];
    assertStrictEquals(got.method, "POST");
    assertStrictEquals(got.path, "/report");
    assertStrictEquals(got.body, message);
    const h = got.headers;
    assertStrictEquals(h.get("content-type"), "application/json");
    assertStrictEquals(h.get("x-custom"), "kept");
    assertStrictEquals(h.get("x-chalk-version"), CHALK_VERSION);
    assertStrictEquals(h.get("x-chalk-operation"), "insert");
    assertStrictEquals(h.get("x-chalk-action-id"), "A1B2C3");
    assertStrictEquals(h.get("x-content-length"), String(new TextEncoder().encode(message).length));
    assert(new TextEncoder().encode(message).length > message.length);
    assertStrictEquals(h.get("x-chalk-digest-sha256"), await sha256Hex(message));
    assertStrictEquals(h.get("x-chalk-attempt"), "1");
    assertEquals(log.lines, ["info: Post 200 OK (sink conf='http_out')"]);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink uses content_type and on_write_msg", async () => {
  const server = new TestServer();
  server.responder = () => new Response(null, { status: 201 });
  await server.start();
  try {
    const log = new RecordingLog();
    const config = sinkConfig("o", "post", { uri: server.url, content_type: "text/plain" }, {
      onWriteMsg: "sent it",
    });
    const hub = new ReportHub([config], log);
    hub.subscribe("report", "o");
    await hub.publish("report", reportMessage({ _OPERATION: "extract" }));
    await hub.close();
    assertStrictEquals(server.received[0].headers.get("content-type"), "text/plain");
    assertStrictEquals(server.received[0].headers.get("x-chalk-action-id"), null);
    assertEquals(log.lines, ["info: sent it"]);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink retries a 500 twice with 100 and 200 ms backoff", async () => {
  const server = new TestServer();
  const at: number[] = [];
  server.responder = () => {
    at.push(performance.now());
    return new Response("no", { status: at.length < 3 ? 500 : 201 });
  };
  await server.start();
  try {
    const log = new RecordingLog();
    const hub = new ReportHub([sinkConfig("o", "post", { uri: server.url })], log);
    hub.subscribe("report", "o");
    const outcome = await hub.publish("report", reportMessage({ _OPERATION: "insert" }));
    await hub.close();
    assertEquals(outcome.delivered, ["o"]);
    assertEquals(server.received.map((r) => r.headers.get("x-chalk-attempt")), ["1", "2", "3"]);
    assert(at[1] - at[0] >= 95, `first backoff ${at[1] - at[0]} ms`);
    assert(at[2] - at[1] >= 195, `second backoff ${at[2] - at[1]} ms`);
    assertEquals(log.lines, ["info: Post 201 Created (sink conf='o')"]);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink gives up after 3 attempts on 500 and records the failure", async () => {
  const server = new TestServer();
  server.responder = () => new Response("down", { status: 500 });
  await server.start();
  try {
    const log = new RecordingLog();
    const hub = new ReportHub([sinkConfig("o", "post", { uri: server.url })], log);
    hub.subscribe("report", "o");
    const outcome = await hub.publish("report", reportMessage({ _OPERATION: "insert" }));
    await hub.close();
    assertStrictEquals(server.received.length, 3);
    assertStrictEquals(outcome.failed.length, 1);
    assert(outcome.failed[0].reason.includes("HTTP 500 Internal Server Error (3 attempts)"));
    assertStrictEquals(log.count("error", "(sink conf='o')"), 1);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink does not retry a 404 and disables the sink", async () => {
  const server = new TestServer();
  server.responder = () => new Response("nope", { status: 404 });
  await server.start();
  try {
    const log = new RecordingLog();
    const hub = new ReportHub([sinkConfig("o", "post", { uri: server.url })], log);
    hub.subscribe("report", "o");
    await hub.publish("report", reportMessage({ n: 1 }));
    const second = await hub.publish("report", reportMessage({ n: 2 }));
    await hub.close();
    assertStrictEquals(server.received.length, 1);
    assert(hub.disabledReason("o")?.includes("HTTP 404 Not Found"));
    assertStrictEquals(second.failed.length, 1);
    assertStrictEquals(log.count("warn", "sink 'o' disabled: "), 1);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink retries a 429", async () => {
  const server = new TestServer();
  server.responder = () =>
    new Response("slow down", { status: server.received.length < 2 ? 429 : 200 });
  await server.start();
  try {
    const hub = new ReportHub([sinkConfig("o", "post", { uri: server.url })], new RecordingLog());
    hub.subscribe("report", "o");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assertEquals(outcome.delivered, ["o"]);
    assertStrictEquals(server.received.length, 2);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink disables after disable_after_errors consecutive failures", async () => {
  const server = new TestServer();
  server.responder = () => new Response("x", { status: 503 });
  await server.start();
  try {
    const log = new RecordingLog();
    const config = sinkConfig("o", "post", { uri: server.url, disable_after_errors: 2n });
    const hub = new ReportHub([config], log);
    hub.subscribe("report", "o");
    await hub.publish("report", reportMessage({ n: 1 }));
    assertStrictEquals(hub.disabledReason("o"), undefined);
    await hub.publish("report", reportMessage({ n: 2 }));
    await hub.publish("report", reportMessage({ n: 3 }));
    await hub.close();
    assertStrictEquals(server.received.length, 6);
    assert(hub.disabledReason("o") !== undefined);
    assertStrictEquals(log.count("warn", "sink 'o' disabled after 2 consecutive failures"), 1);
    // One failure line, then the disabling line: no line per publish.
    assertStrictEquals(log.lines.length, 2);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink times out a slow server per attempt", async () => {
  const server = new TestServer();
  server.responder = async () => {
    await new Promise((r) => setTimeout(r, 400));
    return new Response("late");
  };
  await server.start();
  try {
    const hub = new ReportHub(
      [sinkConfig("o", "post", { uri: server.url, timeout: 100n })],
      new RecordingLog(),
    );
    hub.subscribe("report", "o");
    const started = performance.now();
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    const took = performance.now() - started;
    await hub.close();
    assertStrictEquals(outcome.failed.length, 1);
    assert(outcome.failed[0].reason.includes("timed out"), outcome.failed[0].reason);
    // Three attempts of 100 ms plus 300 ms of backoff; the 400 ms responses are never awaited.
    assert(took < 3000, `took ${took} ms`);
    assertStrictEquals(server.received.length, 3);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink rejects http:// when disallow_http is set", async () => {
  const log = new RecordingLog();
  const config = sinkConfig("o", "post", { uri: "http://127.0.0.1:9/x", disallow_http: true });
  const hub = new ReportHub([config], log);
  hub.subscribe("report", "o");
  const outcome = await hub.publish("report", reportMessage({ n: 1 }));
  await hub.close();
  assertStrictEquals(
    outcome.failed[0].reason,
    "sink config 'o': 'uri' http:// URLs not allowed (only https).",
  );
});

Deno.test("post sink follows a 307 redirect with the same body", async () => {
  const server = new TestServer();
  server.responder = (req) =>
    req.path === "/report"
      ? new Response(null, { status: 307, headers: { Location: "/final" } })
      : new Response("stored");
  await server.start();
  try {
    const hub = new ReportHub([sinkConfig("o", "post", { uri: server.url })], new RecordingLog());
    hub.subscribe("report", "o");
    const message = reportMessage({ n: 1 });
    assertEquals((await hub.publish("report", message)).delivered, ["o"]);
    await hub.close();
    assertEquals(server.received.map((r) => [r.method, r.path, r.body]), [
      ["POST", "/report", message],
      ["POST", "/final", message],
    ]);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink sends its auth_config's Authorization over a user's own header", async () => {
  const server = new TestServer();
  await server.start();
  try {
    const config = sinkConfig(
      "o",
      "post",
      { uri: server.url, auth: "api", headers: { Authorization: "user's", "X-Custom": "kept" } },
      { auth: { header: "Bearer t0ken" } },
    );
    const hub = new ReportHub([config], new RecordingLog());
    hub.subscribe("report", "o");
    assertEquals((await hub.publish("report", reportMessage({ n: 1 }))).delivered, ["o"]);
    await hub.close();
    assertStrictEquals(server.received[0].headers.get("authorization"), "Bearer t0ken");
    assertStrictEquals(server.received[0].headers.get("x-custom"), "kept");
  } finally {
    await server.stop();
  }
});

Deno.test("post sink leaves credentials behind on a redirect to another origin", async () => {
  const other = new TestServer();
  await other.start();
  const server = new TestServer();
  server.responder = (req) =>
    req.path === "/report"
      ? new Response(null, { status: 307, headers: { Location: "/same" } })
      : new Response(null, { status: 308, headers: { Location: `${other.url}-elsewhere` } });
  await server.start();
  try {
    const headers = { Authorization: "Basic c2VjcmV0", Cookie: "s=1", "X-Custom": "kept" };
    const config = sinkConfig("o", "post", { uri: server.url, auth: "api", headers }, {
      auth: { header: "Bearer t0ken" },
    });
    const hub = new ReportHub([config], new RecordingLog());
    hub.subscribe("report", "o");
    assertEquals((await hub.publish("report", reportMessage({ n: 1 }))).delivered, ["o"]);
    await hub.close();
    // Same origin (127.0.0.1:port): the credentials still go.
    assertEquals(server.received.map((r) => [r.path, r.headers.get("authorization")]), [
      ["/report", "Bearer t0ken"],
      ["/same", "Bearer t0ken"],
    ]);
    assertStrictEquals(server.received[1].headers.get("cookie"), "s=1");
    // Another port is another origin: the report goes, its credentials do not.
    assertStrictEquals(other.received.length, 1);
    const moved = other.received[0];
    assertStrictEquals(moved.path, "/report-elsewhere");
    assertStrictEquals(moved.headers.get("authorization"), null);
    assertStrictEquals(moved.headers.get("cookie"), null);
    assertStrictEquals(moved.headers.get("x-custom"), "kept");
    assertStrictEquals(moved.body, server.received[0].body);
  } finally {
    await server.stop();
    await other.stop();
  }
});

Deno.test("post sink refuses a redirect to a URL that is not http(s)", async () => {
  const server = new TestServer();
  server.responder = () =>
    new Response(null, { status: 307, headers: { Location: "file:///etc/hostname" } });
  await server.start();
  try {
    const hub = new ReportHub([sinkConfig("o", "post", { uri: server.url })], new RecordingLog());
    hub.subscribe("report", "o");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assertEquals(outcome.delivered, []);
    assertMatch(outcome.failed[0].reason, /refused a redirect to a file URL/);
    assertStrictEquals(server.received.length, 1);
  } finally {
    await server.stop();
  }
});
