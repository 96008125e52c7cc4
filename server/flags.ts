/**
 * Command-line flags of `deno task server`.
 *
 * @module
 */

import { DEFAULT_MAX_BODY_BYTES } from "./request_body.ts";

/** The server's settings after flag parsing. */
export interface ServerFlags {
  /** TCP port; 0 picks a free one. Default 8585. */
  port: number;
  /** Interface to listen on. Default 127.0.0.1. */
  host: string;
  /** SQLite file. Default `./chalk-server.sqlite`. */
  db: string;
  /** Bearer token required on every route but `/health`, when set. */
  token: string | null;
  /** PEM certificate file for HTTPS (with {@linkcode key}). */
  cert: string | null;
  /** PEM private key file for HTTPS (with {@linkcode cert}). */
  key: string | null;
  /** Largest accepted `POST /report` body in bytes. Default 10 MB. */
  maxBody: number;
  /** `--help` was given. */
  help: boolean;
}

/** One line describing the flags. */
export const USAGE =
  "usage: deno task server [--port N] [--host ADDR] [--db PATH] [--token TOKEN] " +
  "[--cert PEM --key PEM] [--max-body BYTES]";

/** Thrown for a bad command line; the message is one line. */
export class FlagError extends Error {
  /** Builds the error. */
  constructor(reason: string) {
    super(reason);
    this.name = "FlagError";
  }
}

const VALUED = new Set(["port", "host", "db", "token", "cert", "key", "max-body"]);

function nonNegativeInt(flag: string, value: string, max: number): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > max) {
    throw new FlagError(
      `--${flag} expects an integer from 0 to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return Number(value);
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
