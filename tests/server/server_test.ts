/**
 * End-to-end tests of the JSON API against the real server process.
 */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { execReport, insertReport, newArtifact, pushReport } from "./_reports.ts";
import { backendTest, postReports, SERVER_MAIN, startServer } from "./_server.ts";

async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: unknown; text: string }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), text };
}

backendTest(
  "POST /report stores an insert report and GET /chalks merges chalk and report keys",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact();
      const b = newArtifact();
      const posted = await postReports(server.url, `[${insertReport([a, b])}]`);
      assertStrictEquals(posted.status, 200);
      assertEquals(posted.json, {
        stored: 1,
        duplicates: 0,
        skipped: 0,
        chalks_stored: 2,
        chalks_duplicates: 0,
        chalks_skipped: 0,
      });
      const { status, body } = await getJson(`${server.url}/chalks`);
      assertStrictEquals(status, 200);
      const rows = body as Record<string, unknown>[];
      assertStrictEquals(rows.length, 2);
      assertEquals(rows.map((r) => r.CHALK_ID), [a.chalkId, b.chalkId]);
      const row = rows[0];
      assertStrictEquals(row.METADATA_ID, a.metadataId);
      assertStrictEquals(row.COMMIT_ID, a.commitId);
      assertStrictEquals(row._OPERATION, "insert");
      assertStrictEquals(row._TIMESTAMP, 1695487471882);
      assertStrictEquals(row._OP_HOSTNAME, "liming-virtual-machine");
      assertEquals(row._OP_ARGV, ["/home/liming/workspace/chalktest/chalk", "insert", "ls"]);
      assertStrictEquals(
        (row.INJECTOR_ENV as Record<string, string>).AWS_SECRET_ACCESS_KEY,
        "<<redact>>",
      );
      assertStrictEquals("_CHALKS" in row, false);
      const keys = Object.keys(row);
      assertStrictEquals(keys[0], "CHALK_ID");
      assert(keys.indexOf("_CURRENT_HASH") < keys.indexOf("_OPERATION"), "chalk keys come first");
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "GET /chalks and /reports serve integers beyond 2^53 digit for digit",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact();
      const body =
        `[{"_OPERATION": "insert", "_TIMESTAMP": 1695487471882, "HUGE": 18446744073709551615,
      "_CHALKS": [{"CHALK_ID": "${a.chalkId}", "METADATA_ID": "${a.metadataId}",
      "SIZE": 9007199254740993, "RATIO": 1.000000000000000000001e-400}]}]`;
      assertStrictEquals((await postReports(server.url, body)).status, 200);
      const chalks = await (await fetch(`${server.url}/chalks`)).text();
      assertMatch(chalks, /"SIZE": 9007199254740993\b/);
      assertMatch(chalks, /"HUGE": 18446744073709551615\b/);
      assertMatch(chalks, /"RATIO": 1\.000000000000000000001e-400\b/);
      const one = await (await fetch(`${server.url}/chalks/${a.metadataId}`)).text();
      assertMatch(one, /"SIZE": 9007199254740993\b/);
      const reports = await (await fetch(`${server.url}/reports`)).text();
      assert(reports.includes('"HUGE": 18446744073709551615,'), reports);
    } finally {
      await server.stop();
    }
  },
);

backendTest("POST /report stores the same report only once", async (backend) => {
  const server = await startServer({ backend });
  try {
    const a = newArtifact();
    const report = insertReport([a]);
    const first = await postReports(server.url, `[${report}]`);
    assertStrictEquals(first.json.stored, 1);
    const again = await postReports(server.url, `[${report}]`);
    assertStrictEquals(again.status, 200);
    assertStrictEquals(again.json.stored, 0);
    assertStrictEquals(again.json.duplicates, 1);
    // Same report with other whitespace and key order is the same report.
    const reordered = JSON.stringify(
      Object.fromEntries(Object.entries(JSON.parse(report)).reverse()),
    );
    const third = await postReports(server.url, `[${reordered}]`);
    assertEquals([third.json.stored, third.json.duplicates], [0, 1]);
    // A batch mixing a known and a new report stores the new one.
    const exec = execReport(a);
    const mixed = await postReports(server.url, `[${report}, ${exec}, ${exec}]`);
    assertEquals([mixed.json.stored, mixed.json.duplicates], [1, 2]);
    // A new report carrying an already known METADATA_ID stores the report, not the chalk.
    const other = insertReport([a], 1695487471999);
    const dupChalk = await postReports(server.url, `[${other}]`);
    assertEquals(
      [dupChalk.json.stored, dupChalk.json.chalks_stored, dupChalk.json.chalks_duplicates],
      [1, 0, 1],
    );
    const chalks = (await getJson(`${server.url}/chalks`)).body as unknown[];
    assertStrictEquals(chalks.length, 1);
    const reports = (await getJson(`${server.url}/reports`)).body as unknown[];
    assertStrictEquals(reports.length, 3);
  } finally {
    await server.stop();
  }
});

backendTest(
  "POST /report accepts one report object and skips objects without _OPERATION",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact();
      const single = await postReports(server.url, execReport(a));
      assertEquals([single.status, single.json.stored], [200, 1]);
      const skipped = await postReports(server.url, `[{"_TIMESTAMP": 1}, {"_OPERATION": 7}]`);
      assertEquals([skipped.status, skipped.json.stored, skipped.json.skipped], [200, 0, 2]);
      const noMeta = await postReports(
        server.url,
        `[{"_OPERATION": "insert", "_CHALKS": [{"CHALK_ID": "${a.chalkId}"}]}]`,
      );
      assertEquals([noMeta.json.stored, noMeta.json.chalks_skipped], [1, 1]);
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "GET /chalks/{id}, /execs and /reports?operation= select the right rows",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact();
      const execId = "7b1e0c54d1f0a9e2";
      const body = [
        insertReport([a]),
        execReport(a, { execId }),
        execReport(a, { execId, operation: "heartbeat", heartbeat: 1, timestamp: 1695487520000 }),
        pushReport(a),
        `{"_OPERATION": "Delete", "_TIMESTAMP": 1695487700000}`,
      ];
      assertStrictEquals((await postReports(server.url, `[${body.join(",")}]`)).json.stored, 5);

      const one = await getJson(`${server.url}/chalks/${a.metadataId}`);
      assertStrictEquals(one.status, 200);
      assertStrictEquals((one.body as Record<string, unknown>).CHALK_ID, a.chalkId);
      const missing = await getJson(`${server.url}/chalks/NOPE-NOPE`);
      assertStrictEquals(missing.status, 404);
      assertMatch((missing.body as { error: string }).error, /NOPE-NOPE/);

      const execs = (await getJson(`${server.url}/execs`)).body as Record<string, unknown>[];
      assertEquals(execs.map((r) => r._OPERATION), ["exec", "heartbeat"]);
      assertStrictEquals(execs[1]._HEARTBEAT_COUNT, 1);
      assertStrictEquals(execs[0]._EXEC_ID, execId);

      const ops = async (q: string): Promise<unknown[]> =>
        ((await getJson(`${server.url}/reports${q}`)).body as Record<string, unknown>[])
          .map((r) => r._OPERATION);
      assertEquals(await ops(""), ["insert", "exec", "heartbeat", "push", "Delete"]);
      assertEquals(await ops("?operation=PUSH"), ["push"]);
      assertEquals(await ops("?operation=delete"), ["Delete"]);
      assertEquals(await ops("?operation=exec,heartbeat"), ["exec", "heartbeat"]);
      assertEquals(await ops("?operation=build"), []);
      assertEquals(await ops("?limit=2&offset=1"), ["exec", "heartbeat"]);
      assertStrictEquals((await getJson(`${server.url}/reports?limit=x`)).status, 400);
      // An empty page was a 500 (no last row for the cursor): now a one-line 400.
      for (const list of ["reports", "chalks", "execs"]) {
        const empty = await getJson(`${server.url}/${list}?limit=0`);
        assertStrictEquals(empty.status, 400);
        assertMatch((empty.body as { error: string }).error, /limit must be an integer from 1/);
      }
      assertEquals(await ops("?limit=1&offset=4"), ["Delete"]);

      const health = await getJson(`${server.url}/health`);
      assertStrictEquals(health.status, 200);
      assertEquals(
        [
          (health.body as Record<string, unknown>).status,
          (health.body as Record<string, unknown>).reports,
        ],
        ["ok", 5],
      );
      // One version for the whole package: deno.json's, which `chalk version` prints too.
      const { version } = JSON.parse(
        await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
      );
      assertStrictEquals((health.body as Record<string, unknown>).version, version);
      assertEquals((await getJson(`${server.url}/version`)).body, { version });
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "POST /report answers malformed input with 400 and a one-line reason",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const cases: [string | Uint8Array<ArrayBuffer>, RegExp][] = [
        ["[{]", /malformed JSON at line 1, column 3/],
        ['[{"_OPERATION": "insert",\n  "x": tru}]', /malformed JSON at line 2, column 8/],
        ["", /unexpected end of input/],
        ["[1, 2]", /report 0 is a JSON number/],
        ['"insert"', /expected an array of reports/],
        ['[{"a": 1}] trailing', /unexpected text after the JSON value/],
        [new Uint8Array([0x5b, 0xff, 0x5d]), /not valid UTF-8/],
      ];
      for (const [body, reason] of cases) {
        const { status, json } = await postReports(server.url, body);
        assertStrictEquals(status, 400, String(body));
        const error = json.error as string;
        assertMatch(error, reason);
        assert(!error.includes("\n"), "reason is one line");
      }
      assertStrictEquals((await getJson(`${server.url}/reports`)).text.trim(), "[]");
    } finally {
      await server.stop();
    }
  },
);

backendTest("POST /report checks the X-Chalk core headers only when present", async (backend) => {
  const server = await startServer({ backend });
  try {
    const a = newArtifact();
    const body = new TextEncoder().encode(`[${insertReport([a])}]\n`);
    const digest = createHash("sha256").update(body).digest("hex");
    const good = {
      "X-Chalk-Version": "0.1.0",
      "X-Chalk-Operation": "insert",
      "X-Chalk-Action-Id": "8c87b883793695a1",
      "X-Content-Length": String(body.byteLength),
      "X-Chalk-Digest-Sha256": digest,
      "X-Chalk-Attempt": "1",
    };
    const wrongDigest = await postReports(server.url, body, {
      ...good,
      "X-Chalk-Digest-Sha256": "0".repeat(64),
    });
    assertStrictEquals(wrongDigest.status, 400);
    assertMatch(wrongDigest.json.error as string, /X-Chalk-Digest-Sha256 does not match/);
    const wrongLength = await postReports(server.url, body, {
      ...good,
      "X-Content-Length": "12",
    });
    assertStrictEquals(wrongLength.status, 400);
    assertMatch(wrongLength.json.error as string, /X-Content-Length/);
    const ok = await postReports(server.url, body, good);
    assertEquals([ok.status, ok.json.stored], [200, 1]);
    const retry = await postReports(server.url, body, { ...good, "X-Chalk-Attempt": "2" });
    assertEquals([retry.status, retry.json.duplicates], [200, 1]);
  } finally {
    await server.stop();
  }
});

backendTest(
  "server answers 413 over the body limit, 404 JSON for unknown paths, 405 for wrong methods, HEAD with the GET length",
  async (backend) => {
    const server = await startServer({ backend, args: ["--max-body", "2000"] });
    try {
      const big = `[${insertReport([newArtifact(), newArtifact(), newArtifact()])}]`;
      assert(big.length > 2000);
      const tooBig = await postReports(server.url, big);
      assertStrictEquals(tooBig.status, 413);
      assertMatch(tooBig.json.error as string, /limit of 2000 bytes/);
      // Without Content-Length (a stream), the limit still holds.
      const streamed = await fetch(`${server.url}/report`, {
        method: "POST",
        body: ReadableStream.from([new TextEncoder().encode(big)]),
      });
      assertStrictEquals(streamed.status, 413);
      await streamed.body?.cancel();

      const notFound = await getJson(`${server.url}/nothing/here`);
      assertStrictEquals(notFound.status, 404);
      assertEquals(notFound.body, { error: "no route for GET /nothing/here" });
      const post404 = await getJson(`${server.url}/reports/x`, { method: "POST", body: "[]" });
      assertStrictEquals(post404.status, 404);

      const wrongMethod = await getJson(`${server.url}/report`);
      assertStrictEquals(wrongMethod.status, 405);
      const del = await fetch(`${server.url}/chalks`, { method: "DELETE" });
      assertStrictEquals(del.status, 405);
      assertStrictEquals(del.headers.get("allow"), "GET, HEAD");
      await del.body?.cancel();

      // HEAD announces the length GET sends (RFC 9110 §9.3.2), without the body.
      for (const path of ["/api/summary", "/", "/chalks"]) {
        const got = await fetch(`${server.url}${path}`);
        const length = (await got.bytes()).length;
        assertStrictEquals(got.headers.get("content-length"), String(length), path);
        const head = await fetch(`${server.url}${path}`, { method: "HEAD" });
        assertStrictEquals(head.status, 200, path);
        assertStrictEquals(head.headers.get("content-length"), String(length), `HEAD ${path}`);
        assertStrictEquals((await head.bytes()).length, 0);
      }
    } finally {
      await server.stop();
    }
  },
);

backendTest("server refuses a body over the default 10 MB limit", async (backend) => {
  const server = await startServer({ backend });
  try {
    const body = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x20);
    const res = await postReports(server.url, body);
    assertStrictEquals(res.status, 413);
  } finally {
    await server.stop();
  }
});

backendTest("server with --token requires it everywhere but /health", async (backend) => {
  const server = await startServer({ backend, args: ["--token", "s3cret-token"] });
  try {
    const body = `[${execReport(newArtifact())}]`;
    const none = await postReports(server.url, body);
    assertStrictEquals(none.status, 401);
    const wrong = await postReports(server.url, body, { authorization: "Bearer nope" });
    assertStrictEquals(wrong.status, 401);
    const dashboard = await fetch(`${server.url}/`);
    assertStrictEquals(dashboard.status, 401);
    assertMatch(dashboard.headers.get("www-authenticate") ?? "", /Basic/);
    await dashboard.body?.cancel();
    const right = await postReports(server.url, body, { authorization: "Bearer s3cret-token" });
    assertEquals([right.status, right.json.stored], [200, 1]);
    const basic = await fetch(`${server.url}/execs`, {
      headers: { authorization: `Basic ${btoa("anyone:s3cret-token")}` },
    });
    assertStrictEquals(basic.status, 200);
    assertStrictEquals((await basic.json()).length, 1);
    const health = await fetch(`${server.url}/health`);
    assertStrictEquals(health.status, 200);
    await health.body?.cancel();
  } finally {
    await server.stop();
  }
});

Deno.test("server keeps SQLite in WAL mode with a migration table, and data survives a restart", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_server_wal_" });
  try {
    const first = await startServer({ dir });
    const a = newArtifact();
    await postReports(first.url, `[${insertReport([a])}]`);
    assertStrictEquals(await first.stop(), 0);

    const second = await startServer({ dir });
    const chalks = (await getJson(`${second.url}/chalks`)).body as Record<string, unknown>[];
    assertEquals(chalks.map((c) => c.CHALK_ID), [a.chalkId]);
    assertStrictEquals(await second.stop(), 0);

    const db = new DatabaseSync(`${dir}/chalk.sqlite`);
    try {
      const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
      assertStrictEquals(mode.journal_mode, "wal");
      const versions = db.prepare("SELECT version, name FROM schema_migrations").all();
      assertEquals(versions.map((v) => v.version), [1, 2]);
      const n = db.prepare("SELECT COUNT(*) AS n FROM reports").get() as { n: number };
      assertStrictEquals(n.n, 1);
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

backendTest("server logs one line per request on stderr", async (backend) => {
  const server = await startServer({ backend });
  try {
    await postReports(server.url, `[${execReport(newArtifact())}]`);
    await (await fetch(`${server.url}/nope`)).body?.cancel();
  } finally {
    await server.stop({ keepDir: false });
  }
  const lines = server.log.filter((l) => l.includes('"'));
  assertStrictEquals(lines.length, 2);
  assertMatch(lines[0], /"POST \/report" 200 [0-9.]+ms stored=1 duplicates=0$/);
  assertMatch(lines[1], /"GET \/nope" 404 [0-9.]+ms no route for GET \/nope$/);
});

async function runMain(args: string[]): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER_MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("server main exits 2 with a one-line usage error for bad flags", async () => {
  for (
    const [args, reason] of [
      [["--bogus"], /unknown flag --bogus/],
      [["--port", "99999"], /--port expects an integer from 0 to 65535/],
      [["--port"], /--port needs a value/],
      [["--cert", "a.pem"], /--cert and --key must be given together/],
      [["stray"], /unexpected argument "stray"/],
    ] as const
  ) {
    const { code, stderr } = await runMain([...args]);
    assertStrictEquals(code, 2, stderr);
    assertMatch(stderr, reason);
    assertMatch(stderr, /usage: deno task server/);
    assertStrictEquals(stderr.trim().split("\n").length, 1, stderr);
  }
});

Deno.test("server main exits 1 with one line when the database cannot be opened", async () => {
  const { code, stderr } = await runMain(["--port", "0", "--db", "/nonexistent-dir/x/db.sqlite"]);
  assertStrictEquals(code, 1);
  assertMatch(stderr, /^chalk server: cannot open database/);
  assertStrictEquals(stderr.trim().split("\n").length, 1, stderr);
});
