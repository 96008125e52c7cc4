/**
 * Entry point of the chalk demo server: `deno task server [flags]`.
 *
 * Exit codes: 0 after SIGINT/SIGTERM, 1 when the server cannot start (database,
 * certificate, port), 2 for a bad command line.
 *
 * @module
 */

import { serve } from "./app.ts";
import { openStore } from "./db.ts";
import { FlagError, parseServerFlags, type ServerFlags, USAGE } from "./flags.ts";
import { errorMessage } from "../internal/errors.ts";

function fail(line: string, code: number): never {
  console.error(line);
  Deno.exit(code);
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
  let store;
  try {
    store = openStore(flags.db);
  } catch (e) {
    fail(`chalk server: cannot open database ${flags.db}: ${(e as Error).message}`, 1);
  }
  let server;
  try {
    server = await serve(store, {
      host: flags.host,
      port: flags.port,
      token: flags.token,
      maxBodyBytes: flags.maxBody,
      tls,
    });
  } catch (e) {
    store.close();
    fail(`chalk server: cannot listen on ${flags.host}:${flags.port}: ${(e as Error).message}`, 1);
  }
  console.error(
    `chalk server listening on ${server.url} (database ${flags.db}` +
      `${flags.token === null ? "" : ", token required"})`,
  );
  const stop = (): void => {
    server.shutdown().finally(() => {
      store.close();
      Deno.exit(0);
    });
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  await server.finished;
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (e) {
    fail(`chalk server: ${errorMessage(e)}`, 1);
  }
}
