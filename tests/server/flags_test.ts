import { assertEquals, assertStrictEquals, assertThrows } from "../_assert.ts";
import { FlagError, parseServerFlags } from "../../server/flags.ts";

Deno.test("parseServerFlags has the documented defaults", () => {
  assertEquals(parseServerFlags([]), {
    port: 8585,
    host: "127.0.0.1",
    db: "./chalk-server.sqlite",
    token: null,
    cert: null,
    key: null,
    maxBody: 10 * 1024 * 1024,
    maxConnections: 1000,
    headerTimeoutMs: 10_000,
    bodyTimeoutMs: 60_000,
    staleAfterMs: 600_000,
    retain: new Map(),
    help: false,
  });
});

Deno.test("parseServerFlags reads limits, retention windows and a PostgreSQL URL", () => {
  const f = parseServerFlags([
    "--db",
    "postgres://chalk@127.0.0.1:5432/chalk",
    "--max-connections=200",
    "--header-timeout",
    "5s",
    "--body-timeout=2m",
    "--retain",
    "heartbeat=7d",
    "--retain=Exec=90d",
  ]);
  assertEquals(
    [f.db, f.maxConnections, f.headerTimeoutMs, f.bodyTimeoutMs],
    ["postgres://chalk@127.0.0.1:5432/chalk", 200, 5000, 120_000],
  );
  assertEquals([...f.retain], [["heartbeat", 7 * 86_400_000], ["exec", 90 * 86_400_000]]);
});

Deno.test("parseServerFlags reads both --flag value and --flag=value", () => {
  const f = parseServerFlags([
    "--port=0",
    "--host",
    "0.0.0.0",
    "--db=/tmp/x.sqlite",
    "--token",
    "t=1",
    "--cert",
    "c.pem",
    "--key=k.pem",
    "--max-body",
    "42",
  ]);
  assertEquals(
    [f.port, f.host, f.db, f.token, f.cert, f.key, f.maxBody],
    [0, "0.0.0.0", "/tmp/x.sqlite", "t=1", "c.pem", "k.pem", 42],
  );
  assertStrictEquals(parseServerFlags(["--help"]).help, true);
});

Deno.test("parseServerFlags rejects bad command lines with FlagError", () => {
  for (
    const args of [
      ["--nope"],
      ["--port", "-1"],
      ["--port", "65536"],
      ["--port", "80a"],
      ["--db"],
      ["--db="],
      ["--key", "k.pem"],
      ["positional"],
      ["-p", "1"],
      ["--header-timeout", "5"],
      ["--body-timeout", "0s"],
      ["--retain", "heartbeat"],
      ["--retain", "heartbeat=soon"],
    ]
  ) {
    assertThrows(() => parseServerFlags(args), FlagError, args.join(" "));
  }
});
