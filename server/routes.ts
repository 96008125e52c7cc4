/**
 * The server's routes: the JSON API (docs/server.md, "JSON API") and the dashboard, each
 * dashboard page with a JSON twin under `/api`.
 *
 * @module
 */

import type { Backend } from "./store/sql_client.ts";
import {
  type ChalkStore,
  CursorError,
  EXEC_OPERATIONS,
  type Page,
  type PageOptions,
} from "./store/chalk_store.ts";
import { chalkView } from "./dashboard/chalk_page.ts";
import { commitView } from "./dashboard/commit_page.ts";
import { executionsView } from "./dashboard/executions_page.ts";
import { homeView } from "./dashboard/home_page.ts";
import type { SafeHtml } from "./dashboard/html.ts";
import { messagePage, page } from "./dashboard/layout.ts";
import { marksView } from "./dashboard/marks_page.ts";
import { reposView, repoView } from "./dashboard/repos_page.ts";
import { runsView } from "./dashboard/runs_page.ts";
import { searchView } from "./dashboard/search_page.ts";
import type { View, ViewContext } from "./dashboard/view.ts";
import type { ConnectionStats } from "./http1/connection_table.ts";
import { HttpError } from "./http_error.ts";
import { CHALK_VERSION } from "../internal/version.ts";
import { ingestReports } from "./ingest.ts";
import { viewJson } from "./view_json.ts";

/** The server version reported by `/version` and `/health`: chalk-ts's, it ships with chalk. */
export const SERVER_VERSION = CHALK_VERSION;

/** Rows per page of the JSON lists unless `limit` says otherwise. */
export const API_PAGE_SIZE = 1000;

/** Largest `limit` of the JSON lists. */
export const API_MAX_PAGE_SIZE = 10_000;

/** What routes need. */
export interface RouteContext {
  /** The store. */
  store: ChalkStore;
  /** Body limit for `POST /report`, in bytes. */
  maxBodyBytes: number;
  /** A run with no report for this long (ms) is shown as stale. */
  staleAfterMs: number;
  /** The listener's connection counters, shown by `/health`. */
  connections?: () => ConnectionStats | undefined;
}

/** A response plus an optional note for the request log line. */
export interface RouteResult {
  /** The answer. */
  response: Response;
  /** Extra text for the log line (e.g. what a POST stored). */
  note?: string;
}

/** Paths that need no token even when one is configured. */
export const PUBLIC_PATHS: ReadonlySet<string> = new Set(["/health"]);

/** A JSON response from already-serialised text. */
export function jsonText(
  text: string,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(text + "\n", {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-content-type-options": "nosniff",
      ...headers,
    },
  });
}

/** A JSON response for a value. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonText(JSON.stringify(value), status, headers);
}

function htmlResponse(doc: SafeHtml, status = 200): Response {
  return new Response(doc.markup, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      "x-content-type-options": "nosniff",
    },
  });
}

function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!/^[0-9]{1,9}$/.test(v) || Number(v) < min || Number(v) > max) {
    throw new HttpError(400, `query parameter ${name} must be an integer from ${min} to ${max}`);
  }
  return Number(v);
}

function pageOptions(url: URL): PageOptions {
  return {
    // An empty page has no last row to continue after: its next link would name itself.
    limit: intParam(url, "limit", 1, API_MAX_PAGE_SIZE) ?? API_PAGE_SIZE,
    offset: intParam(url, "offset", 0, 1e9),
    after: url.searchParams.get("after") ?? undefined,
  };
}

/** A JSON array of raw texts; `Link: <...>; rel="next"` when there is more. */
function rawList(url: URL, page: Page): Response {
  const headers: Record<string, string> = {};
  if (page.next !== null) {
    const next = new URL(url);
    next.searchParams.set("after", page.next);
    next.searchParams.delete("offset");
    headers.link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  const text = page.raws.length === 0 ? "[]" : `[\n${page.raws.join(",\n")}\n]`;
  return jsonText(text, 200, headers);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, "malformed percent-encoding in path");
  }
}

function methodNotAllowed(method: string, path: string, allow: string): never {
  throw new HttpError(405, `${method} is not allowed on ${path} (allowed: ${allow})`, {
    allow,
  });
}

type Loader = (ctx: ViewContext, store: ChalkStore, rest: string) => Promise<View | null>;

/** Dashboard pages by path (a trailing `/` takes the rest of the path as an argument). */
const VIEWS: ReadonlyMap<string, Loader> = new Map<string, Loader>([
  ["/", (ctx, store) => homeView(ctx, store)],
  ["/marks", (ctx) => marksView(ctx)],
  ["/executions", (ctx) => executionsView(ctx)],
  ["/runs", (ctx) => runsView(ctx)],
  ["/repos", (ctx) => reposView(ctx)],
  ["/repo", (ctx) => repoView(ctx)],
  ["/search", (ctx) => searchView(ctx)],
  ["/commit/", (ctx, _store, rest) => commitView(ctx, rest)],
  ["/chalk/", (ctx, _store, rest) => chalkView(ctx, rest)],
]);

/** The API twin of a page path: `/` is `/api/summary`. */
function apiPath(path: string): string {
  return path === "/" ? "/api/summary" : `/api${path}`;
}

function findView(path: string): { loader: Loader; rest: string; pagePath: string } | null {
  if (path === "/api/") return null;
  const pagePath = path === "/api/summary" ? "/" : path.startsWith("/api/") ? path.slice(4) : path;
  const direct = VIEWS.get(pagePath);
  if (direct !== undefined) return { loader: direct, rest: "", pagePath };
  for (const [prefix, loader] of VIEWS) {
    if (!prefix.endsWith("/") || prefix === "/" || !pagePath.startsWith(prefix)) continue;
    const rest = pagePath.slice(prefix.length);
    if (rest === "" || rest.includes("/")) continue;
    return { loader, rest: decodeSegment(rest), pagePath };
  }
  return null;
}

async function dashboard(
  ctx: RouteContext,
  url: URL,
  found: { loader: Loader; rest: string; pagePath: string },
): Promise<Response> {
  const api = url.pathname.startsWith("/api/");
  const now = Date.now();
  const view = await found.loader(
    { sql: ctx.store.sql, url, now, staleBefore: now - ctx.staleAfterMs },
    ctx.store,
    found.rest,
  );
  if (view === null) {
    const what = found.pagePath.startsWith("/chalk/")
      ? `No report mentions the CHALK_ID ${found.rest}.`
      : `Nothing was built from a commit starting with ${found.rest} (give at least 7 characters).`;
    if (api) throw new HttpError(404, what);
    return htmlResponse(messagePage("Not found", what), 404);
  }
  if (api) return jsonText(viewJson(view.data));
  return htmlResponse(
    page(view.title, view.body, {
      query: url.pathname === "/search" ? url.searchParams.get("q") ?? "" : "",
      api: `${apiPath(found.pagePath)}${url.search}`,
    }),
  );
}

/** What `/health` answers: status, version, backend, row counts and connections. */
async function health(ctx: RouteContext): Promise<Record<string, unknown>> {
  const backend: Backend = ctx.store.backend;
  const counts = await ctx.store.counts();
  return {
    status: "ok",
    version: SERVER_VERSION,
    backend,
    ...counts,
    connections: ctx.connections?.(),
  };
}

/**
 * Answers one request. HEAD is treated as GET by the caller.
 *
 * @throws {HttpError} for every client error (404 for unknown paths).
 */
export async function route(ctx: RouteContext, request: Request, url: URL): Promise<RouteResult> {
  const path = url.pathname;
  const method = request.method;
  const get = (): void => {
    if (method !== "GET") methodNotAllowed(method, path, "GET, HEAD");
  };
  try {
    if (path === "/report") {
      if (method !== "POST" && method !== "PUT") methodNotAllowed(method, path, "POST, PUT");
      const summary = await ingestReports(ctx.store, request, ctx.maxBodyBytes);
      return {
        response: json(summary),
        note: `stored=${summary.stored} duplicates=${summary.duplicates}`,
      };
    }
    if (path === "/chalks") {
      get();
      return { response: rawList(url, await ctx.store.listChalks(pageOptions(url))) };
    }
    if (path.startsWith("/chalks/") && path.indexOf("/", 8) < 0) {
      get();
      const id = decodeSegment(path.slice(8));
      const raw = await ctx.store.getChalk(id);
      if (raw === undefined) throw new HttpError(404, `no chalk with METADATA_ID ${id}`);
      return { response: jsonText(raw) };
    }
    if (path === "/execs") {
      get();
      return {
        response: rawList(url, await ctx.store.listReports(EXEC_OPERATIONS, pageOptions(url))),
      };
    }
    if (path === "/reports") {
      get();
      const ops = url.searchParams.getAll("operation").flatMap((o) => o.split(","))
        .map((o) => o.trim()).filter((o) => o !== "");
      const list = await ctx.store.listReports(ops.length === 0 ? null : ops, pageOptions(url));
      return { response: rawList(url, list) };
    }
    if (path === "/health") {
      get();
      return { response: json(await health(ctx)) };
    }
    if (path === "/version") {
      get();
      return { response: json({ version: SERVER_VERSION }) };
    }
    const found = findView(path);
    if (found !== null) {
      get();
      return { response: await dashboard(ctx, url, found) };
    }
  } catch (e) {
    if (e instanceof CursorError) throw new HttpError(400, e.message);
    throw e;
  }
  throw new HttpError(404, `no route for ${method} ${path}`);
}
