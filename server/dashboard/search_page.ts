/**
 * `/search?q=`: chalks by CHALK_ID, METADATA_ID, commit, repository, branch, path or image.
 *
 * @module
 */

import { html } from "./html.ts";
import { searchChalks } from "./queries.ts";
import { chalkTable } from "./tables.ts";
import type { View, ViewContext } from "./view.ts";

/** Most results shown. */
export const SEARCH_LIMIT = 200;

/** Renders the results for `q` (JSON: `/api/search?q=`). */
export async function searchView(ctx: ViewContext): Promise<View> {
  const q = (ctx.url.searchParams.get("q") ?? "").trim();
  const rows = q === "" ? [] : await searchChalks(ctx.sql, q, SEARCH_LIMIT);
  const body = html`
    <h1>Search</h1>
    <form class="search" action="/search" method="get">
    <input type="search" name="q" value="${q}" placeholder="CHALK_ID, repository, commit or image"
      aria-label="Search chalks"><button type="submit">Search</button>
    </form>
    <p class="muted">${q === ""
      ? "Type a CHALK_ID, METADATA_ID, commit (or its start), repository, branch, path or image tag."
      : `${rows.length} chalk${rows.length === 1 ? "" : "s"} matching “${q}”.`}</p>
    ${q === "" ? null : chalkTable(rows, "Nothing matches.")}
  `;
  return { title: q === "" ? "Search" : `Search: ${q}`, data: { q, chalks: rows }, body };
}
