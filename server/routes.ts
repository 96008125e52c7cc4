/**
 * The server's routes: the JSON API (docs/server.md, "JSON API") and the dashboard.
 *
 * | route | answer |
 * |---|---|
 * | `POST /report` (also `PUT`) | store a JSON array of reports (or one); `{stored, duplicates, ...}` |
 * | `GET /chalks`, `/chalks/{METADATA_ID}` | chalk rows: chalk keys merged with report keys |
 * | `GET /execs` | exec and heartbeat reports |
 * | `GET /reports?operation=` | reports, optionally of some operations |
 * | `GET /health`, `/version` | status |
 * | `GET /`, `/chalk/{CHALK_ID}`, `/search?q=` | dashboard pages |
 *
 * @module
 */

import type { ChalkStore, ListOptions } from "./db.ts";
import { EXEC_OPERATIONS } from "./db.ts";
import { chalkPage } from "./dashboard/chalk_page.ts";
import { homePage } from "./dashboard/home_page.ts";
import type { SafeHtml } from "./dashboard/html.ts";
import { messagePage } from "./dashboard/layout.ts";
import { searchPage } from "./dashboard/search_page.ts";
import { HttpError } from "./http_error.ts";
import { ingestReports } from "./ingest.ts";

/** The server version reported by `/version` and `/health`. */
export const SERVER_VERSION = "0.1.0";

/** What routes need. */
export interface RouteContext {
  /** The store. */
  store: ChalkStore;
  /** Body limit for `POST /report`, in bytes. */
  maxBodyBytes: number;
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
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** A JSON response for a value. */
export function json(value: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return jsonText(JSON.stringify(value), status, headers);
}

function rawList(raws: readonly string[]): Response {
  return jsonText(raws.length === 0 ? "[]" : `[\n${raws.join(",\n")}\n]`);
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

function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null) return undefined;
  if (!/^[0-9]{1,9}$/.test(v)) {
    throw new HttpError(400, `query parameter ${name} must be a non-negative integer`);
  }
  return Number(v);
}

function listOptions(url: URL): ListOptions {
  return { limit: intParam(url, "limit"), offset: intParam(url, "offset") };
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
  const db = ctx.store.db;

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
    return { response: rawList(ctx.store.listChalks(listOptions(url))) };
  }
  if (path.startsWith("/chalks/") && path.indexOf("/", 8) < 0) {
    get();
    const id = decodeSegment(path.slice(8));
    const raw = ctx.store.getChalk(id);
    if (raw === undefined) throw new HttpError(404, `no chalk with METADATA_ID ${id}`);
    return { response: jsonText(raw) };
  }
  if (path === "/execs") {
    get();
    return { response: rawList(ctx.store.listReports(EXEC_OPERATIONS, listOptions(url))) };
  }
  if (path === "/reports") {
    get();
    const ops = url.searchParams.getAll("operation").flatMap((o) => o.split(","))
      .map((o) => o.trim()).filter((o) => o !== "");
    return {
      response: rawList(ctx.store.listReports(ops.length === 0 ? null : ops, listOptions(url))),
    };
  }
  if (path === "/health") {
    get();
    return {
      response: json({ status: "ok", version: SERVER_VERSION, ...ctx.store.counts() }),
    };
  }
  if (path === "/version") {
    get();
    return { response: json({ version: SERVER_VERSION }) };
  }
  if (path === "/") {
    get();
    return { response: htmlResponse(homePage(db)) };
  }
  if (path === "/search") {
    get();
    return { response: htmlResponse(searchPage(db, url.searchParams.get("q") ?? "")) };
  }
  if (path.startsWith("/chalk/") && path.indexOf("/", 7) < 0 && path.length > 7) {
    get();
    const id = decodeSegment(path.slice(7));
    const doc = chalkPage(db, id);
    if (doc === null) {
      return {
        response: htmlResponse(
          messagePage("Chalk not found", `No report mentions the CHALK_ID ${id}.`),
          404,
        ),
      };
    }
    return { response: htmlResponse(doc) };
  }
  throw new HttpError(404, `no route for ${method} ${path}`);
}
