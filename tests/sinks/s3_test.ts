import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { AwsClient } from "aws4fetch";
import { ReportHub } from "../../sinks/hub.ts";
import { s3ObjectKey } from "../../sinks/_s3_key.ts";
import { s3Region } from "../../sinks/s3.ts";
import { fromFileUrl } from "./_paths.ts";
import { RecordingLog, reportMessage, sinkConfig } from "./_support.ts";
import { startS3rver, TestServer } from "../server/_server.ts";

const BUCKET = "chalk-bucket";
const REFERENCE = fromFileUrl(new URL("./_botocore_sigv4.py", import.meta.url));
// s3rver's built-in account.
const KEY = "S3RVER";
const SECRET = "S3RVER";

const reader = new AwsClient({
  accessKeyId: KEY,
  secretAccessKey: SECRET,
  service: "s3",
  region: "us-east-1",
});

async function listKeys(endpoint: string, prefix: string): Promise<string[]> {
  const res = await reader.fetch(
    `${endpoint}/${BUCKET}?list-type=2&prefix=${encodeURIComponent(prefix)}`,
  );
  const xml = await res.text();
  assertStrictEquals(res.status, 200, xml);
  return [...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]).sort();
}

async function getObject(endpoint: string, key: string): Promise<string> {
  const res = await reader.fetch(`${endpoint}/${BUCKET}/${key}`);
  const body = await res.text();
  assertStrictEquals(res.status, 200, body);
  return body;
}

Deno.test("s3ObjectKey names objects <ms>-<26 base32v chars>[-extra]-<name> under the prefix", () => {
  const loc = { bucket: "b", dir: "a/b/", name: "chalk.json" };
  assertStrictEquals(
    s3ObjectKey(loc, "", 1700000000123, new Uint8Array(16).fill(0xff)),
    `a/b/1700000000123-${"Z".repeat(25)}W-chalk.json`,
  );
  assertStrictEquals(
    s3ObjectKey({ ...loc, dir: "" }, "ci", 5, new Uint8Array(16)),
    `5-${"0".repeat(26)}-ci-chalk.json`,
  );
});

Deno.test({
  name: "s3 sink uploads each report as an object that reads back identical",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using store = await startS3rver(BUCKET);
    const log = new RecordingLog();
    const config = sinkConfig("s3_out", "s3", {
      uri: `s3://${BUCKET}/reports/ci/chalk.json`,
      uid: KEY,
      secret: SECRET,
      region: "us-east-1",
      extra: "build7",
      endpoint: store.url,
    });
    const hub = new ReportHub([config], log);
    hub.subscribe("report", "s3_out");
    const before = Date.now();
    const messages = [1, 2, 3].map((n) => reportMessage({ _OPERATION: "insert", n, text: "✓" }));
    for (const m of messages) {
      assertEquals((await hub.publish("report", m)).delivered, ["s3_out"]);
    }
    await hub.close();
    const after = Date.now();
    const keys = await listKeys(store.url, "reports/ci/");
    assertStrictEquals(keys.length, 3);
    const bodies = [];
    for (const key of keys) {
      const m = /^reports\/ci\/(\d{13})-([0-9A-Z]{26})-build7-chalk\.json$/.exec(key);
      assert(m, key);
      assert(Number(m[1]) >= before && Number(m[1]) <= after);
      bodies.push(await getObject(store.url, key));
    }
    assertEquals(bodies.sort(), [...messages].sort());
    assertEquals(
      log.lines.map((l) => l.replace(/\/[^/]*chalk\.json;/, "/<key>;")),
      Array(3).fill(
        `info: Post to: s3://${BUCKET}/reports/ci/<key>; response = 200 OK (sink conf='s3_out')`,
      ),
    );
  },
});

Deno.test({
  name: "s3 sink explains a 403 with bucket, region and credential source, never the secret",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using store = await startS3rver(BUCKET);
    const secret = "not-the-secret-Xq93kd";
    const token = "session-token-Zp01ww";
    const log = new RecordingLog();
    const config = sinkConfig("s3_out", "s3", {
      uri: `s3://${BUCKET}/r/chalk.json`,
      // s3rver checks the access key but not V4 signatures: an unknown key gets the 403.
      uid: "AKIAUNKNOWNKEY000000",
      secret,
      token,
      region: "eu-west-3",
      endpoint: store.url,
    });
    const hub = new ReportHub([config], log);
    hub.subscribe("report", "s3_out");
    const outcome = await hub.publish("report", reportMessage({ n: 1 }));
    await hub.close();
    assertStrictEquals(outcome.failed.length, 1);
    const reason = outcome.failed[0].reason;
    assert(reason.includes(`bucket '${BUCKET}'`), reason);
    assert(reason.includes("region 'eu-west-3'"), reason);
    assert(reason.includes("credentials from the sink config"), reason);
    assert(reason.includes("HTTP 403"), reason);
    assert(hub.disabledReason("s3_out") !== undefined, "403 is permanent");
    for (const text of [reason, log.text()]) {
      assert(!text.includes(secret) && !text.includes(token), text);
    }
    assertEquals(await listKeys(store.url, "r/"), []);
  },
});

Deno.test({
  name: "s3 sink takes credentials from the AWS environment variables",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using store = await startS3rver(BUCKET);
    const saved = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION"]
      .map((k) => [k, Deno.env.get(k)] as const);
    try {
      Deno.env.set("AWS_ACCESS_KEY_ID", KEY);
      Deno.env.set("AWS_SECRET_ACCESS_KEY", SECRET);
      Deno.env.delete("AWS_SESSION_TOKEN");
      Deno.env.set("AWS_REGION", "us-east-1");
      const ok1 = new ReportHub(
        [sinkConfig("s3_out", "s3", {
          uri: `s3://${BUCKET}/env/c.json`,
          endpoint: store.url,
        })],
        new RecordingLog(),
      );
      ok1.subscribe("report", "s3_out");
      assertEquals((await ok1.publish("report", reportMessage({ n: 1 }))).delivered, ["s3_out"]);
      await ok1.close();
      assertStrictEquals((await listKeys(store.url, "env/")).length, 1);

      Deno.env.set("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000");
      Deno.env.set("AWS_SECRET_ACCESS_KEY", "wrong-env-secret-77");
      const bad = new ReportHub(
        [sinkConfig("s3_out", "s3", {
          uri: `s3://${BUCKET}/env/c.json`,
          endpoint: store.url,
        })],
        new RecordingLog(),
      );
      bad.subscribe("report", "s3_out");
      const outcome = await bad.publish("report", reportMessage({ n: 2 }));
      await bad.close();
      const reason = outcome.failed[0].reason;
      assert(reason.includes("credentials from the environment"), reason);
      assert(reason.includes("region 'us-east-1'"), reason);
      assert(!reason.includes("wrong-env-secret-77"), reason);
    } finally {
      for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
    }
  },
});

Deno.test("s3 sink's SigV4 Authorization matches botocore's for the same request", async () => {
  const server = new TestServer();
  await server.start();
  try {
    const token = "FwoGZXIvYXdzEXAMPLETOKEN";
    const config = sinkConfig("s3_out", "s3", {
      uri: "s3://sig-bucket/dir/chalk.json",
      uid: "AKIDEXAMPLE",
      secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      token,
      region: "ap-south-1",
      endpoint: `http://127.0.0.1:${server.port}`,
    });
    const hub = new ReportHub([config], new RecordingLog());
    hub.subscribe("report", "s3_out");
    const message = reportMessage({ _OPERATION: "insert", n: 1, s: "a b/ü" });
    assertEquals((await hub.publish("report", message)).delivered, ["s3_out"]);
    await hub.close();
    const got = server.received[0];
    assertStrictEquals(got.method, "PUT");
    assertStrictEquals(got.body, message);
    const headers = Object.fromEntries(
      ["content-type", "x-amz-content-sha256"].map((h) => [h, got.headers.get(h)!]),
    );
    const spec = {
      method: "PUT",
      url: `http://127.0.0.1:${server.port}${got.path}`,
      headers,
      body: got.body,
      region: "ap-south-1",
      key: "AKIDEXAMPLE",
      secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      token,
      timestamp: got.headers.get("x-amz-date"),
    };
    const child = new Deno.Command("/usr/bin/python3", {
      args: [REFERENCE],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(spec)));
    await writer.close();
    const out = await child.output();
    assertStrictEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    const reference = new TextDecoder().decode(out.stdout).trim();
    assert(reference.startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), reference);
    assert(reference.includes("x-amz-security-token"), reference);
    assertStrictEquals(got.headers.get("authorization"), reference);
    assertStrictEquals(got.headers.get("x-amz-security-token"), token);
  } finally {
    await server.stop();
  }
});

Deno.test("s3Region prefers the config, then AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1", () => {
  const saved = ["AWS_REGION", "AWS_DEFAULT_REGION"].map((k) => [k, Deno.env.get(k)] as const);
  const bare = sinkConfig("s", "s3", { uri: "s3://b/x" });
  try {
    Deno.env.delete("AWS_REGION");
    Deno.env.delete("AWS_DEFAULT_REGION");
    assertStrictEquals(s3Region(bare), "us-east-1");
    Deno.env.set("AWS_DEFAULT_REGION", "sa-east-1");
    assertStrictEquals(s3Region(bare), "sa-east-1");
    Deno.env.set("AWS_REGION", "ca-central-1");
    assertStrictEquals(s3Region(bare), "ca-central-1");
    assertStrictEquals(
      s3Region(sinkConfig("s", "s3", { uri: "s3://b/x", region: "eu-north-1" })),
      "eu-north-1",
    );
  } finally {
    for (const [k, v] of saved) v === undefined ? Deno.env.delete(k) : Deno.env.set(k, v);
  }
});
