/**
 * Keeps one client from exhausting the server: every connection must deliver its request
 * headers within the header timeout (also the keep-alive idle time between requests) and its
 * body within the body timeout, or it is closed; at most `maxConnections` are open. When a new
 * connection would pass the cap, the oldest connection still waiting for headers (idle or
 * slowloris) is closed to make room; only when every open connection is busy with a request is
 * the new one refused. So the number of sockets, and of file descriptors, stays bounded.
 *
 * @module
 */

import type { Server } from "node:http";
import type { Socket } from "node:net";

/** Limits of {@linkcode guardConnections}. */
export interface GuardOptions {
  /** Most open connections. */
  maxConnections: number;
  /** Time allowed for a request's headers, and idle time between requests (ms). */
  headerTimeoutMs: number;
  /** Time allowed for a request's body (ms). */
  bodyTimeoutMs: number;
}

/** What the guard did, for `/health` and tests. */
export interface GuardStats {
  /** Connections open now. */
  open: number;
  /** Closed for not sending headers in time (idle, slowloris). */
  headerTimeouts: number;
  /** Closed for not sending the body in time. */
  bodyTimeouts: number;
  /** Waiting connections closed to admit a new one at the cap. */
  evicted: number;
  /** New connections refused at the cap (every open one was busy). */
  refused: number;
}

type Phase = "headers" | "body" | "busy";

interface Tracked {
  phase: Phase;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Attaches the guard to `server` (an `http` or `https` server); returns its live counters. */
export function guardConnections(server: Server, options: GuardOptions): GuardStats {
  const stats: GuardStats = { open: 0, headerTimeouts: 0, bodyTimeouts: 0, evicted: 0, refused: 0 };
  // Insertion order is age order: the first waiting entry is the oldest.
  const open = new Map<Socket, Tracked>();

  const arm = (socket: Socket, t: Tracked, phase: Phase): void => {
    clearTimeout(t.timer);
    t.phase = phase;
    t.timer = undefined;
    if (phase === "busy") return;
    const ms = phase === "headers" ? options.headerTimeoutMs : options.bodyTimeoutMs;
    t.timer = setTimeout(() => {
      if (phase === "headers") stats.headerTimeouts++;
      else stats.bodyTimeouts++;
      socket.destroy();
    }, ms);
  };

  server.on("connection", (socket: Socket) => {
    if (open.size >= options.maxConnections) {
      const victim = [...open].find(([, t]) => t.phase === "headers")?.[0];
      if (victim === undefined) {
        stats.refused++;
        socket.destroy();
        return;
      }
      stats.evicted++;
      victim.destroy();
      forget(victim);
    }
    const t: Tracked = { phase: "headers", timer: undefined };
    open.set(socket, t);
    stats.open = open.size;
    arm(socket, t, "headers");
    socket.once("close", () => forget(socket));
    // A destroyed socket may emit errors (reset by peer); they concern that client only.
    socket.on("error", () => {});
  });

  const forget = (socket: Socket): void => {
    const t = open.get(socket);
    if (t === undefined) return;
    clearTimeout(t.timer);
    open.delete(socket);
    stats.open = open.size;
  };

  server.on("request", (req, res) => {
    // Over TLS the request's socket wraps the TCP socket the guard saw.
    const socket = open.has(req.socket)
      ? req.socket
      : (req.socket as Socket & { _parent?: Socket })._parent;
    const t = socket === undefined ? undefined : open.get(socket);
    if (socket === undefined || t === undefined) return;
    arm(socket, t, "body");
    req.once("end", () => {
      if (t.phase === "body") arm(socket, t, "busy");
    });
    res.once("finish", () => {
      if (open.has(socket)) arm(socket, t, "headers");
    });
  });
  return stats;
}
