/**
 * `/search` and `/api/search`: every matching chalk is found however many paths or images one
 * of them was seen at (chalks are paged, not their mentions), and each row shows what the
 * chalk page shows: facts merged over the chalk's reports, operation and host of the newest.
 */

import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { type Artifact, execReport, insertReport, newArtifact } from "./_reports.ts";
import { backendTest, postReports, startServer } from "./_server.ts";

interface SearchRow {
  chalk_id: string;
  origin_uri: string | null;
  commit_id: string | null;
  branch: string | null;
  artifact_path: string | null;
  operation: string;
  hostname: string | null;
  time_ms: number;
  reports: number;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  const text = await res.text();
  assertStrictEquals(res.status, 200, `${url}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

backendTest(
  "searchChalks finds every matching chalk when one was run at hundreds of paths",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const repo = "https://example.com/fleet/widely-deployed.git";
      const [app, other, third] = [0, 1, 2].map(() => newArtifact({ originUri: repo }));
      const runs = Array.from(
        { length: 260 },
        (_, i) =>
          execReport({ ...app, path: `/srv/node${i}/app` }, { timestamp: 1695487500000 + i }),
      );
      await postReports(server.url, `[${insertReport([app, other, third])}]`);
      const stored = await postReports(server.url, `[${runs.join(",")}]`);
      assertStrictEquals(stored.json.stored, 260);

      const q = encodeURIComponent("fleet/widely");
      const all = await getJson<{ chalks: SearchRow[]; next: string | null }>(
        `${server.url}/api/search?q=${q}`,
      );
      assertEquals(
        all.chalks.map((r) => r.chalk_id).sort(),
        [app.chalkId, other.chalkId, third.chalkId].sort(),
      );
      assertStrictEquals(all.next, null);
      assertStrictEquals(all.chalks[0].chalk_id, app.chalkId, "most recently seen first");
      assertStrictEquals(all.chalks[0].reports, 261);
      const html = await (await fetch(`${server.url}/search?q=${q}`)).text();
      assert(html.includes("3 chalks matching"), html);
      assert(!html.includes('rel="next"'));

      // A page at a time: each chalk once, and the page says there is more.
      const paged: string[] = [];
      let next: string | null = `/api/search?q=${q}&limit=1`;
      while (next !== null) {
        const page: { chalks: SearchRow[]; next: string | null } = await getJson(
          `${server.url}${next}`,
        );
        assertStrictEquals(page.chalks.length, 1);
        paged.push(page.chalks[0].chalk_id);
        next = page.next === null
          ? null
          : `/api/search?q=${q}&limit=1&before=${encodeURIComponent(page.next)}`;
      }
      assertEquals(paged, all.chalks.map((r) => r.chalk_id));
      const first = await (await fetch(`${server.url}/search?q=${q}&limit=1`)).text();
      assert(first.includes("1 chalk matching “fleet/widely” on this page"), first);
      assert(/<a rel="next" href="\/search\?q=[^"]*before=[^"]+">Older →<\/a>/.test(first), first);
      const bad = await fetch(`${server.url}/api/search?q=${q}&before=nonsense`);
      assertStrictEquals(bad.status, 400);
      await bad.body?.cancel();
    } finally {
      await server.stop();
    }
  },
);

/** An exec report of `a` that, like chalk's own, repeats neither repository nor commit. */
function bareExec(a: Artifact, timestamp: number): string {
  return execReport(a, { timestamp })
    .replace(/\s*"COMMIT_ID": .*,/, "")
    .replace(/\s*"ORIGIN_URI": .*,/, "")
    .replace('"_OP_HOSTNAME": "runner-7"', '"_OP_HOSTNAME": "aa-prod"');
}

backendTest(
  "search rows and chalk facts merge every report and take operation and host from the newest",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact({ originUri: "https://example.com/merge/facts.git" });
      const insert = insertReport([a], 1700000000000)
        .replace('"_OP_HOSTNAME": "liming-virtual-machine"', '"_OP_HOSTNAME": "zz-builder"');
      await postReports(server.url, `[${insert}, ${bareExec(a, 1800000000000)}]`);

      const expected = {
        chalk_id: a.chalkId,
        origin_uri: a.originUri,
        commit_id: a.commitId,
        branch: "main",
        artifact_path: a.path,
        operation: "exec",
        hostname: "aa-prod",
        time_ms: 1800000000000,
        reports: 2,
      };
      const pick = (r: SearchRow) =>
        Object.fromEntries(Object.keys(expected).map((k) => [k, r[k as keyof SearchRow]]));
      for (const q of [a.chalkId, a.commitId.slice(0, 10), "merge/facts"]) {
        const found = await getJson<{ chalks: SearchRow[] }>(
          `${server.url}/api/search?q=${encodeURIComponent(q)}`,
        );
        assertEquals(found.chalks.map(pick), [expected], q);
      }
      const chalk = await getJson<{ facts: SearchRow }>(`${server.url}/api/chalk/${a.chalkId}`);
      assertEquals(pick(chalk.facts), expected);
    } finally {
      await server.stop();
    }
  },
);
