/**
 * The tests' one way to run a server: chalk's real server (`server/main.ts`) or s3rver as a
 * subprocess on a loopback port, waiting for its `listening on URL` line; and the in-process
 * recording server ({@linkcode TestServer}) that stands for a sink's endpoint. Also used by
 * the load bench.
 */

import { sharedCluster } from "./_postgres.ts";

/** The storage backends every server test runs against. */
export const BACKENDS = ["sqlite", "postgres"] as const;

/** One of {@linkcode BACKENDS}. */
export type TestBackend = typeof BACKENDS[number];

/**
 * Registers `fn` once per backend, named `name [sqlite]` and `name [postgres]`; each run gets
 * its own fresh database (a temporary SQLite file or a new database in the test process's
 * throwaway PostgreSQL cluster).
 */
export function backendTest(name: string, fn: (backend: TestBackend) => Promise<void>): void {
  for (const backend of BACKENDS) {
    Deno.test({ name: `${name} [${backend}]`, fn: () => fn(backend) });
  }
}

/** A fresh database for `backend`: a URL, or a SQLite path inside `dir`. */
export async function freshDb(backend: TestBackend, dir: string): Promise<string> {
  if (backend === "sqlite") return `${dir}/chalk.sqlite`;
  return await (await sharedCluster()).freshDatabase();
}

/** Absolute path of the server entry point. */
export const SERVER_MAIN = new URL("../../server/main.ts", import.meta.url).pathname;

/** The s3rver project: its own deno.json and deno.lock keep its npm packages out of ours. */
const S3RVER_DIR = new URL("../sinks/s3rver/", import.meta.url).pathname;

/** A server subprocess. */
export interface ServerProcess {
  /** Base URL as printed by the server (`http://127.0.0.1:PORT`). */
  url: string;
  /** Its `--db`: a SQLite file or a PostgreSQL URL (chalk's server). */
  db: string;
  /** Temporary directory holding its data (removed by {@linkcode stop}). */
  dir: string;
  /** Every stderr line so far (log lines). */
  log: string[];
  /** `GET <path>`, which must answer 200, as JSON. */
  getJson<T = Record<string, unknown>[]>(path: string): Promise<T>;
  /** Sends SIGTERM, waits for exit, removes the temporary directory; returns the exit code. */
  stop(options?: { keepDir?: boolean }): Promise<number>;
  /** Same as `stop()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@linkcode startServer}. */
export interface StartOptions {
  /** Extra flags. */
  args?: string[];
  /** Use this directory (kept) instead of a fresh temporary one. */
  dir?: string;
  /**
   * Listen on this port (default: a free one). A fixed port must be free: a server already
   * there would mix another run's reports in, so starting fails when it answers.
   */
  port?: number;
  /** Storage backend (default SQLite in the directory). */
  backend?: TestBackend;
  /** Exactly this `--db` (overrides `backend`). */
  db?: string;
  /** Run under `ulimit -n fdLimit` (the open-file limit). */
  fdLimit?: number;
}

/** Starts chalk's server with `--port <port> --db <fresh database>` plus `args`. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const port = options.port ?? 0;
  if (port !== 0) {
    const busy = await fetch(`http://127.0.0.1:${port}/health`).then(async (r) => {
      await r.body?.cancel();
      return true;
    }, () => false);
    if (busy) throw new Error(`port ${port} is already in use; this test needs it free`);
  }
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "chalk_server_test_" });
  const db = options.db ?? await freshDb(options.backend ?? "sqlite", dir);
  const args = ["run", "-A", SERVER_MAIN, "--port", String(port), "--db", db];
  return await spawnServer([...args, ...(options.args ?? [])], {
    dir,
    db,
    keepDir: options.dir !== undefined,
    fdLimit: options.fdLimit,
  });
}

/**
 * Starts s3rver (a local S3) with `bucket` on a free port; `url` is the endpoint, and its
 * access key and secret are both `S3RVER`. The first start on a machine downloads s3rver's
 * npm packages, hence the long start deadline.
 */
export async function startS3rver(bucket: string): Promise<ServerProcess> {
  const dir = await Deno.makeTempDir({ prefix: "chalk_s3rver_" });
  const args = ["run", "-A", "--config", `${S3RVER_DIR}deno.json`, `${S3RVER_DIR}main.ts`];
  return await spawnServer([...args, "--dir", dir, "--bucket", bucket], {
    dir,
    db: "",
    keepDir: false,
    startSeconds: 300,
  });
}

interface SpawnOptions {
  dir: string;
  db: string;
  keepDir: boolean;
  startSeconds?: number;
  fdLimit?: number;
}

/** Runs `deno <args>` and waits for its `listening on URL` line on stderr. */
async function spawnServer(args: string[], opts: SpawnOptions): Promise<ServerProcess> {
  const limited = opts.fdLimit === undefined ? null : [
    "-c",
    `ulimit -n ${opts.fdLimit} && exec "$0" "$@"`,
    Deno.execPath(),
    ...args,
  ];
  const child = new Deno.Command(limited === null ? Deno.execPath() : "sh", {
    args: limited ?? args,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  const ready = Promise.withResolvers<string>();
  const pump = (async () => {
    const decoder = new TextDecoder();
    let pending = "";
    for await (const chunk of child.stderr) {
      pending += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = pending.indexOf("\n")) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        log.push(line);
        const m = /listening on (\S+)/.exec(line);
        if (m) ready.resolve(m[1]);
      }
    }
    if (pending !== "") log.push(pending);
    ready.reject(new Error(`server exited before listening: ${log.join(" | ")}`));
  })();
  const seconds = opts.startSeconds ?? 30;
  const timer = setTimeout(
    () => ready.reject(new Error(`server did not start in ${seconds} s`)),
    seconds * 1000,
  );
  let url: string;
  try {
    url = await ready.promise;
  } catch (e) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await pump;
    if (!opts.keepDir) await Deno.remove(opts.dir, { recursive: true });
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const stop = async (stopOptions: { keepDir?: boolean } = {}): Promise<number> => {
    try {
      child.kill("SIGTERM");
    } catch { /* already gone */ }
    const status = await child.status;
    await pump;
    if (!stopOptions.keepDir && !opts.keepDir) {
      await Deno.remove(opts.dir, { recursive: true }).catch(() => {});
    }
    return status.code;
  };
  return {
    url,
    db: opts.db,
    dir: opts.dir,
    log,
    async getJson<T>(path: string): Promise<T> {
      const res = await fetch(`${url}${path}`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    },
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
    },
  };
}

/** POSTs `body` to `/report` and returns status and parsed JSON answer. */
export async function postReports(
  base: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}/report`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) };
}

/** One request the recording server received. */
export interface Received {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/** What the recording server answers: a status, optionally after a delay. */
export type Responder = (req: Received) => Response | Promise<Response>;

/**
 * An in-process recording HTTP(S) server on a loopback port, standing for a sink's endpoint:
 * keeps every request, answers through `responder`, and can be stopped and restarted on the
 * same port.
 */
export class TestServer {
  readonly received: Received[] = [];
  responder: Responder = () => new Response("ok");
  #server?: Deno.HttpServer;
  port = 0;
  readonly #tls?: { cert: string; key: string };

  constructor(tls?: { cert: string; key: string }) {
    this.#tls = tls;
  }

  get url(): string {
    return `${this.#tls ? "https" : "http"}://127.0.0.1:${this.port}/report`;
  }

  start(): Promise<void> {
    const { promise, resolve } = Promise.withResolvers<void>();
    const handler = async (request: Request): Promise<Response> => {
      const received: Received = {
        method: request.method,
        path: new URL(request.url).pathname,
        headers: request.headers,
        body: await request.text(),
      };
      this.received.push(received);
      return await this.responder(received);
    };
    const options = {
      hostname: "127.0.0.1",
      port: this.port,
      onListen: (addr: Deno.NetAddr) => {
        this.port = addr.port;
        resolve();
      },
    };
    this.#server = this.#tls
      ? Deno.serve({ ...options, cert: this.#tls.cert, key: this.#tls.key }, handler)
      : Deno.serve(options, handler);
    return promise;
  }

  async stop(): Promise<void> {
    await this.#server?.shutdown();
    this.#server = undefined;
  }
}
