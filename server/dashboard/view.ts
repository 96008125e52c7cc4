/**
 * What every dashboard page is: a title, the data it shows (which its JSON twin under `/api`
 * answers), and the HTML body drawn from that data. Plus the paging and filter helpers the
 * pages share.
 *
 * @module
 */

import { HttpError } from "../http_error.ts";
import type { SqlClient } from "../store/sql_client.ts";
import { html, SafeHtml } from "./html.ts";

/** A page's content. */
export interface View {
  /** The document title. */
  title: string;
  /** What the page shows, as served by `/api/...`. */
  data: unknown;
  /** The page's HTML body. */
  body: SafeHtml;
}

/** What a view reads. */
export interface ViewContext {
  /** The database. */
  sql: SqlClient;
  /** The request URL (query parameters are the view's filters and cursor). */
  url: URL;
  /** Now, in ms. */
  now: number;
  /** Runs whose last report is older than this (ms) are stale. */
  staleBefore: number;
}

/** Rows per page unless `limit` says otherwise. */
export const PAGE_SIZE = 50;

/** Largest `limit` a page accepts. */
export const MAX_PAGE_SIZE = 500;

/** `limit` from the query, 1..{@linkcode MAX_PAGE_SIZE}, default {@linkcode PAGE_SIZE}. */
export function pageLimit(url: URL, fallback = PAGE_SIZE): number {
  const v = url.searchParams.get("limit");
  if (v === null) return fallback;
  if (!/^[0-9]{1,4}$/.test(v) || Number(v) < 1 || Number(v) > MAX_PAGE_SIZE) {
    throw new HttpError(400, `query parameter limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return Number(v);
}

/** A query parameter, trimmed; `undefined` when absent or empty. */
export function param(url: URL, name: string): string | undefined {
  const v = url.searchParams.get(name)?.trim();
  return v === undefined || v === "" ? undefined : v;
}

/** The same page one step older (`before=next`), or nothing on the last page. */
export function olderLink(url: URL, next: string | null, label = "Older →"): SafeHtml | null {
  if (next === null) return null;
  const older = new URL(url);
  older.searchParams.set("before", next);
  return html`<p class="pager"><a rel="next" href="${older.pathname}${older.search}">${label}</a></p>`;
}

/** A link to `path` keeping nothing of the current query but `keep`. */
export function linkTo(path: string, query: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s === "" ? path : `${path}?${s}`;
}

/** A filter form whose fields keep their values; a label ending in `?` is a checkbox. */
export function filterForm(
  action: string,
  url: URL,
  fields: readonly [name: string, label: string][],
): SafeHtml {
  const field = (name: string, label: string): SafeHtml => {
    const value = url.searchParams.get(name) ?? "";
    return label.endsWith("?")
      ? html`
        <label
          class="check"><input type="checkbox" name="${name}" value="1"${new SafeHtml(
            value === "1" ? " checked" : "",
          )}> ${label.slice(0, -1)}</label>
      `
      : html`<label>${label} <input name="${name}" value="${value}"></label>`;
  };
  return html`
    <form class="filters" action="${action}" method="get">
    ${fields.map(([name, label]) => field(name, label))}
    <button type="submit">Filter</button>
    </form>
  `;
}
