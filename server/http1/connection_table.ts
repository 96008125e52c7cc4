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

/** Limits of a {@linkcode ConnectionTable}. */
export interface ConnectionLimits {
  /** Most open connections. */
  maxConnections: number;
  /** Time allowed for a request's headers, and idle time between requests (ms). */
  headerTimeoutMs: number;
  /** Time allowed for a request's body (ms). */
  bodyTimeoutMs: number;
}

/** What the table did, for `/health` and tests. */
export interface ConnectionStats {
  /** Connections open now. */
  open: number;
  /** The cap. */
  max: number;
  /** Closed for not sending headers in time (idle, slowloris). */
  headerTimeouts: number;
  /** Closed for not sending the body in time. */
  bodyTimeouts: number;
  /** Waiting connections closed to admit a new one at the cap. */
  evicted: number;
  /** New connections refused at the cap (every open one was busy). */
  refused: number;
  /** Accept failures survived (EMFILE and the like). */
  acceptErrors: number;
}

/** What a connection is doing: waiting for a head, receiving a body, or being answered. */
export type Phase = "headers" | "body" | "busy";

/** Something that can be closed (a `Deno.Conn`). */
export interface Closable {
  /** Closes it; pending reads fail. */
  close(): void;
}

interface Entry {
  phase: Phase;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Requests answered on this connection. */
  served: number;
  /** Whether any byte arrived on it yet. */
  heard: boolean;
}

/** The open connections, in age order. */
export class ConnectionTable {
  readonly stats: ConnectionStats;
  readonly #open = new Map<Closable, Entry>();

  /** A table enforcing `limits`. */
  constructor(readonly limits: ConnectionLimits) {
    this.stats = {
      open: 0,
      max: limits.maxConnections,
      headerTimeouts: 0,
      bodyTimeouts: 0,
      evicted: 0,
      refused: 0,
      acceptErrors: 0,
    };
  }

  /**
   * The connection to close for room: among those waiting for a request, the oldest one that
   * never sent a byte (idle), else the oldest that never finished a request (slowloris), else
   * the oldest idle keep-alive one. A client that just connected and sent its request is
   * closed only after all of those.
   */
  #victim(): Closable | undefined {
    let partial: Closable | undefined;
    let keepAlive: Closable | undefined;
    for (const [c, e] of this.#open) {
      if (e.phase !== "headers") continue;
      if (e.served > 0) keepAlive ??= c;
      else if (!e.heard) return c;
      else partial ??= c;
    }
    return partial ?? keepAlive;
  }

  /** Notes that bytes arrived on `conn`. */
  heard(conn: Closable): void {
    const e = this.#open.get(conn);
    if (e !== undefined) e.heard = true;
  }

  /** Closes up to `count` waiting connections (descriptors ran out); returns how many. */
  shed(count: number): number {
    let n = 0;
    for (; n < count; n++) {
      const victim = this.#victim();
      if (victim === undefined) break;
      this.stats.evicted++;
      this.remove(victim);
      close(victim);
    }
    return n;
  }

  /** Registers a new connection in the `headers` phase; `false` when it must be refused. */
  admit(conn: Closable): boolean {
    if (this.#open.size >= this.limits.maxConnections && this.shed(1) === 0) {
      this.stats.refused++;
      return false;
    }
    this.#open.set(conn, { phase: "headers", timer: undefined, served: 0, heard: false });
    this.stats.open = this.#open.size;
    this.enter(conn, "headers");
    return true;
  }

  /** Moves `conn` to `phase`, (re)starting the matching timeout. */
  enter(conn: Closable, phase: Phase): void {
    const e = this.#open.get(conn);
    if (e === undefined) return;
    clearTimeout(e.timer);
    if (phase === "headers" && e.phase !== "headers") e.served++;
    e.phase = phase;
    e.timer = undefined;
    if (phase === "busy") return;
    const ms = phase === "headers" ? this.limits.headerTimeoutMs : this.limits.bodyTimeoutMs;
    e.timer = setTimeout(() => {
      if (phase === "headers") this.stats.headerTimeouts++;
      else this.stats.bodyTimeouts++;
      this.remove(conn);
      close(conn);
    }, ms);
  }

  /** Forgets `conn` (closed by either side). */
  remove(conn: Closable): void {
    const e = this.#open.get(conn);
    if (e === undefined) return;
    clearTimeout(e.timer);
    this.#open.delete(conn);
    this.stats.open = this.#open.size;
  }

  /** Closes every connection still waiting for a request (shutdown). */
  closeIdle(): void {
    for (const [c, e] of [...this.#open]) {
      if (e.phase === "headers") {
        this.remove(c);
        close(c);
      }
    }
  }

  /** Connections open now. */
  get size(): number {
    return this.#open.size;
  }
}

function close(conn: Closable): void {
  try {
    conn.close();
  } catch { /* already closed */ }
}
