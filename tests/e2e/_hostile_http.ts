/**
 * A deliberately broken HTTP server on loopback for `chalk load URL`: raw TCP,
 * so it can do what a well-behaved server library never does (stall after
 * the headers, lie about Content-Length, trickle, redirect forever). Each path
 * is one behaviour; see `BEHAVIOURS`.
 */
import { gzipSync } from "node:zlib";

const enc = new TextEncoder();

/** What the server does once it has read a request for a path. */
type Behaviour = (conn: Deno.Conn, stopped: AbortSignal) => Promise<void>;

function head(status: string, headers: Record<string, string | number>): Uint8Array {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  return enc.encode(`HTTP/1.1 ${status}\r\n${lines}\r\n`);
}

async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let at = 0;
  while (at < bytes.length) at += await conn.write(bytes.subarray(at));
}

/** Waits until the client goes away or the server stops. */
async function hold(conn: Deno.Conn, stopped: AbortSignal): Promise<void> {
  const gone = conn.read(new Uint8Array(1)).catch(() => null);
  const stop = new Promise<void>((r) => stopped.addEventListener("abort", () => r()));
  await Promise.race([gone, stop]);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Valid con4m text of exactly `n` bytes (comment lines). */
export function configText(n: number): string {
  const line = "# " + "x".repeat(61) + "\n";
  return (line.repeat(Math.ceil(n / line.length))).slice(0, n - 1) + "\n";
}

const GOOD = 'log_level: "info"\n';
const FIFTY_MB = 50 * 1024 * 1024;
let bomb: Uint8Array | undefined;

/** 100 MiB of valid comment text, gzip-compressed to about 100 KiB. */
function gzipBomb(): Uint8Array {
  bomb ??= gzipSync(enc.encode(configText(100 * 1024 * 1024)), { level: 9 });
  return bomb;
}

/** Every misbehaviour, by path. */
export const BEHAVIOURS: Record<string, Behaviour> = {
  "/good.c4m": async (c) => {
    await writeAll(c, head("200 OK", { "Content-Length": GOOD.length, Connection: "close" }));
    await writeAll(c, enc.encode(GOOD));
  },
  "/no-answer": async (c, stopped) => await hold(c, stopped),
  "/stall-after-headers": async (c, stopped) => {
    await writeAll(c, head("200 OK", { "Content-Length": 1000 }));
    await hold(c, stopped);
  },
  "/stall-mid-body": async (c, stopped) => {
    await writeAll(c, head("200 OK", { "Content-Length": 1000 }));
    await writeAll(c, enc.encode(configText(500)));
    await hold(c, stopped);
  },
  "/trickle": async (c, stopped) => {
    await writeAll(c, head("200 OK", { "Content-Length": 100_000 }));
    while (!stopped.aborted) {
      await writeAll(c, enc.encode("#"));
      await sleep(50);
    }
  },
  "/short-body": async (c) => {
    await writeAll(c, head("200 OK", { "Content-Length": 1000, Connection: "close" }));
    await writeAll(c, enc.encode(GOOD));
  },
  "/chunked-cut": async (c) => {
    await writeAll(c, head("200 OK", { "Transfer-Encoding": "chunked", Connection: "close" }));
    await writeAll(c, enc.encode(`${GOOD.length.toString(16)}\r\n${GOOD}\r\n`));
  },
  "/gzip-bomb": async (c) => {
    const z = gzipBomb();
    await writeAll(
      c,
      head("200 OK", {
        "Content-Encoding": "gzip",
        "Content-Length": z.length,
        Connection: "close",
      }),
    );
    await writeAll(c, z);
  },
  "/redirect-loop": async (c) => {
    await writeAll(c, head("302 Found", { Location: "/redirect-loop", "Content-Length": 0 }));
  },
  "/redirect-file": async (c) => {
    await writeAll(c, head("302 Found", { Location: "file:///etc/passwd", "Content-Length": 0 }));
  },
  "/redirect-good": async (c) => {
    await writeAll(c, head("301 Moved", { Location: "/good.c4m", "Content-Length": 0 }));
  },
  "/50mb-declared": async (c) => {
    await writeAll(c, head("200 OK", { "Content-Length": FIFTY_MB, Connection: "close" }));
    await writeAll(c, enc.encode(configText(FIFTY_MB)));
  },
  "/50mb-chunked": async (c) => {
    await writeAll(c, head("200 OK", { "Transfer-Encoding": "chunked", Connection: "close" }));
    const piece = configText(1024 * 1024);
    for (let sent = 0; sent < FIFTY_MB; sent += piece.length) {
      await writeAll(c, enc.encode(`${piece.length.toString(16)}\r\n${piece}\r\n`));
    }
    await writeAll(c, enc.encode("0\r\n\r\n"));
  },
  "/binary": async (c) => {
    const body = new Uint8Array([...enc.encode("x := 1 "), 0, ...enc.encode(" garbage !!! {{{\n")]);
    await writeAll(c, head("200 OK", { "Content-Length": body.length, Connection: "close" }));
    await writeAll(c, body);
  },
  "/latin1": async (c) => {
    const body = new Uint8Array([
      ...enc.encode('sink_config f {\n  sink: "file"\n  filename: "caf'),
      0xe9,
      ...enc.encode('.log"\n}\n'),
    ]);
    await writeAll(c, head("200 OK", { "Content-Length": body.length, Connection: "close" }));
    await writeAll(c, body);
  },
};

/** A running hostile server. */
export interface HostileServer {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  stop(): Promise<void>;
}

/** Starts the server; every connection gets the behaviour of its request's path. */
export function startHostileServer(): HostileServer {
  // Compressed now, not in the request: gzip of 100 MB blocks this event loop for ~0.7 s
  // (seconds on a loaded machine), and chalk's --timeout would fire before the body came.
  gzipBomb();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const stop = new AbortController();
  const open = new Set<Deno.Conn>();
  const serve = async (conn: Deno.Conn) => {
    open.add(conn);
    try {
      const buf = new Uint8Array(8192);
      const n = await conn.read(buf);
      const path = new TextDecoder().decode(buf.subarray(0, n ?? 0)).split(" ")[1] ?? "/";
      const behaviour = BEHAVIOURS[path];
      if (behaviour) await behaviour(conn, stop.signal);
      else await writeAll(conn, head("404 Not Found", { "Content-Length": 0 }));
    } catch {
      // The client hung up: that is what the client is supposed to do.
    } finally {
      open.delete(conn);
      try {
        conn.close();
      } catch { /* already closed */ }
    }
  };
  const accepting = (async () => {
    for await (const conn of listener) serve(conn);
  })().catch(() => {});
  return {
    base: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    async stop() {
      stop.abort();
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
      await accepting;
    },
  };
}
