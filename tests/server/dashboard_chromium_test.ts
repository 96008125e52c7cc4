/**
 * End-to-end: after real reports were posted, headless Chromium opens the
 * dashboard (no JavaScript needed) and we check what a person would see.
 * Screenshots are kept under tests/artifacts/ (git-ignored). Needs the Debian
 * package `chromium` (`/usr/bin/chromium`, or set CHROMIUM).
 */

import { assert, assertEquals, assertMatch, assertStrictEquals } from "../_assert.ts";
import { buildReport, execReport, insertReport, newArtifact, pushReport } from "./_reports.ts";
import { backendTest, postReports, startServer } from "./_server.ts";

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const ARTIFACTS = new URL("../artifacts/", import.meta.url).pathname;

/** Runs headless Chromium with `extra` flags on `url`; returns stdout. */
async function chromium(url: string, extra: string[]): Promise<string> {
  const profile = await Deno.makeTempDir({ prefix: "chalk_chromium_" });
  try {
    const out = await new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        `--user-data-dir=${profile}`,
        ...extra,
        url,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    assertStrictEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    return new TextDecoder().decode(out.stdout);
  } finally {
    await Deno.remove(profile, { recursive: true });
  }
}

/** The text a person reads: the DOM's body with tags, styles and entities removed. */
function visibleText(dom: string): string {
  return dom
    .replace(/<style[\s\S]*?<\/style>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}

backendTest(
  "dashboard in headless Chromium shows a CHALK_ID, its commit and an exec row",
  async (backend) => {
    try {
      await Deno.stat(CHROMIUM);
    } catch {
      throw new Error(`${CHROMIUM} is missing: install the Debian package chromium`);
    }
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const server = await startServer({ backend });
    try {
      const ls = newArtifact({ path: "/home/liming/workspace/chalktest/ls" });
      const hi = newArtifact({
        path: `/work/hi.sh<script>document.body.setAttribute("data-pwned","1")</script>`,
        originUri: "https://github.com/crashappsec/chalk.git",
      });
      const execId = "5e8a0f3c9b7d2e41";
      const reports = [
        insertReport([ls, hi], 1695487471882),
        execReport(ls, { execId, pid: 4242, timestamp: 1695487500000 }),
        execReport(ls, {
          execId,
          operation: "heartbeat",
          heartbeat: 1,
          timestamp: 1695487520000,
        }),
        execReport(hi, { pid: 777, timestamp: 1695487530000 }),
        pushReport(hi, 1695487600000),
      ];
      const posted = await postReports(server.url, `[${reports.join(",\n")}]`);
      assertStrictEquals(posted.json.stored, 5);

      const dom = await chromium(`${server.url}/`, ["--dump-dom"]);
      const text = visibleText(dom);
      assert(text.includes("Recent chalk marks"), text);
      assert(text.includes(ls.chalkId), "CHALK_ID visible");
      assert(text.includes(ls.commitId.slice(0, 12)), "commit visible");
      assertMatch(text, new RegExp(`exec ${ls.chalkId} runner-7 pid 4242`), "exec row visible");
      assertMatch(text, /heartbeat [\w-]+ runner-7 heartbeat # 1/);
      assert(text.includes('hi.sh<script>document.body.setAttribute("data-pwned","1")</script>'));
      assert(!dom.includes('data-pwned="1"'), "injected script did not run");
      assert(!/<script/i.test(dom), "no script element in the DOM");
      await chromium(`${server.url}/`, [
        "--window-size=1400,1000",
        "--hide-scrollbars",
        `--screenshot=${ARTIFACTS}server_dashboard.png`,
      ]);

      const detailUrl = `${server.url}/chalk/${ls.chalkId}`;
      const detail = visibleText(await chromium(detailUrl, ["--dump-dom"]));
      assert(detail.includes(`Chalk ${ls.chalkId}`));
      assert(detail.includes(ls.commitId));
      assertMatch(detail, /Timeline insert .* exec .* heartbeat /);
      await chromium(detailUrl, [
        "--window-size=1400,1100",
        "--hide-scrollbars",
        `--screenshot=${ARTIFACTS}server_chalk_detail.png`,
      ]);

      const search = visibleText(
        await chromium(`${server.url}/search?q=${ls.commitId.slice(0, 10)}`, ["--dump-dom"]),
      );
      assert(search.includes(`1 chalk matching`), search);
      assert(search.includes(ls.chalkId));

      // Where the image built from a commit runs, and what was built from that commit.
      const image = newArtifact({ commitId: ls.commitId, originUri: ls.originUri });
      await postReports(
        server.url,
        `[${buildReport(image, ["chalk-demo:1.0"])}, ${
          execReport({ ...image, path: "/app/server" }, { pid: 4343, timestamp: 1695487700000 })
        }]`,
      );
      const runs = visibleText(await chromium(`${server.url}/runs`, ["--dump-dom"]));
      assertMatch(runs, /Where it runs/);
      assertMatch(
        runs,
        new RegExp(`runner-7 .*chalk-demo:1\\.0 ${image.chalkId} .*4343 .*current`),
      );
      assertMatch(runs, /Executions over time/);
      await chromium(`${server.url}/runs`, [
        "--window-size=1400,1000",
        "--hide-scrollbars",
        `--screenshot=${ARTIFACTS}server_runs.png`,
      ]);
      const commitUrl = `${server.url}/commit/${ls.commitId}`;
      const commit = visibleText(await chromium(commitUrl, ["--dump-dom"]));
      assertMatch(commit, /Images built \(1\) .*chalk-demo:1\.0/);
      assertMatch(commit, new RegExp(`Files built \\(1\\) .*${ls.chalkId}`));
      assertMatch(commit, /Where it runs .*runner-7/);
      await chromium(commitUrl, [
        "--window-size=1400,1100",
        "--hide-scrollbars",
        `--screenshot=${ARTIFACTS}server_commit.png`,
      ]);

      for (
        const name of [
          "server_dashboard.png",
          "server_chalk_detail.png",
          "server_runs.png",
          "server_commit.png",
        ]
      ) {
        const png = await Deno.readFile(`${ARTIFACTS}${name}`);
        assertEquals([...png.slice(1, 4)], [0x50, 0x4e, 0x47], `${name} is a PNG`);
        assert(png.byteLength > 20_000, `${name} has content`);
      }
    } finally {
      await server.stop();
    }
  },
);
