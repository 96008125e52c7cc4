/**
 * The dashboard's views answer "where does this code run?": per repository, per commit (files
 * and images built from it, and where they run), "where it runs" with stale runs marked, an
 * executions chart; every list is paged and every page links to its JSON twin. Retention
 * deletes what aged out, heartbeats first.
 */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { buildReport, execReport, insertReport, newArtifact } from "./_reports.ts";
import { backendTest, postReports, startServer } from "./_server.ts";

async function page(url: string): Promise<string> {
  const res = await fetch(url);
  const text = await res.text();
  assertStrictEquals(res.status, 200, `${url}: ${text.slice(0, 200)}`);
  return text;
}

/** Every JSON row of a paged list, following `Link: rel="next"`. */
async function allPages(base: string, path: string): Promise<{ rows: unknown[]; pages: number }> {
  const rows: unknown[] = [];
  let pages = 0;
  let next: string | null = path;
  while (next !== null) {
    const res: Response = await fetch(`${base}${next}`);
    rows.push(...await res.json());
    pages++;
    next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1] ?? null;
  }
  return { rows, pages };
}

backendTest(
  "repository and commit views show what was built and where it runs",
  async (backend) => {
    const server = await startServer({ backend, args: ["--stale-after", "2s"] });
    try {
      const repo = "https://github.com/acme/rocket.git";
      const commit = "c0ffee".padEnd(40, "1");
      const binary = newArtifact({
        originUri: repo,
        commitId: commit,
        path: "/src/rocket/bin/engine",
      });
      const image = newArtifact({ originUri: repo, commitId: commit });
      const older = newArtifact({ originUri: repo, commitId: "0dd".padEnd(40, "2") });
      await postReports(server.url, `[${insertReport([older], 1695000000000)}]`);
      await new Promise((r) => setTimeout(r, 20));
      await postReports(
        server.url,
        `[${insertReport([binary])}, ${buildReport(image, ["rocket:2.0"])}]`,
      );
      await postReports(
        server.url,
        `[${execReport({ ...image, path: "/app/rocket" }, { pid: 777 })}]`,
      );

      const repos = await page(`${server.url}/repos`);
      assert(repos.includes(`/repo?uri=${encodeURIComponent(repo)}`));
      const repoPage = await page(`${server.url}/repo?uri=${encodeURIComponent(repo)}`);
      const commits = [...repoPage.matchAll(/href="\/commit\/([0-9a-f]+)"/g)].map((m) => m[1]);
      assertEquals(commits, [commit, older.commitId], "newest build first");

      const commitPage = await page(`${server.url}/commit/${commit.slice(0, 10)}`);
      const images = commitPage.slice(
        commitPage.indexOf("<h2>Images built"),
        commitPage.indexOf("<h2>Files built"),
      );
      const files = commitPage.slice(
        commitPage.indexOf("<h2>Files built"),
        commitPage.indexOf("<h2>Where it runs"),
      );
      const runs = commitPage.slice(commitPage.indexOf("<h2>Where it runs"));
      assert(images.includes("rocket:2.0") && images.includes(image.chalkId));
      assert(files.includes("/src/rocket/bin/engine") && !files.includes(image.chalkId));
      assert(runs.includes("runner-7") && runs.includes("777") && runs.includes("rocket:2.0"));
      assertMatch(runs, /badge live">current/);
      const json = await (await fetch(`${server.url}/api/commit/${commit}`)).json();
      assertEquals([json.images.length, json.files.length, json.runs.length], [1, 1, 1]);

      const missing = await fetch(`${server.url}/commit/ffffffff`);
      assertStrictEquals(missing.status, 404);
      await missing.body?.cancel();

      // After the stale window the run is marked stale; "current only" hides it.
      await new Promise((r) => setTimeout(r, 2500));
      assertMatch(await page(`${server.url}/runs`), /badge stale">stale/);
      const current = await (await fetch(`${server.url}/api/runs?current=1`)).json();
      assertStrictEquals(current.runs.length, 0);
      const byImage = await (await fetch(`${server.url}/api/runs?image=rocket`)).json();
      assertStrictEquals(byImage.runs.length, 1);
      assertStrictEquals(
        (await (await fetch(`${server.url}/api/runs?host=nowhere`)).json()).runs.length,
        0,
      );
      const onHost = await (await fetch(`${server.url}/api/runs?host=runner-7`)).json();
      assertStrictEquals(onHost.runs.length, 1);
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "every list is paged: JSON lists by Link headers, pages by Older links",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const artifacts = Array.from({ length: 23 }, () => newArtifact());
      const execs = artifacts.map((a, i) => execReport(a, { timestamp: 1700000000000 + i }));
      await postReports(server.url, `[${insertReport(artifacts)}, ${execs.join(",")}]`);

      const reports = await allPages(server.url, "/reports?limit=10");
      assertEquals([reports.rows.length, reports.pages], [24, 3]);
      const chalks = await allPages(server.url, "/chalks?limit=5");
      assertEquals(
        (chalks.rows as { CHALK_ID: string }[]).map((c) => c.CHALK_ID),
        artifacts.map((a) => a.chalkId),
        "every chalk once, in order",
      );
      const execPages = await allPages(server.url, "/execs?limit=7");
      assertEquals([execPages.rows.length, execPages.pages], [23, 4]);
      const bad = await fetch(`${server.url}/reports?after=nope`);
      assertStrictEquals(bad.status, 400);
      await bad.body?.cancel();

      // Dashboard: 10 per page, newest first, then the older ones.
      const seen: string[] = [];
      let path: string | null = "/executions?limit=10";
      while (path !== null) {
        const html = await page(`${server.url}${path}`);
        seen.push(...[...html.matchAll(/pid<\/span> (\d+)/g)].map((m) => m[1]));
        path = /<a rel="next" href="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;
      }
      assertStrictEquals(seen.length, 23);
      const marks = await (await fetch(`${server.url}/api/marks?limit=20`)).json();
      assertStrictEquals(marks.marks.length, 20);
      const rest = await (await fetch(`${server.url}/api/marks?limit=20&before=${marks.next}`))
        .json();
      assertStrictEquals(rest.marks.length, 3);
      assertStrictEquals(rest.next, null);
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "repositories are paged like every list: Older links and next cursors, ties included",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const repo = (i: number) => `https://example.com/team/repo${i}.git`;
      const early = [0, 1, 2, 3, 4].map((i) => newArtifact({ originUri: repo(i) }));
      // One request: the five repositories share their last_seen_ms, so the cursor needs the URI.
      await postReports(server.url, `[${insertReport(early)}]`);
      await new Promise((r) => setTimeout(r, 5));
      const late = [5, 6].map((i) => newArtifact({ originUri: repo(i) }));
      await postReports(server.url, `[${insertReport(late)}]`);

      const seen: string[] = [];
      let path: string | null = "/repos?limit=2";
      while (path !== null) {
        const html = await page(`${server.url}${path}`);
        seen.push(
          ...[...html.matchAll(/href="\/repo\?uri=([^"]+)"/g)].map((m) => decodeURIComponent(m[1])),
        );
        assert(!html.includes("More →"), html);
        path = /<a rel="next" href="([^"]+)">Older →/.exec(html)?.[1]?.replaceAll("&amp;", "&") ??
          null;
      }
      assertEquals(seen.slice(0, 2).sort(), [repo(5), repo(6)]);
      assertEquals(seen.slice(2).sort(), [0, 1, 2, 3, 4].map(repo));

      const api = await (await fetch(`${server.url}/api/repos?limit=4`)).json();
      assertStrictEquals(api.repos.length, 4);
      const rest = await (await fetch(
        `${server.url}/api/repos?limit=4&before=${encodeURIComponent(api.next)}`,
      )).json();
      assertEquals(
        [...api.repos, ...rest.repos].map((r: { origin_uri: string }) => r.origin_uri),
        seen,
      );
      assertStrictEquals(rest.next, null);
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "every dashboard page links to its JSON twin and the home page charts executions",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const a = newArtifact();
      await postReports(
        server.url,
        `[${insertReport([a])}, ${execReport(a)}, ${execReport(a, { timestamp: 1695400000000 })}]`,
      );
      for (
        const path of [
          "/",
          "/marks",
          "/runs",
          "/executions",
          "/repos",
          `/repo?uri=${encodeURIComponent(a.originUri)}`,
          `/commit/${a.commitId}`,
          `/chalk/${a.chalkId}`,
          `/search?q=${a.chalkId}`,
        ]
      ) {
        const html = await page(`${server.url}${path}`);
        const api = /The same as JSON: <a class="mono" href="([^"]+)"/.exec(html)?.[1];
        assert(api !== undefined, `${path} links to its JSON`);
        const res = await fetch(`${server.url}${api.replaceAll("&amp;", "&")}`);
        assertStrictEquals(res.status, 200, api);
        assertMatch(res.headers.get("content-type") ?? "", /application\/json/);
        await res.json();
      }
      const home = await page(`${server.url}/`);
      const svg = home.slice(home.indexOf("<svg"), home.indexOf("</svg>"));
      assertStrictEquals((svg.match(/<rect class="bar"/g) ?? []).length, 56);
      assertMatch(svg, /aria-label="2 executions from /);
      const summary = await (await fetch(`${server.url}/api/summary`)).json();
      assertStrictEquals(
        summary.executions_over_time.counts.reduce((x: number, y: number) => x + y, 0),
        2,
      );
      // Raw reports in the JSON twin keep every digit, as objects.
      const chalk = await (await fetch(`${server.url}/api/chalk/${a.chalkId}`)).json();
      const ops = chalk.timeline.map((r: { report: { _OPERATION: string } }) =>
        r.report._OPERATION
      );
      assertEquals(ops, ["exec", "insert", "exec"]);
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "retention deletes heartbeats past their window and keeps the rest",
  async (backend) => {
    const server = await startServer({
      backend,
      args: ["--retain", "heartbeat=2s", "--retain", "insert=2s"],
    });
    try {
      const a = newArtifact();
      const execId = "feedfacecafebeef";
      await postReports(
        server.url,
        `[${insertReport([a])}, ${execReport(a, { execId })}, ${
          execReport(a, { execId, operation: "heartbeat", heartbeat: 1 })
        }]`,
      );
      assertEquals(
        [(await server.getJson<Record<string, number>>("/health")).reports],
        [3],
      );
      let health: Record<string, number> = {};
      for (let i = 0; i < 40; i++) {
        await new Promise((r) => setTimeout(r, 250));
        health = await server.getJson<Record<string, number>>("/health");
        if (health.reports === 1) break;
      }
      assertEquals([health.reports, health.chalks, health.execs], [1, 0, 1]);
      assertEquals(
        (await server.getJson<{ _OPERATION: string }[]>("/reports")).map((r) => r._OPERATION),
        ["exec"],
      );
      assertEquals(await server.getJson("/chalks"), []);
      const repos = await (await fetch(`${server.url}/api/repos`)).json();
      assertEquals(repos.repos, [], "the commit summary follows the deleted chalks");
      // exec has no window: its reports stay, and so does the run they describe.
      const runs = await (await fetch(`${server.url}/api/runs`)).json();
      assertEquals(runs.runs.map((r: { exec_id: string }) => r.exec_id), [execId]);
      assert(
        server.log.some((l) => /retention deleted .*heartbeat=1/.test(l)),
        server.log.join("\n"),
      );
    } finally {
      await server.stop();
    }
  },
);

backendTest(
  "retention drops a run once both the exec and the heartbeat windows have passed",
  async (backend) => {
    const server = await startServer({
      backend,
      args: ["--retain", "heartbeat=1s", "--retain", "exec=2s"],
    });
    try {
      const a = newArtifact();
      const execId = "0ddba11cafef00d1";
      await postReports(server.url, `[${execReport(a, { execId })}]`);
      let runs: { exec_id: string }[] = [{ exec_id: execId }];
      for (let i = 0; i < 40 && runs.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 250));
        runs = (await (await fetch(`${server.url}/api/runs`)).json()).runs;
      }
      assertEquals(runs, []);
      assertEquals((await server.getJson<Record<string, number>>("/health")).reports, 0);
    } finally {
      await server.stop();
    }
  },
);
