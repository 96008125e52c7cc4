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

/** Renders `/repos` (JSON: `/api/repos`). */
export async function reposView(ctx: ViewContext): Promise<View> {
  const page = await listRepos(ctx.sql, pageLimit(ctx.url), param(ctx.url, "before"));
  const body = html`
    <h1>Repositories</h1>
    ${repoTable(page.rows, "No build with a repository (ORIGIN_URI) yet.")}
    ${olderLink(ctx.url, page.next)}
  `;
  return { title: "Repositories", data: { repos: page.rows, next: page.next }, body };
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
