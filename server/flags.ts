/**
 * Command-line flags of `deno task server`.
 *
 * @module
 */

import { DEFAULT_MAX_BODY_BYTES } from "./request_body.ts";
import { parseDuration } from "./store/retention.ts";

/** The server's settings after flag parsing. */
export interface ServerFlags {
  /** TCP port; 0 picks a free one. Default 8585. */
  port: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host: string;
  /** SQLite file, or a `postgres://` URL. Default `./chalk-server.sqlite`. */
  db: string;
  /** Bearer token required on every route but `/health`, when set. */
  token: string | null;
  /** PEM certificate file for HTTPS (with {@linkcode key}). */
  cert: string | null;
  /** PEM private key file for HTTPS (with {@linkcode cert}). */
  key: string | null;
  /** Largest accepted `POST /report` body in bytes. Default 10 MB. */
  maxBody: number;
  /** Most open connections (lowered to fit the file-descriptor limit). Default 1000. */
  maxConnections: number;
  /** Time for a request's headers, and keep-alive idle time, in ms. Default 10 s. */
  headerTimeoutMs: number;
  /** Time for a request's body, in ms. Default 60 s. */
  bodyTimeoutMs: number;
  /** A run with no report for this long is shown as stale, in ms. Default 10 min. */
  staleAfterMs: number;
  /** Retention window per operation (`--retain heartbeat=7d`), in ms. */
  retain: Map<string, number>;
  /** `--help` was given. */
  help: boolean;
}

/** One line describing the flags. */
export const USAGE =
  "usage: deno task server [--port N] [--host ADDR] [--db PATH|postgres://...] [--token TOKEN] " +
  "[--cert PEM --key PEM] [--max-body BYTES] [--max-connections N] [--header-timeout DUR] " +
  "[--body-timeout DUR] [--stale-after DUR] [--retain OPERATION=DUR ...]";

/** Thrown for a bad command line; the message is one line. */
export class FlagError extends Error {
  /** Builds the error. */
  constructor(reason: string) {
    super(reason);
    this.name = "FlagError";
  }
}

const VALUED = new Set([
  "port",
  "host",
  "db",
  "token",
  "cert",
  "key",
  "max-body",
  "max-connections",
  "header-timeout",
  "body-timeout",
  "stale-after",
  "retain",
]);

function nonNegativeInt(flag: string, value: string, max: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > max) {
    throw new FlagError(
      `--${flag} expects an integer from 0 to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
}

function duration(flag: string, value: string): number {
  const ms = parseDuration(value);
  if (ms === null || ms === 0) {
    throw new FlagError(
      `--${flag} expects a duration like 30s, 15m, 12h or 7d, got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/**
 * Parses `args` (`--name value` or `--name=value`).
 *
 * @throws {FlagError} for unknown flags, missing or bad values, positional arguments,
 * or only one of `--cert` / `--key`.
 */
export function parseServerFlags(args: readonly string[]): ServerFlags {
  const flags: ServerFlags = {
    port: 8585,
    host: "127.0.0.1",
    db: "./chalk-server.sqlite",
    token: null,
    cert: null,
    key: null,
    maxBody: DEFAULT_MAX_BODY_BYTES,
    maxConnections: 1000,
    headerTimeoutMs: 10_000,
    bodyTimeoutMs: 60_000,
    staleAfterMs: 10 * 60_000,
    retain: new Map(),
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--help" || arg === "-h") {
      flags.help = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(arg);
    if (m === null) throw new FlagError(`unexpected argument ${JSON.stringify(arg)}`);
    const name = m[1];
    if (!VALUED.has(name)) throw new FlagError(`unknown flag --${name}`);
    let value = m[2];
    if (value === undefined) {
      if (i + 1 >= args.length) throw new FlagError(`--${name} needs a value`);
      value = args[++i];
    }
    switch (name) {
      case "port":
        flags.port = nonNegativeInt(name, value, 65535);
        break;
      case "max-body":
        flags.maxBody = nonNegativeInt(name, value, 2 ** 31);
        break;
      case "max-connections":
        flags.maxConnections = Math.max(1, nonNegativeInt(name, value, 1_000_000));
        break;
      case "header-timeout":
        flags.headerTimeoutMs = duration(name, value);
        break;
      case "body-timeout":
        flags.bodyTimeoutMs = duration(name, value);
        break;
      case "stale-after":
        flags.staleAfterMs = duration(name, value);
        break;
      case "retain": {
        const r = /^([A-Za-z_][A-Za-z0-9_-]*)=(.+)$/.exec(value);
        if (r === null) {
          throw new FlagError(
            `--retain expects OPERATION=DURATION (e.g. heartbeat=7d), got ${JSON.stringify(value)}`,
          );
        }
        flags.retain.set(r[1].toLowerCase(), duration(name, r[2]));
        break;
      }
      case "host":
      case "db":
      case "token":
      case "cert":
      case "key":
        if (value === "") throw new FlagError(`--${name} needs a non-empty value`);
        flags[name] = value;
        break;
    }
  }
  if ((flags.cert === null) !== (flags.key === null)) {
    throw new FlagError("--cert and --key must be given together");
  }
  return flags;
}
