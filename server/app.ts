/**
 * The HTTP server around {@linkcode route}: authentication, HEAD (routed as GET; the listener
 * sends its head without the body), error answers, one log line
 * per request, over the HTTP/1.1 listener of `http1/` (TLS, connection limits).
 *
 * @module
 */

import type { ChalkStore } from "./store/chalk_store.ts";
import { StoreUnavailableError } from "./store/sql_client.ts";
import { isAuthorized } from "./auth.ts";
import { ClientAbortError } from "./client_abort.ts";
import type { ConnectionStats } from "./http1/connection_table.ts";
import { type Http1Server, serveHttp1 } from "./http1/serve_http1.ts";
import { HttpError } from "./http_error.ts";
import { json, PUBLIC_PATHS, route, type RouteContext } from "./routes.ts";
import { errorMessage } from "../internal/errors.ts";

/** How the server runs. */
export interface ServeOptions {
  /** Interface to listen on. */
  host: string;
  /** Port (0 = any free port). */
  port: number;
  /** Token required on every route but `/health`, or `null`. */
  token: string | null;
  /** Largest `POST /report` body in bytes. */
  maxBodyBytes: number;
  /** PEM certificate and key text for HTTPS, or `null` for plain HTTP. */
  tls: { cert: string; key: string } | null;
  /** Most open connections (already lowered below the file-descriptor limit). */
  maxConnections: number;
  /** Time for a request's headers, and keep-alive idle time (ms). */
  headerTimeoutMs: number;
  /** Time for a request's body (ms). */
  bodyTimeoutMs: number;
  /** A run with no report for this long (ms) is shown as stale. */
  staleAfterMs: number;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** `http://host:port` or `https://host:port` as actually bound. */
  url: string;
  /** The bound port. */
  port: number;
  /** What the connection table did so far. */
  connections: ConnectionStats;
  /** Stops accepting, closes idle connections and waits for in-flight requests. */
  shutdown(): Promise<void>;
}

function writeStderr(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}

/** Seconds a client should wait before re-sending after a 503. */
const RETRY_AFTER_S = 5;

/** Turns what a route threw into the answer and the log note. */
function errorAnswer(e: unknown): { response: Response; note: string } {
  if (e instanceof HttpError) {
    return { response: json({ error: e.message }, e.status, e.headers), note: e.message };
  }
  if (e instanceof StoreUnavailableError) {
    return {
      response: json({ error: e.message }, 503, { "retry-after": String(RETRY_AFTER_S) }),
      note: e.message,
    };
  }
  if (e instanceof ClientAbortError) {
    // Nobody is left to read the answer; the log says what happened.
    return { response: json({ error: e.message }, 400), note: `client aborted: ${e.message}` };
  }
  const reason = errorMessage(e);
  return {
    response: json({ error: `internal error: ${reason}` }, 500),
    note: `internal error: ${reason}`,
  };
}

/** Builds the request handler (exported for in-process use). */
export function createHandler(
  ctx: RouteContext,
  options: { token: string | null; log?: (line: string) => void },
): (request: Request, client: string) => Promise<{ response: Response; aborted: boolean }> {
  const log = options.log ?? writeStderr;
  return async (request, client) => {
    const started = performance.now();
    const url = new URL(request.url);
    const head = request.method === "HEAD";
    let response: Response;
    let note = "";
    let aborted = false;
    try {
      if (options.token !== null && !PUBLIC_PATHS.has(url.pathname)) {
        if (!isAuthorized(request.headers.get("authorization"), options.token)) {
          throw new HttpError(401, "missing or wrong token", {
            "www-authenticate": 'Basic realm="chalk server", Bearer realm="chalk server"',
          });
        }
      }
      const routed = await route(
        ctx,
        head ? new Request(request.url, { method: "GET" }) : request,
        url,
      );
      response = routed.response;
      note = routed.note ?? "";
    } catch (e) {
      aborted = e instanceof ClientAbortError;
      ({ response, note } = errorAnswer(e));
    }
    const ms = (performance.now() - started).toFixed(1);
    const status = aborted ? "aborted" : String(response.status);
    log(
      `${new Date().toISOString()} ${client} "${request.method} ${url.pathname}${url.search}" ` +
        `${status} ${ms}ms${note === "" ? "" : " " + note}`,
    );
    return { response, aborted };
  };
}

/**
 * Starts serving `store`; resolves once the socket is bound.
 *
 * @throws when the address cannot be bound or the certificate is unusable.
 */
export function serve(store: ChalkStore, options: ServeOptions): Promise<RunningServer> {
  const log = options.log ?? writeStderr;
  const handler = createHandler(
    {
      store,
      maxBodyBytes: options.maxBodyBytes,
      staleAfterMs: options.staleAfterMs,
      connections: () => listener.stats,
    },
    { token: options.token, log },
  );
  const listener: Http1Server = serveHttp1({
    host: options.host,
    port: options.port,
    tls: options.tls,
    limits: {
      maxConnections: options.maxConnections,
      headerTimeoutMs: options.headerTimeoutMs,
      bodyTimeoutMs: options.bodyTimeoutMs,
    },
    log,
  }, handler);
  return Promise.resolve({
    url: listener.url,
    port: listener.port,
    connections: listener.stats,
    shutdown: () => listener.shutdown(),
  });
}
