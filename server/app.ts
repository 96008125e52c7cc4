/**
 * The HTTP server around {@linkcode route}: authentication, HEAD, error answers,
 * one log line per request, TLS.
 *
 * @module
 */

import type { ChalkStore } from "./db.ts";
import { isAuthorized } from "./auth.ts";
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
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
  /** `http://host:port` or `https://host:port` as actually bound. */
  url: string;
  /** The bound port. */
  port: number;
  /** Stops accepting requests and waits for in-flight ones. */
  shutdown(): Promise<void>;
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
}

function writeStderr(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(line + "\n"));
}

/** Builds the request handler (exported for in-process use). */
export function createHandler(
  store: ChalkStore,
  options: ServeOptions,
): (request: Request, info: Deno.ServeHandlerInfo) => Promise<Response> {
  const ctx: RouteContext = { store, maxBodyBytes: options.maxBodyBytes };
  const log = options.log ?? writeStderr;
  return async (request, info) => {
    const started = performance.now();
    const url = new URL(request.url);
    const head = request.method === "HEAD";
    let response: Response;
    let note = "";
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
      if (e instanceof HttpError) {
        response = json({ error: e.message }, e.status, e.headers);
        note = e.message;
      } else {
        const reason = errorMessage(e);
        response = json({ error: `internal error: ${reason}` }, 500);
        note = `internal error: ${reason}`;
      }
    }
    if (head) response = new Response(null, { status: response.status, headers: response.headers });
    const ms = (performance.now() - started).toFixed(1);
    const addr = info.remoteAddr as Deno.NetAddr;
    log(
      `${new Date().toISOString()} ${
        addr.hostname ?? "-"
      } "${request.method} ${url.pathname}${url.search}" ` +
        `${response.status} ${ms}ms${note === "" ? "" : " " + note}`,
    );
    return response;
  };
}

/**
 * Starts serving `store`; resolves once the socket is bound.
 *
 * @throws when the address cannot be bound or the certificate is unusable.
 */
export async function serve(store: ChalkStore, options: ServeOptions): Promise<RunningServer> {
  const handler = createHandler(store, options);
  const listening = Promise.withResolvers<Deno.NetAddr>();
  const base = {
    hostname: options.host,
    port: options.port,
    onListen: (addr: Deno.NetAddr): void => listening.resolve(addr),
    onError: (e: unknown): Response => {
      const reason = errorMessage(e);
      return json({ error: `internal error: ${reason}` }, 500);
    },
  };
  const server = options.tls === null
    ? Deno.serve(base, handler)
    : Deno.serve({ ...base, cert: options.tls.cert, key: options.tls.key }, handler);
  const addr = await listening.promise;
  const scheme = options.tls === null ? "http" : "https";
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  return {
    url: `${scheme}://${host}:${addr.port}`,
    port: addr.port,
    shutdown: () => server.shutdown(),
    finished: server.finished,
  };
}
