/**
 * The dashboard as served over HTTP: what the pages contain after real reports
 * were posted, search, the chalk timeline, and inert rendering of hostile values.
 */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { execReport, insertReport, newArtifact, pushReport } from "./_reports.ts";
import { backendTest, postReports, startServer } from "./_server.ts";

const EVIL_PATH = `/tmp/<script>document.title="pwned"</script>`;
const EVIL_HOST = `<img src=x onerror="alert(1)">`;

async function page(url: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(url);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

backendTest(
  "dashboard shows recent chalks and executions and renders hostile values inert",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact({ path: EVIL_PATH });
      const insert = insertReport([a]).replace(
        '"_OP_HOSTNAME": "liming-virtual-machine"',
        `"_OP_HOSTNAME": ${JSON.stringify(EVIL_HOST)}`,
      );
      const exec = execReport(a, { pid: 31337 });
      assertStrictEquals((await postReports(server.url, `[${insert}, ${exec}]`)).json.stored, 2);

      const home = await page(`${server.url}/`);
      assertStrictEquals(home.status, 200);
      assertMatch(home.headers.get("content-type") ?? "", /^text\/html/);
      assertMatch(home.headers.get("content-security-policy") ?? "", /default-src 'none'/);
      assert(home.html.includes(`href="/chalk/${a.chalkId}"`));
      assert(home.html.includes(a.commitId.slice(0, 12)));
      assertMatch(home.html, /<span class="op op-exec">exec<\/span>/);
      assert(home.html.includes("31337"), "exec row shows the pid");
      assert(!/<script/i.test(home.html), "no script element at all");
      assert(!home.html.includes("<img"), "no injected element");
      assert(home.html.includes("&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;"));
      // The insert's hostname is shown on the chalk page's timeline, escaped.
      const detail = await page(`${server.url}/chalk/${encodeURIComponent(a.chalkId)}`);
      assert(detail.html.includes("on &lt;img src=x onerror=&quot;alert(1)&quot;&gt;"));
      assert(!detail.html.includes("<img"));
      assert(!/<script/i.test(detail.html));
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "dashboard chalk page shows every report mentioning the chalk as a timeline",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact();
      const other = newArtifact();
      const execId = "0a1b2c3d4e5f6071";
      const reports = [
        pushReport(a, 1695487600000),
        insertReport([a], 1695487400000),
        execReport(a, { execId, timestamp: 1695487500000 }),
        execReport(a, {
          execId,
          operation: "heartbeat",
          heartbeat: 1,
          timestamp: 1695487520000,
          withChalks: false,
        }),
        insertReport([other], 1695487450000),
        execReport(other, { timestamp: 1695487510000 }),
      ];
      await postReports(server.url, `[${reports.join(",")}]`);
      const detail = await page(`${server.url}/chalk/${a.chalkId}`);
      assertStrictEquals(detail.status, 200);
      const timeline = detail.html.slice(detail.html.indexOf('<ol class="timeline">'));
      const ops = [...timeline.matchAll(/<span class="op op-(\w+)">/g)].map((m) => m[1]);
      assertEquals(ops, ["insert", "exec", "heartbeat", "push"]);
      assert(detail.html.includes(a.commitId));
      assert(detail.html.includes(a.originUri));
      assert(!detail.html.includes(other.chalkId));
      assertMatch(timeline, /heartbeat #: <span class="mono">1<\/span>/);
      assertStrictEquals((timeline.match(/<details>/g) ?? []).length, 4);

      const missing = await page(`${server.url}/chalk/NOT-A-CHALK`);
      assertStrictEquals(missing.status, 404);
      assert(missing.html.includes("No report mentions the CHALK_ID NOT-A-CHALK"));
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "dashboard search finds chalks by CHALK_ID, commit prefix and repository",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact({ originUri: "https://github.com/acme/rocket.git" });
      const b = newArtifact({ originUri: "https://github.com/acme/sled.git" });
      await postReports(server.url, `[${insertReport([a])}, ${insertReport([b])}]`);
      const found = async (q: string): Promise<string[]> => {
        const { html } = await page(`${server.url}/search?q=${encodeURIComponent(q)}`);
        return [...html.matchAll(/href="\/chalk\/([^"]+)"/g)].map((m) => decodeURIComponent(m[1]));
      };
      assertEquals(await found(a.chalkId), [a.chalkId]);
      assertEquals(await found(a.chalkId.toLowerCase()), [a.chalkId]);
      assertEquals(await found(b.commitId.slice(0, 8)), [b.chalkId]);
      assertEquals(await found("acme/rocket"), [a.chalkId]);
      assertEquals((await found("github.com/acme")).sort(), [a.chalkId, b.chalkId].sort());
      assertEquals(await found("%"), []);
      assertEquals(await found("nothing-like-this"), []);
      const empty = await page(`${server.url}/search?q=`);
      assertStrictEquals(empty.status, 200);
      assert(empty.html.includes("Type a CHALK_ID"));
      const echoed = await page(`${server.url}/search?q=${encodeURIComponent('"><b>x')}`);
      assert(!echoed.html.includes('"><b>x'));
      assert(echoed.html.includes("&quot;&gt;&lt;b&gt;x"));
    } finally {
      await server.stop();
    }
  },
);
