/**
 * `/marks`: every chalk mark (insert and build), newest first, a page at a time, filtered by
 * repository, commit, branch or artifact type.
 *
 * @module
 */

import { html } from "./html.ts";
import { listMarks, type MarkFilters } from "./queries.ts";
import { chalkTable } from "./tables.ts";
import { filterForm, olderLink, pageLimit, param, type View, type ViewContext } from "./view.ts";

/** Renders `/marks` (JSON: `/api/marks`). */
export async function marksView(ctx: ViewContext): Promise<View> {
  const filters: MarkFilters = {
    repo: param(ctx.url, "repo"),
    commit: param(ctx.url, "commit"),
    branch: param(ctx.url, "branch"),
    type: param(ctx.url, "type"),
  };
  const page = await listMarks(ctx.sql, filters, pageLimit(ctx.url), param(ctx.url, "before"));
  const body = html`
    <h1>Chalk marks</h1>
    ${filterForm("/marks", ctx.url, [["repo", "Repository"], ["commit", "Commit"], [
      "branch",
      "Branch",
    ], ["type", "Type"]])}
    ${chalkTable(page.rows, "No chalk mark matches.")}
    ${olderLink(ctx.url, page.next)}
  `;
  return { title: "Chalk marks", data: { filters, marks: page.rows, next: page.next }, body };
}
