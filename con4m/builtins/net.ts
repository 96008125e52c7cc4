/**
 * Network builtins: `url_get`, `url_get_pinned`, `url_post`, `url_post_pinned`, `external_ip`, and
 * `mime_to_dict` (header parsing). HTTP uses `fetch` with a 5-second timeout; failures are returned
 * as text `ERR <code> <reason>` (code `000` when the failure did not come from the server), never
 * thrown. These builtins are asynchronous.
 *
 * `external_ip()` never contacts anything: it returns the first non-internal IPv4 address of
 * a local interface, or `""` (docs/decisions.md, "No phone-home").
 *
 * @module
 */

import { networkInterfaces } from "node:os";
import { Con4mDict } from "../values.ts";
import { argDict, argStr } from "./_args.ts";
import { type BuiltinDef, defineBuiltin } from "./builtin_def.ts";

/** Timeout of every HTTP request made by these builtins, in milliseconds. */
export const URL_TIMEOUT_MS = 5000;

/** Options of {@linkcode httpRequest}. */
export interface HttpRequestOptions {
  /** Request body; when present the method is POST. */
  body?: string;
  /** Request headers. */
  headers?: Record<string, string>;
  /** Path of a PEM file with the only CA certificate(s) to trust. */
  pinnedCertFile?: string;
  /** Timeout in milliseconds (default {@linkcode URL_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/**
 * GET (or POST, with a body) `url` and return the response body, or `ERR <status> <reason>`
 * for a non-2xx answer, or `ERR 000 <reason>` when no answer arrived.
 */
export async function httpRequest(url: string, opts: HttpRequestOptions = {}): Promise<string> {
  let client: Deno.HttpClient | undefined;
  try {
    if (opts.pinnedCertFile !== undefined && opts.pinnedCertFile !== "") {
      client = Deno.createHttpClient({ caCerts: [Deno.readTextFileSync(opts.pinnedCertFile)] });
    }
    const resp = await fetch(url, {
      method: opts.body === undefined ? "GET" : "POST",
      body: opts.body,
      headers: opts.headers,
      signal: AbortSignal.timeout(opts.timeoutMs ?? URL_TIMEOUT_MS),
      client,
    });
    const text = await resp.text();
    if (resp.status < 200 || resp.status > 299) {
      return `ERR ${resp.status} ${resp.statusText}`.trimEnd();
    }
    return text;
  } catch (e) {
    const reason = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return `ERR 000 ${reason.split("\n")[0]}`;
  } finally {
    client?.close();
  }
}

/** The first non-internal IPv4 address of a local interface, or `""`. */
export function localIPv4(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === "IPv4" && !a.internal) return a.address;
    }
  }
  return "";
}

/**
 * Parse `Key: value` lines into a dict (keys and values trimmed; lines without `:` are
 * skipped; a later duplicate key wins).
 */
export function mimeToDict(text: string): Con4mDict {
  const out = new Con4mDict();
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

function headersOf(d: Con4mDict): Record<string, string> {
  const h: Record<string, string> = {};
  for (const [k, v] of d.entries()) h[String(k)] = String(v);
  return h;
}

const TAGS = ["net"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS, async: true });

/** The network builtins. */
export const NET_BUILTINS: readonly BuiltinDef[] = [
  def(
    "url_get",
    "func(string) -> string",
    (a) => httpRequest(argStr(a, 0)),
    'GET a URL (5 s timeout); the body, or "ERR <code> <reason>".',
  ),
  def(
    "url_get_pinned",
    "func(string, string) -> string",
    (a) => httpRequest(argStr(a, 0), { pinnedCertFile: argStr(a, 1) }),
    "GET trusting only the CA certificate in the given PEM file.",
  ),
  def(
    "url_post",
    "func(string, string, dict[string, string]) -> string",
    (a) => httpRequest(argStr(a, 0), { body: argStr(a, 1), headers: headersOf(argDict(a, 2)) }),
    'POST a body with headers; the response body, or "ERR <code> <reason>".',
  ),
  def(
    "url_post_pinned",
    "func(string, string, dict[string, string], string) -> string",
    (a) =>
      httpRequest(argStr(a, 0), {
        body: argStr(a, 1),
        headers: headersOf(argDict(a, 2)),
        pinnedCertFile: argStr(a, 3),
      }),
    "POST trusting only the CA certificate in the given PEM file.",
  ),
  defineBuiltin("external_ip", "func() -> string", () => localIPv4(), {
    doc: 'A local non-loopback IPv4 address, or "" (never contacts an outside service).',
    tags: TAGS,
  }),
  defineBuiltin(
    "mime_to_dict",
    "func(string) -> dict[string, string]",
    (a) => mimeToDict(argStr(a, 0)),
    {
      doc: "Parse `Key: value` lines into a dict (malformed lines skipped).",
      tags: ["string"],
    },
  ),
];
