/**
 * `/search?q=`: chalks by CHALK_ID, METADATA_ID, commit, repository, branch, path or image.
 *
 * @module
 */

import { html } from "./html.ts";
import { searchChalks } from "./queries.ts";
import { chalkTable } from "./tables.ts";
import { olderLink, pageLimit, param, type View, type ViewContext } from "./view.ts";

function matchCount(n: number, q: string, paged: boolean): string {
  const chalks = `${n} chalk${n === 1 ? "" : "s"}`;
  return paged
    ? `${chalks} matching “${q}” on this page, most recently seen first.`
    : `${chalks} matching “${q}”.`;
}

/** Renders the results for `q` (JSON: `/api/search?q=`). */
export async function searchView(ctx: ViewContext): Promise<View> {
  const q = (ctx.url.searchParams.get("q") ?? "").trim();
  const before = param(ctx.url, "before");
  const page = q === ""
    ? { rows: [], next: null }
    : await searchChalks(ctx.sql, q, pageLimit(ctx.url), before);
  const rows = page.rows;
  const body = html`
    <h1>Search</h1>
    <form class="search" action="/search" method="get">
    <input type="search" name="q" value="${q}" placeholder="CHALK_ID, repository, commit or image"
      aria-label="Search chalks"><button type="submit">Search</button>
    </form>
    <p class="muted">${q === ""
      ? "Type a CHALK_ID, METADATA_ID, commit (or its start), repository, branch, path or image tag."
      : matchCount(rows.length, q, page.next !== null || before !== undefined)}</p>
    ${q === "" ? null : chalkTable(rows, "Nothing matches.")}
    ${olderLink(ctx.url, page.next)}
  `;
  return {
    title: q === "" ? "Search" : `Search: ${q}`,
    data: { q, chalks: rows, next: page.next },
    body,
  };
}
