import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { ReportHub } from "../../sinks/hub.ts";
import { RecordingLog, reportMessage, sha256Hex, sinkConfig } from "./_support.ts";
import { TestServer } from "../server/_server.ts";

function presignServer(
  location: (port: number) => string | undefined,
  uploadStatus = 200,
): TestServer {
  const server = new TestServer();
  server.responder = (req) => {
    if (req.path === "/report") {
      const headers = new Headers({
        "x-forward-headers": "x-amz-meta-run, X-Upload-Token",
        "x-amz-meta-run": "r-42",
        "X-Upload-Token": "tok-1",
        "X-Not-Forwarded": "no",
      });
      const loc = location(server.port);
      if (loc !== undefined) headers.set("Location", loc);
      return new Response(null, { status: 307, headers });
    }
    return new Response(null, { status: uploadStatus });
  };
  return server;
}

Deno.test("presign sink asks for a URL without the body, then uploads there", async () => {
  const server = presignServer((port) => `http://127.0.0.1:${port}/upload/obj?X-Sig=abc`);
  await server.start();
  try {
    const log = new RecordingLog();
    const hub = new ReportHub([sinkConfig("ps", "presign", { uri: server.url })], log);
    hub.subscribe("report", "ps");
    const message = reportMessage({ _OPERATION: "build", _ACTION_ID: "AID" });
    assertEquals((await hub.publish("report", message)).delivered, ["ps"]);
    await hub.close();
    assertStrictEquals(server.received.length, 2);
    const [ask, upload] = server.received;
    assertStrictEquals(ask.method, "PUT");
    assertStrictEquals(ask.body, "");
    assertStrictEquals(ask.headers.get("x-chalk-digest-sha256"), await sha256Hex(message));
    assertStrictEquals(
      ask.headers.get("x-content-length"),
      String(new TextEncoder().encode(message).length),
    );
    assertStrictEquals(ask.headers.get("x-chalk-operation"), "build");
    assertStrictEquals(ask.headers.get("x-chalk-action-id"), "AID");
    assertStrictEquals(ask.headers.get("x-chalk-attempt"), "1");
    assertStrictEquals(upload.method, "PUT");
    assertStrictEquals(upload.path, "/upload/obj");
    assertStrictEquals(upload.body, message);
    assertStrictEquals(upload.headers.get("x-amz-meta-run"), "r-42");
    assertStrictEquals(upload.headers.get("x-upload-token"), "tok-1");
    assertStrictEquals(upload.headers.get("x-not-forwarded"), null);
    assertEquals(log.lines, ["info: Presign 200 OK (sink conf='ps')"]);
  } finally {
    await server.stop();
  }
});

Deno.test("presign sink treats a relative Location as a hard error", async () => {
  const server = presignServer(() => "/upload/relative");
  await server.start();
  try {
    const hub = new ReportHub(
      [sinkConfig("ps", "presign", { uri: server.url })],
      new RecordingLog(),
    );
    hub.subscribe("report", "ps");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assert(outcome.failed[0].reason.includes("no absolute Location"), outcome.failed[0].reason);
    assertStrictEquals(server.received.length, 1);
    assert(hub.disabledReason("ps") !== undefined);
  } finally {
    await server.stop();
  }
});

Deno.test("presign sink treats upload errors as soft: the sink stays enabled", async () => {
  const server = presignServer((port) => `http://127.0.0.1:${port}/upload/x`, 403);
  await server.start();
  try {
    const hub = new ReportHub(
      [sinkConfig("ps", "presign", { uri: server.url })],
      new RecordingLog(),
    );
    hub.subscribe("report", "ps");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assertStrictEquals(outcome.failed.length, 1);
    // The 403 on the upload is not retried in place, but does not disable the sink.
    assertStrictEquals(hub.disabledReason("ps"), undefined);
    assertEquals(server.received.map((r) => r.path), ["/report", "/upload/x"]);
  } finally {
    await server.stop();
  }
});
