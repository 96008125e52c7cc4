/**
 * Runs the real server (`server/main.ts`) as a subprocess on a free loopback
 * port for tests and the load bench.
 */

/** Absolute path of the server entry point. */
export const SERVER_MAIN = new URL("../../server/main.ts", import.meta.url).pathname;

/** A server subprocess. */
export interface ServerProcess {
  /** Base URL as printed by the server (`http://127.0.0.1:PORT`). */
  url: string;
  /** The SQLite file it uses. */
  db: string;
  /** Temporary directory holding the database (removed by {@linkcode stop}). */
  dir: string;
  /** Every stderr line so far (log lines). */
  log: string[];
  /** Sends SIGTERM, waits for exit, removes the temporary directory; returns the exit code. */
  stop(options?: { keepDir?: boolean }): Promise<number>;
}

/** Options of {@linkcode startServer}. */
export interface StartOptions {
  /** Extra flags. */
  args?: string[];
  /** Use this directory (kept) instead of a fresh temporary one. */
  dir?: string;
}

/** Starts the server with `--port 0 --db <tmp>/chalk.sqlite` plus `args`. */
export async function startServer(options: StartOptions = {}): Promise<ServerProcess> {
  const dir = options.dir ?? await Deno.makeTempDir({ prefix: "chalk_server_test_" });
  const db = `${dir}/chalk.sqlite`;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", SERVER_MAIN, "--port", "0", "--db", db, ...(options.args ?? [])],
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
  const timer = setTimeout(() => ready.reject(new Error("server did not start in 30 s")), 30_000);
  let url: string;
  try {
    url = await ready.promise;
  } catch (e) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    await pump;
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return {
    url,
    db,
    dir,
    log,
    async stop(stopOptions = {}): Promise<number> {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const status = await child.status;
      await pump;
      if (!stopOptions.keepDir && options.dir === undefined) {
        await Deno.remove(dir, { recursive: true });
      }
      return status.code;
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
