/**
 * The report server over HTTPS with a certificate made the common way
 * (`openssl req -x509`, which sets `CA:TRUE`), pinned in chalk's `post` sink
 * configuration: `chalk insert` delivers, nothing is cached.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { must, sandbox } from "./_chalk.ts";
import { startServer } from "../server/_server.ts";
import { selfSignedCert } from "../_tls.ts";

Deno.test("chalk posts over HTTPS to a server whose pinned certificate is CA:TRUE", async () => {
  const sb = await sandbox();
  // openssl req -x509's default: a CA certificate.
  const { certFile: cert, keyFile: key } = await selfSignedCert(sb.work, true);
  assertMatch(await must("openssl", ["x509", "-in", cert, "-noout", "-text"]), /CA:TRUE/);
  const server = await startServer({ args: ["--cert", cert, "--key", key] });
  try {
    const config = join(sb.work, "https.c4m");
    await Deno.writeTextFile(
      config,
      `sink_config tls_server {
  sink: "post"
  uri: "${server.url}/report"
  pinned_cert_file: "${cert}"
}
subscribe("report", "tls_server")
unsubscribe("report", "default_out")
`,
    );
    await Deno.writeTextFile(join(sb.work, "s.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const r = await sb.chalk(["--config-file", config, "insert", "s.sh"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /Post 200 OK \(sink conf='tls_server'\)/);
    let cached = true;
    await Deno.stat(join(sb.work, "chalk-reports.jsonl")).catch(() => cached = false);
    assert(!cached, "the report was cached instead of delivered");
    // The server has it (read with curl, which takes the certificate as its CA).
    const chalks = JSON.parse(
      await must("curl", ["-sf", "--cacert", cert, `${server.url}/chalks`]),
    );
    const chalkId = JSON.parse(r.stdout)[0]._CHALKS[0].CHALK_ID;
    assert(chalks.some((c: Record<string, unknown>) => c.CHALK_ID === chalkId), "stored");
  } finally {
    await server.stop();
    await sb.cleanup();
  }
});
