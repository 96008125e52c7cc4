/**
 * What the dashboard says about one artifact is about that artifact: a report carrying several
 * chalks shows, on each chalk's page, the facts of that chalk; container images are shown and
 * found by name and tag.
 */

import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { buildReport, execReport, insertReport, newArtifact } from "./_reports.ts";
import { backendTest, postReports, startServer } from "./_server.ts";

async function text(url: string): Promise<string> {
  const res = await fetch(url);
  return await res.text();
}

/** The timeline's summaries, without the raw reports folded under each entry. */
function timelineOf(page: string): string {
  return page.slice(page.indexOf('<ol class="timeline">')).replace(
    /<details>[\s\S]*?<\/details>/g,
    "",
  );
}

backendTest(
  "chalk page timeline shows the facts of the chalk the page is about",
  async (backend) => {
    const server = await startServer({ backend });
    try {
      const first = newArtifact({ path: "/src/first-artifact" });
      const second = newArtifact({ path: "/src/second-artifact" });
      await postReports(server.url, `[${insertReport([first, second])}]`);
      const page = await text(`${server.url}/chalk/${second.chalkId}`);
      const timeline = timelineOf(page);
      assertMatch(timeline, /chalked at: <span class="mono">\/src\/second-artifact<\/span>/);
      assert(!timeline.includes("/src/first-artifact"), "no fact of the other chalk");
    } finally {
      await server.stop();
    }
  },
);

backendTest("docker images are shown and found by name and tag", async (backend) => {
  const server = await startServer({ backend });
  try {
    const image = newArtifact({ originUri: "https://github.com/acme/shop.git" });
    const posted = await postReports(
      server.url,
      `[${buildReport(image, ["shop-api:1.4.2", "registry.acme.test:5000/shop/api:latest"])}]`,
    );
    assertEquals(posted.json.chalks_stored, 1);

    const home = await text(`${server.url}/`);
    assert(home.includes("shop-api:1.4.2"), "home lists the image by name and tag");
    assert(home.includes("registry.acme.test:5000/shop/api:latest"));
    const row = home.slice(home.indexOf(image.chalkId));
    assert(
      !row.slice(0, 600).includes('<span class="muted">—</span></td>\n          <td class="path"'),
    );

    const page = await text(`${server.url}/chalk/${image.chalkId}`);
    assert(page.includes("shop-api:1.4.2"), "chalk page names the image");
    const timeline = timelineOf(page);
    assertMatch(timeline, /image: <span class="mono">shop-api:1\.4\.2, /);
    assert(!/tags: <span class="mono">docker\.io/.test(timeline), "no registry shown as a tag");

    for (const q of ["shop-api:1.4.2", "shop-api", "1.4.2", "shop/api:latest"]) {
      const found = await text(`${server.url}/search?q=${encodeURIComponent(q)}`);
      assert(found.includes(`href="/chalk/${image.chalkId}"`), `search ${q}`);
    }
    const api = await (await fetch(`${server.url}/api/marks`)).json();
    assertEquals(
      api.marks[0].image_refs,
      "shop-api:1.4.2, registry.acme.test:5000/shop/api:latest",
    );

    // A run of the image shows the image on "where it runs".
    await postReports(server.url, `[${execReport({ ...image, path: "/app/server" })}]`);
    const runs = await text(`${server.url}/runs`);
    assert(runs.includes("shop-api:1.4.2"), "the run names its image");
  } finally {
    await server.stop();
  }
});
