/**
 * `--cert`/`--key`: the server speaks HTTPS with a certificate generated at test time.
 */

import { assertMatch, assertRejects, assertStrictEquals } from "../_assert.ts";
import { execReport, newArtifact } from "./_reports.ts";
import { startServer } from "./_server.ts";

async function selfSignedCert(dir: string): Promise<{ cert: string; key: string }> {
  const cert = `${dir}/cert.pem`;
  const key = `${dir}/key.pem`;
  const out = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      key,
      "-out",
      cert,
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assertStrictEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  return { cert, key };
}

Deno.test("server with --cert/--key serves HTTPS that verifies against the certificate", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_server_tls_" });
  try {
    const { cert, key } = await selfSignedCert(dir);
    const server = await startServer({ dir, args: ["--cert", cert, "--key", key] });
    const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(cert)] });
    try {
      assertMatch(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const post = await fetch(`${server.url}/report`, {
        method: "POST",
        body: `[${execReport(newArtifact())}]`,
        client,
      });
      assertStrictEquals(post.status, 200);
      assertStrictEquals((await post.json()).stored, 1);
      const execs = await fetch(`${server.url}/execs`, { client });
      assertStrictEquals((await execs.json()).length, 1);
      // Plain HTTP on the TLS port does not get an answer from the API.
      const plain = server.url.replace("https:", "http:");
      await assertRejects(async () => {
        const r = await fetch(`${plain}/health`);
        await r.body?.cancel();
      });
    } finally {
      client.close();
      await server.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("server main exits 1 with one line when the certificate file is missing", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../../server/main.ts", import.meta.url).pathname,
      "--port",
      "0",
      "--db",
      ":memory:",
      "--cert",
      "/nonexistent.pem",
      "--key",
      "/nonexistent.key",
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertStrictEquals(out.code, 1);
  assertMatch(stderr, /^chalk server: cannot read certificate or key/);
  assertStrictEquals(stderr.trim().split("\n").length, 1);
});
