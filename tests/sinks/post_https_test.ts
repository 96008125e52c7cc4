import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { ReportHub } from "../../sinks/hub.ts";
import { RecordingLog, reportMessage, sinkConfig, tempDir } from "./_support.ts";
import { TestServer } from "../server/_server.ts";
import { selfSignedCert } from "../_tls.ts";

Deno.test("post sink delivers over HTTPS with pinned_cert_file", async () => {
  await using dir = await tempDir();
  const tls = await selfSignedCert(dir.path);
  const server = new TestServer({ cert: tls.cert, key: tls.key });
  await server.start();
  try {
    const log = new RecordingLog();
    const config = sinkConfig("tls_out", "post", {
      uri: server.url,
      pinned_cert_file: tls.certFile,
    });
    const hub = new ReportHub([config], log);
    hub.subscribe("report", "tls_out");
    const message = reportMessage({ _OPERATION: "insert", n: 7 });
    const outcome = await hub.publish("report", message);
    await hub.close();
    assertEquals(outcome.delivered, ["tls_out"]);
    assertStrictEquals(server.received[0].body, message);
    assertEquals(log.lines, ["info: Post 200 OK (sink conf='tls_out')"]);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink accepts the certificate as pinned_cert text", async () => {
  await using dir = await tempDir();
  const tls = await selfSignedCert(dir.path);
  const server = new TestServer({ cert: tls.cert, key: tls.key });
  await server.start();
  try {
    const hub = new ReportHub(
      [sinkConfig("o", "post", { uri: server.url, pinned_cert: tls.cert })],
      new RecordingLog(),
    );
    hub.subscribe("report", "o");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assertEquals(outcome.delivered, ["o"]);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink refuses an HTTPS server whose certificate is not pinned", async () => {
  await using dir = await tempDir();
  const tls = await selfSignedCert(dir.path);
  const other = await selfSignedCert(await Deno.makeTempDir({ dir: dir.path }));
  const server = new TestServer({ cert: tls.cert, key: tls.key });
  await server.start();
  try {
    for (const params of [{}, { pinned_cert_file: other.certFile }]) {
      const hub = new ReportHub(
        [sinkConfig("o", "post", { uri: server.url, ...params })],
        new RecordingLog(),
      );
      hub.subscribe("report", "o");
      const outcome = await hub.publish("report", reportMessage({ n: 1 }));
      await hub.close();
      assertStrictEquals(outcome.failed.length, 1);
      assert(
        /certificate|UnknownIssuer|BadSignature/i.test(outcome.failed[0].reason),
        outcome.failed[0].reason,
      );
    }
    assertStrictEquals(server.received.length, 0);
  } finally {
    await server.stop();
  }
});

Deno.test("post sink delivers to a server whose own certificate (CA:TRUE, openssl's default) is pinned", async () => {
  await using dir = await tempDir();
  const tls = await selfSignedCert(dir.path, true);
  const text = new TextDecoder().decode(
    (await new Deno.Command("openssl", {
      args: ["x509", "-in", tls.certFile, "-noout", "-text"],
      stdout: "piped",
    }).output()).stdout,
  );
  assert(/CA:TRUE/.test(text), "openssl req -x509 makes a CA certificate");
  const server = new TestServer({ cert: tls.cert, key: tls.key });
  await server.start();
  try {
    for (const params of [{ pinned_cert_file: tls.certFile }, { pinned_cert: tls.cert }]) {
      const log = new RecordingLog();
      const hub = new ReportHub([sinkConfig("ca", "post", { uri: server.url, ...params })], log);
      hub.subscribe("report", "ca");
      // Twice: the second report goes the same way as the first.
      for (const n of [1, 2]) {
        const message = reportMessage({ _OPERATION: "insert", n });
        const outcome = await hub.publish("report", message);
        assertEquals(outcome.delivered, ["ca"], JSON.stringify(outcome.failed));
        assertStrictEquals(server.received.at(-1)?.body, message);
      }
      await hub.close();
      assertEquals(log.lines, [
        "info: Post 200 OK (sink conf='ca')",
        "info: Post 200 OK (sink conf='ca')",
      ]);
    }
    // Chalk's core headers went along.
    assertEquals(server.received[0].headers.get("x-chalk-operation"), "insert");
    assert(server.received[0].headers.get("x-chalk-digest-sha256"), "core headers sent");
  } finally {
    await server.stop();
  }
});

Deno.test("post sink sends nothing to a server presenting another CA:TRUE certificate", async () => {
  await using dir = await tempDir();
  const tls = await selfSignedCert(dir.path, true);
  const other = await selfSignedCert(await Deno.makeTempDir({ dir: dir.path }), true);
  const server = new TestServer({ cert: tls.cert, key: tls.key });
  await server.start();
  try {
    const hub = new ReportHub(
      [sinkConfig("o", "post", { uri: server.url, pinned_cert_file: other.certFile })],
      new RecordingLog(),
    );
    hub.subscribe("report", "o");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assertStrictEquals(outcome.failed.length, 1);
    assert(/certificate/i.test(outcome.failed[0].reason), outcome.failed[0].reason);
    assertStrictEquals(server.received.length, 0);
  } finally {
    await server.stop();
  }
});
