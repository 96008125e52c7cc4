/**
 * docker/unix_http_get.ts against small servers on a unix socket: the engine's plain answer, and
 * every answer chalk must not trust (so that the docker CLI is asked instead).
 */
import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import { parseResponse, unixHttpGet } from "../../docker/unix_http_get.ts";

/** Serves one connection on a fresh unix socket with `answer` (raw bytes), then stops. */
async function withServer(
  answer: (request: string) => string | undefined,
  fn: (socket: string, requests: string[]) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-unix-http-" });
  const socket = join(dir, "engine.sock");
  const listener = Deno.listen({ transport: "unix", path: socket });
  const requests: string[] = [];
  const serving = (async () => {
    for await (const conn of listener) {
      const buf = new Uint8Array(4096);
      const n = await conn.read(buf) ?? 0;
      const request = new TextDecoder().decode(buf.subarray(0, n));
      requests.push(request);
      const reply = answer(request);
      if (reply === undefined) {
        // Never answers: the client's timeout must end the wait.
        await new Promise((r) => setTimeout(r, 400));
      } else {
        await conn.write(new TextEncoder().encode(reply)).catch(() => {});
      }
      try {
        conn.close();
      } catch { /* closed by the client */ }
    }
  })();
  try {
    await fn(socket, requests);
  } finally {
    listener.close();
    await serving.catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
}

const text = (b: Uint8Array | undefined) => b && new TextDecoder().decode(b);

Deno.test("unixHttpGet sends an HTTP/1.0 GET and reads the answer to the end", () =>
  withServer(
    () =>
      'HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"Id":"x1"}',
    async (socket, requests) => {
      const r = await unixHttpGet(socket, "/images/abc/json");
      assertEquals([r?.status, text(r?.body)], [200, '{"Id":"x1"}']);
      assertEquals(requests[0].split("\r\n")[0], "GET /images/abc/json HTTP/1.0");
    },
  ));

Deno.test("unixHttpGet gives up on no socket, a silent server, and a truncated answer", async () => {
  assertEquals(await unixHttpGet("/nonexistent/engine.sock", "/x"), undefined);
  await withServer(() => undefined, async (socket) => {
    assertEquals(await unixHttpGet(socket, "/x", 100), undefined);
  });
  await withServer(
    () => 'HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{"Id":',
    async (socket) => assertEquals(await unixHttpGet(socket, "/x"), undefined),
  );
});

Deno.test("parseResponse refuses what chalk would have to decode or cannot read", () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  assertEquals(parseResponse(bytes("HTTP/1.1 404 Not Found\r\n\r\n"))?.status, 404);
  assertEquals(
    parseResponse(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n")),
    undefined,
  );
  assertEquals(parseResponse(bytes("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n{}")), undefined);
  assertEquals(parseResponse(bytes("SSH-2.0-OpenSSH\r\n\r\n")), undefined);
  assertEquals(parseResponse(bytes("HTTP/1.1 200 OK\r\nContent-Length: 2")), undefined); // no end of headers
});
