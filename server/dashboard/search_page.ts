/**
 * `/search?q=`: chalks by CHALK_ID, METADATA_ID, commit, repository, branch or path.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { html, type SafeHtml } from "./html.ts";
import { page } from "./layout.ts";
import { searchChalks } from "./queries.ts";
import { chalkTable } from "./tables.ts";

/** Most results shown. */
export const SEARCH_LIMIT = 200;

/** Renders the results for `query`. */
export function searchPage(db: DatabaseSync, query: string): SafeHtml {
  const q = query.trim();
  const rows = q === "" ? [] : searchChalks(db, q, SEARCH_LIMIT);
  const body = html`
    <h1>Search</h1>
    <form class="search" action="/search" method="get">
    <input type="search" name="q" value="${q}" placeholder="CHALK_ID, repository or commit"
      aria-label="Search chalks"><button type="submit">Search</button>
    </form>
    <p class="muted">${q === ""
      ? "Type a CHALK_ID, METADATA_ID, commit (or its start), repository, branch or path."
      : `${rows.length} chalk${rows.length === 1 ? "" : "s"} matching “${q}”.`}</p>
    ${q === "" ? null : chalkTable(rows, "Nothing matches.")}
  `;
  return page(q === "" ? "Search" : `Search: ${q}`, body, q);
}
