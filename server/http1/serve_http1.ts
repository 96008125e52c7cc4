/**
 * The server's HTTP/1.1 listener on `Deno.listen` / `Deno.listenTls`. It exists because neither
 * `Deno.serve` nor Deno's `node:http` lets a server survive running out of file descriptors
 * (both stop accepting for good after EMFILE) or see its connections (header and body
 * timeouts, the connection cap): docs/server.md, "Limits". Accept failures back off and retry;
 * every connection goes through the {@linkcode ConnectionTable}.
 *
 * @module
 */

import { errorMessage } from "../../internal/errors.ts";
import { bodyReader } from "./body_stream.ts";
import { ConnReader, HeadTooLargeError } from "./conn_reader.ts";
import {
  type ConnectionLimits,
  type ConnectionStats,
  ConnectionTable,
} from "./connection_table.ts";
import { bodyFraming, HeadError, parseRequestHead, type RequestHead } from "./request_head.ts";
import { writeResponse } from "./write_response.ts";

/** Pending connections the kernel may queue (it caps this at `net.core.somaxconn`). */
const ACCEPT_BACKLOG = 4096;

/** Waiting connections closed when accepting fails for want of file descriptors. */
const SHED_ON_EMFILE = 32;

/** Longest pause between failed accepts: a waiting client must not wait much longer. */
const MAX_ACCEPT_BACKOFF_MS = 50;

/** The fetch-style handler: a request and the client's address in, the answer out. */
export type Http1Handler = (
  request: Request,
  client: string,
) => Promise<{ response: Response; aborted: boolean }>;

/** How the listener runs. */
export interface Http1Options {
  /** Interface to listen on. */
  host: string;
  /** Port (0 = any free port). */
  port: number;
  /** PEM certificate and key for HTTPS, or `null`. */
  tls: { cert: string; key: string } | null;
  /** Connection cap and timeouts. */
  limits: ConnectionLimits;
  /** Largest request head in bytes (default 16 KiB; larger heads get 431). */
  maxHeadBytes?: number;
  /** Where accept failures are logged. */
  log: (line: string) => void;
}

/** A running listener. */
export interface Http1Server {
  /** `http(s)://host:port` as bound. */
  url: string;
  /** The bound port. */
  port: number;
  /** The connection table's counters. */
  stats: ConnectionStats;
  /** Stops accepting, closes idle connections, waits (at most 3 s) for requests in flight. */
  shutdown(): Promise<void>;
}

function wantsKeepAlive(head: RequestHead, headers: Headers): boolean {
  const c = (headers.get("connection") ?? "").toLowerCase();
  return head.version === "1.1" ? !/\bclose\b/.test(c) : /\bkeep-alive\b/.test(c);
}

function errorResponse(status: number, reason: string): Response {
  return new Response(JSON.stringify({ error: reason }) + "\n", {
    status,
    headers: {
      "content-type": "application/json; charset=utf-8",
      "x-content-type-options": "nosniff",
    },
  });
}

/**
 * Starts listening; resolves once bound.
 *
 * @throws when the address cannot be bound or the certificate is unusable.
 */
export function serveHttp1(options: Http1Options, handler: Http1Handler): Http1Server {
  // A deep accept queue: when it overflows the kernel drops SYNs and a legitimate client waits
  // a whole second for its retransmit, behind whoever floods the port.
  const where = { hostname: options.host, port: options.port, tcpBacklog: ACCEPT_BACKLOG };
  const listener: Deno.Listener = options.tls === null
    ? Deno.listen(where)
    : Deno.listenTls({ ...where, cert: options.tls.cert, key: options.tls.key });
  const addr = listener.addr as Deno.NetAddr;
  const host = addr.hostname.includes(":") ? `[${addr.hostname}]` : addr.hostname;
  const origin = `${options.tls === null ? "http" : "https"}://${host}:${addr.port}`;
  const table = new ConnectionTable(options.limits);
  const maxHead = options.maxHeadBytes ?? 16384;
  const active = new Set<Promise<void>>();
  let closing = false;

  async function answerAndClose(conn: Deno.Conn, status: number, reason: string): Promise<void> {
    await writeResponse(conn, errorResponse(status, reason), { keepAlive: false }).catch(() => {});
  }

  async function connection(conn: Deno.Conn): Promise<void> {
    const reader = new ConnReader(conn, () => table.heard(conn));
    const client = (conn.remoteAddr as Deno.NetAddr).hostname ?? "-";
    try {
      for (;;) {
        table.enter(conn, "headers");
        let headBytes: Uint8Array | null;
        try {
          headBytes = await reader.readHead(maxHead);
        } catch (e) {
          if (e instanceof HeadTooLargeError) await answerAndClose(conn, 431, e.message);
          return;
        }
        if (headBytes === null) return;
        let head: RequestHead;
        const headers = new Headers();
        let framing;
        try {
          head = parseRequestHead(headBytes);
          for (const [name, value] of head.headers) headers.append(name, value);
          framing = bodyFraming(headers);
          if ((head.method === "GET" || head.method === "HEAD") && framing.kind !== "none") {
            throw new HeadError(400, `${head.method} with a body`);
          }
        } catch (e) {
          const status = e instanceof HeadError ? e.status : 400;
          await answerAndClose(conn, status, errorMessage(e));
          return;
        }
        table.enter(conn, "body");
        if (framing.kind !== "none" && /100-continue/i.test(headers.get("expect") ?? "")) {
          await conn.write(new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n"));
        }
        const body = bodyReader(reader, framing, () => table.enter(conn, "busy"));
        const url = head.target.startsWith("/") ? origin + head.target : `${origin}/`;
        const request = new Request(url, {
          method: head.method,
          headers,
          body: body.stream,
          // @ts-ignore: required for a streamed body, missing from the lib types.
          duplex: "half",
        });
        const { response, aborted } = await handler(request, client);
        table.enter(conn, "busy");
        if (aborted) return;
        const keepAlive = !closing && body.complete() && wantsKeepAlive(head, headers);
        await writeResponse(conn, response, { keepAlive, headOnly: head.method === "HEAD" });
        if (!keepAlive) return;
      }
    } catch {
      // The client went away, or a timeout or eviction closed it: nothing left to answer.
    } finally {
      table.remove(conn);
      try {
        conn.close();
      } catch { /* closed by a timeout or eviction */ }
    }
  }

  const accepting = (async () => {
    let backoff = 0;
    let lastLog = 0;
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        backoff = 0;
      } catch (e) {
        if (closing || e instanceof Deno.errors.BadResource) return;
        table.stats.acceptErrors++;
        if (Date.now() - lastLog > 1000) {
          lastLog = Date.now();
          options.log(`${new Date().toISOString()} accept: ${errorMessage(e)}; retrying`);
        }
        // Out of descriptors (closed sockets are released a little later than closed): make
        // room now by closing connections that are only waiting, and retry soon.
        if (/too many open files/i.test(errorMessage(e))) table.shed(SHED_ON_EMFILE);
        backoff = Math.min(MAX_ACCEPT_BACKOFF_MS, Math.max(5, backoff * 2));
        await new Promise((r) => setTimeout(r, backoff));
        continue;
      }
      if (!table.admit(conn)) {
        try {
          conn.close();
        } catch { /* gone */ }
        continue;
      }
      (conn as Deno.TcpConn).setNoDelay?.(true);
      const done: Promise<void> = connection(conn).finally(() => active.delete(done));
      active.add(done);
    }
  })();

  return {
    url: origin,
    port: addr.port,
    stats: table.stats,
    async shutdown(): Promise<void> {
      closing = true;
      try {
        listener.close();
      } catch { /* closed */ }
      await accepting;
      table.closeIdle();
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(active),
        new Promise((r) => timer = setTimeout(r, 3000)),
      ]);
      clearTimeout(timer);
    },
  };
}
