/**
 * Entry point of the chalk report server: `deno task server [flags]`.
 *
 * Exit codes: 0 after SIGINT/SIGTERM, 1 when the server cannot start (database,
 * certificate, port), 2 for a bad command line.
 *
 * @module
 */

import { serve } from "./app.ts";
import { connectionCap } from "./fd_limit.ts";
import { FlagError, parseServerFlags, type ServerFlags, USAGE } from "./flags.ts";
import { openStore, redactDbUrl } from "./store/open_store.ts";
import { pruneReports } from "./store/retention.ts";
import type { ChalkStore } from "./store/chalk_store.ts";
import { errorMessage } from "../internal/errors.ts";
import { scheduleInspectorSignalDisarm } from "../internal/inspector_signal.ts";

function fail(line: string, code: number): never {
  console.error(line);
  Deno.exit(code);
}

/** How often retention runs: every minute, or sooner for a window shorter than two minutes. */
function pruneInterval(windows: ReadonlyMap<string, number>): number {
  return Math.max(1000, Math.min(60_000, ...[...windows.values()].map((w) => w / 2)));
}

function startRetention(store: ChalkStore, flags: ServerFlags): () => void {
  if (flags.retain.size === 0) return () => {};
  let running = false;
  const tick = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const deleted = await pruneReports(store, flags.retain);
      const parts = [...deleted].filter(([, n]) => n > 0).map(([op, n]) => `${op}=${n}`);
      if (parts.length > 0) {
        console.error(`${new Date().toISOString()} retention deleted ${parts.join(" ")}`);
      }
    } catch (e) {
      console.error(`${new Date().toISOString()} retention: ${errorMessage(e)}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, pruneInterval(flags.retain));
  tick();
  return () => clearInterval(timer);
}

/** Runs the server with `args` until a termination signal. */
export async function main(args: readonly string[]): Promise<void> {
  let flags: ServerFlags;
  try {
    flags = parseServerFlags(args);
  } catch (e) {
    if (e instanceof FlagError) fail(`chalk server: ${e.message} (${USAGE})`, 2);
    throw e;
  }
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  let tls: { cert: string; key: string } | null = null;
  if (flags.cert !== null && flags.key !== null) {
    try {
      tls = { cert: Deno.readTextFileSync(flags.cert), key: Deno.readTextFileSync(flags.key) };
    } catch (e) {
      fail(`chalk server: cannot read certificate or key: ${(e as Error).message}`, 1);
    }
  }
  const dbName = redactDbUrl(flags.db);
  let store: ChalkStore;
  try {
    store = await openStore(flags.db);
  } catch (e) {
    fail(`chalk server: cannot open database ${dbName}: ${errorMessage(e)}`, 1);
  }
  const maxConnections = connectionCap(flags.maxConnections);
  let server;
  try {
    server = await serve(store, {
      host: flags.host,
      port: flags.port,
      token: flags.token,
      maxBodyBytes: flags.maxBody,
      tls,
      maxConnections,
      headerTimeoutMs: flags.headerTimeoutMs,
      bodyTimeoutMs: flags.bodyTimeoutMs,
      staleAfterMs: flags.staleAfterMs,
    });
  } catch (e) {
    await store.close();
    fail(`chalk server: cannot listen on ${flags.host}:${flags.port}: ${errorMessage(e)}`, 1);
  }
  const stopRetention = startRetention(store, flags);
  console.error(
    `chalk server listening on ${server.url} (${store.backend} ${dbName}, ` +
      `at most ${maxConnections} connections${flags.token === null ? "" : ", token required"})`,
  );
  const done = Promise.withResolvers<void>();
  const stop = (): void => {
    stopRetention();
    server.shutdown().finally(async () => {
      await store.close().catch(() => {});
      done.resolve();
    });
    // Connections busy with a slow client must not keep the process alive for long.
    setTimeout(() => done.resolve(), 3000);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await done.promise;
  Deno.exit(0);
}

if (import.meta.main) {
  // SIGUSR1 must not open Deno's inspector in a long-running server either.
  scheduleInspectorSignalDisarm();
  // A stray rejection or exception from a timer (the PostgreSQL driver writing to a socket
  // that was just closed under it) concerns one database connection, never the server.
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    console.error(`${new Date().toISOString()} unexpected: ${errorMessage(e.reason)}`);
  });
  globalThis.addEventListener("error", (e) => {
    e.preventDefault();
    console.error(`${new Date().toISOString()} unexpected: ${errorMessage(e.error)}`);
  });
  try {
    await main(Deno.args);
  } catch (e) {
    fail(`chalk server: ${errorMessage(e)}`, 1);
  }
}
