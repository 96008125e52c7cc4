/**
 * The server's HTTP/1.1 listener over raw TCP: keep-alive with several requests on one
 * connection (sent at once), chunked bodies, 100-continue, and one-line answers to malformed
 * heads (400, 431, 505) after which the connection is closed.
 */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "../../_assert.ts";
import { ConnReader } from "../../../server/http1/conn_reader.ts";
import { serveHttp1 } from "../../../server/http1/serve_http1.ts";

const encoder = new TextEncoder();

function echoServer() {
  return serveHttp1({
    host: "127.0.0.1",
    port: 0,
    tls: null,
    limits: { maxConnections: 50, headerTimeoutMs: 2000, bodyTimeoutMs: 2000 },
    log: () => {},
  }, async (request) => {
    const body = request.body === null ? "" : await request.text();
    const url = new URL(request.url);
    return {
      response: new Response(`${request.method} ${url.pathname} ${body.length}:${body}`),
      aborted: false,
    };
  });
}

/** Sends `raw` on a fresh connection and reads until the server closes it or `ms` pass. */
async function exchange(port: number, raw: string, ms = 1500): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(raw));
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  const timer = setTimeout(() => conn.close(), ms);
  try {
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await conn.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
    }
  } catch {
    /* closed by the timer */
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* closed */ }
  }
  return new TextDecoder().decode(await new Blob(chunks).bytes());
}

Deno.test("serveHttp1 answers pipelined keep-alive requests in order and closes on Connection: close", async () => {
  const server = echoServer();
  try {
    const out = await exchange(
      server.port,
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n" +
        "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
        "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    const bodies = [...out.matchAll(/\r\n\r\n((?:GET|POST) \/\w [^\n]*?)(?=HTTP\/1\.1|$)/g)].map((
      m,
    ) => m[1]);
    assertEquals(bodies, ["GET /a 0:", "POST /b 5:hello", "GET /c 0:"]);
    assertMatch(out, /connection: close\r\n/);
    assertStrictEquals((out.match(/HTTP\/1\.1 200 OK/g) ?? []).length, 3);
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveHttp1 answers HEAD with GET's Content-Length and no body, keeping the connection in step", async () => {
  const server = echoServer();
  try {
    const out = await exchange(
      server.port,
      "HEAD /abc HTTP/1.1\r\nHost: x\r\n\r\n" +
        "GET /abc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    // The handler saw HEAD, so it would answer "HEAD /abc 0:" (12 bytes) to a GET of it.
    const answers = out.split(/(?=HTTP\/1\.1 )/);
    assertStrictEquals(answers.length, 2, out);
    assertMatch(answers[0], /\r\ncontent-length: 12\r\n/);
    assert(answers[0].endsWith("\r\n\r\n"), `no body after the HEAD answer: ${answers[0]}`);
    assertMatch(answers[1], /\r\ncontent-length: 11\r\n[^]*\r\n\r\nGET \/abc 0:$/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveHttp1 reads chunked bodies and answers 100-continue", async () => {
  const server = echoServer();
  try {
    const chunked = await exchange(
      server.port,
      "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
        "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: y\r\n\r\n",
    );
    assertMatch(chunked, /POST \/c 12:hello, world$/);
    const expect = await exchange(
      server.port,
      "PUT /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n" +
        "Connection: close\r\n\r\nok",
    );
    assert(expect.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK"), expect);
  } finally {
    await server.shutdown();
  }
});

Deno.test("serveHttp1 refuses malformed heads with one JSON line and closes", async () => {
  const server = echoServer();
  try {
    const cases: [string, RegExp][] = [
      ["NOT A REQUEST\r\n\r\n", /^HTTP\/1\.1 400 .*malformed request line/s],
      ["GET / HTTP/2.0\r\n\r\n", /^HTTP\/1\.1 505 .*not supported/s],
      ["GET / HTTP/1.1\r\nBad Header\r\n\r\n", /^HTTP\/1\.1 400 .*malformed header line/s],
      ["GET / HTTP/1.1\r\nX: " + "a".repeat(20000) + "\r\n\r\n", /^HTTP\/1\.1 431 /s],
      [
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
        /^HTTP\/1\.1 400 .*both Content-Length and Transfer-Encoding/s,
      ],
      ["POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", /^HTTP\/1\.1 501 /s],
      ["GET / HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody", /^HTTP\/1\.1 400 .*GET with a body/s],
    ];
    for (const [raw, expected] of cases) {
      const out = await exchange(server.port, raw);
      assertMatch(out, expected, `${raw.slice(0, 40)} => ${out.slice(0, 200)}`);
      assertMatch(out, /connection: close\r\n/);
      assertMatch(out, /\{"error":"[^"\n]+"\}\n$/);
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("ConnReader finds heads split across reads of one byte", async () => {
  const text = "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\n\r\n";
  const bytes = encoder.encode(text);
  let at = 0;
  const reader = new ConnReader({
    read(p: Uint8Array): Promise<number | null> {
      if (at >= bytes.length) return Promise.resolve(null);
      p[0] = bytes[at++];
      return Promise.resolve(1);
    },
  });
  const first = await reader.readHead(1024);
  const second = await reader.readHead(1024);
  assertEquals(new TextDecoder().decode(first!), "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  assertEquals(new TextDecoder().decode(second!), "GET /2 HTTP/1.1\r\n\r\n");
  assertStrictEquals(await reader.readHead(1024), null);
});
