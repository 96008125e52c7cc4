/**
 * `/commit/{COMMIT_ID}` (or its first 7+ characters): what was built from a commit (files and
 * images) and where those builds run.
 *
 * @module
 */

import { html } from "./html.ts";
import { repoLink } from "./cells.ts";
import { findCommits, listMarks, listRuns } from "./queries.ts";
import { chalkTable, runTable } from "./tables.ts";
import { linkTo, MAX_PAGE_SIZE, type View, type ViewContext } from "./view.ts";

/** Renders the page, or `null` when nothing was built from a commit starting with `commit`. */
export async function commitView(ctx: ViewContext, commit: string): Promise<View | null> {
  const commits = commit.length < 7 ? [] : await findCommits(ctx.sql, commit);
  if (commits.length === 0) return null;
  const full = commits[0].commit_id;
  const staleBefore = ctx.staleBefore;
  const [marks, runs] = await Promise.all([
    listMarks(ctx.sql, { commit: full }, MAX_PAGE_SIZE),
    listRuns(ctx.sql, { commit: full }, MAX_PAGE_SIZE, { staleBefore }),
  ]);
  const images = marks.rows.filter((m) =>
    m.image_refs !== null || /docker/i.test(m.artifact_type ?? "")
  );
  const files = marks.rows.filter((m) => !images.includes(m));
  const body = html`
    <h1>Commit <span class="mono">${full}</span></h1>
    <dl class="facts">
      ${commits.map((c) =>
        html`
          <dt>Repository</dt>
          <dd>${repoLink(c.origin_uri)}</dd>
          <dt>Branch</dt>
          <dd>${c.branch ?? "—"}</dd>
        `
      )}
    </dl>
    <h2>Images built (${images.length})</h2>
    ${chalkTable(images, "No container image was built from this commit.")}
    <h2>Files built (${files.length})</h2>
    ${chalkTable(files, "No file was chalked from this commit.")}
    ${marks.next === null
      ? null
      : html`<p class="pager"><a href="${
        linkTo("/marks", { commit: full, before: marks.next })
      }">More chalk marks →</a></p>`}
    <h2>Where it runs</h2>
    ${runTable(runs.rows, staleBefore, "Nothing built from this commit has reported an execution.")}
    ${runs.next === null
      ? null
      : html`<p class="pager"><a href="${
        linkTo("/runs", { commit: full, before: runs.next })
      }">More runs →</a></p>`}
  `;
  return {
    title: `Commit ${full.slice(0, 12)}`,
    data: { commit_id: full, repositories: commits, images, files, runs: runs.rows },
    body,
  };
}
