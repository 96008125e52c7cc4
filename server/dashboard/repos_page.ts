/**
 * `/repos` (every repository chalk built from) and `/repo?uri=` (one repository: the commits
 * built from it, newest first, each linking to what was built from it and where that runs).
 *
 * @module
 */

import { HttpError } from "../http_error.ts";
import { html } from "./html.ts";
import { commitsOfRepo, listRepos } from "./queries.ts";
import { commitTable, repoTable } from "./tables.ts";
import { linkTo, olderLink, pageLimit, param, type View, type ViewContext } from "./view.ts";

/** Renders `/repos` (JSON: `/api/repos`); `page` numbers the pages from 1. */
export async function reposView(ctx: ViewContext): Promise<View> {
  const limit = pageLimit(ctx.url);
  const pageParam = param(ctx.url, "page") ?? "1";
  if (!/^[1-9][0-9]{0,5}$/.test(pageParam)) {
    throw new HttpError(400, "query parameter page must be a positive integer");
  }
  const page = Number(pageParam);
  const rows = await listRepos(ctx.sql, limit + 1, (page - 1) * limit);
  const next = rows.length > limit
    ? html`<p class="pager"><a rel="next" href="${
      linkTo("/repos", { page: String(page + 1), limit: param(ctx.url, "limit") })
    }">More →</a></p>`
    : null;
  const body = html`
    <h1>Repositories</h1>
    ${repoTable(rows.slice(0, limit), "No build with a repository (ORIGIN_URI) yet.")}
    ${next}
  `;
  return { title: "Repositories", data: { repos: rows.slice(0, limit), page }, body };
}

/** Renders `/repo?uri=` (JSON: `/api/repo?uri=`). */
export async function repoView(ctx: ViewContext): Promise<View> {
  const uri = param(ctx.url, "uri");
  if (uri === undefined) throw new HttpError(400, "query parameter uri is required");
  const page = await commitsOfRepo(ctx.sql, uri, pageLimit(ctx.url), param(ctx.url, "before"));
  const body = html`
    <h1>Repository <span class="mono">${uri}</span></h1>
    <p><a href="${linkTo("/marks", { repo: uri })}">Every chalk mark from this repository</a></p>
    <h2>Commits built</h2>
    ${commitTable(page.rows, "Nothing was built from this repository.")}
    ${olderLink(ctx.url, page.next)}
  `;
  return {
    title: `Repository ${uri}`,
    data: { origin_uri: uri, commits: page.rows, next: page.next },
    body,
  };
}
