/**
 * Fetching the text of a configuration named on the command line: a local path
 * or an http(s) URL (docs/decisions.md, "chalk load"). A configuration is
 * accepted only whole: a body that stalls, ends early, exceeds the size cap or
 * is not UTF-8 text is a failure, never an empty or partial configuration.
 * Every failure is one line naming the source.
 */
import {
  ConfigTextError,
  decodeConfigText,
  DEFAULT_MAX_CONFIG_BYTES,
  tooLargeReason,
} from "../config/config_text.ts";
import { readConfigText } from "../config/load_config.ts";
import { errorMessage, UsageError } from "../internal/errors.ts";

/** A configuration that could not be fetched. */
export class ConfigSourceError extends UsageError {
  constructor(readonly source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = "ConfigSourceError";
  }
}

/** Bounds on fetching a configuration over HTTP. */
export interface FetchLimits {
  /** One deadline for connecting, the headers and the whole body, in ms. */
  timeoutMs: number;
  /** Largest configuration accepted, in bytes (after any content decoding). */
  maxBytes: number;
  /** Redirects followed before giving up. */
  maxRedirects: number;
}

/** 30 s, 1 MiB, 5 redirects (README, "Sending reports to a server"). */
export const DEFAULT_FETCH_LIMITS: Readonly<FetchLimits> = {
  timeoutMs: 30_000,
  maxBytes: DEFAULT_MAX_CONFIG_BYTES,
  maxRedirects: 5,
};

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(text);
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The final response after at most `maxRedirects` redirects, each to an http(s) URL. */
async function follow(
  source: string,
  limits: FetchLimits,
  deadline: AbortSignal,
): Promise<Response> {
  let url = source;
  for (let hops = 0;; hops++) {
    let response: Response;
    try {
      response = await fetch(url, { signal: deadline, redirect: "manual" });
    } catch (e) {
      // The deadline aborts the request: say so rather than "operation aborted".
      throw new ConfigSourceError(
        source,
        deadline.aborted
          ? `no answer within ${limits.timeoutMs / 1000} s`
          : `could not request configuration (${errorMessage(e)})`,
      );
    }
    if (!REDIRECTS.has(response.status)) return response;
    await response.body?.cancel().catch(() => {});
    if (hops >= limits.maxRedirects) {
      throw new ConfigSourceError(source, `more than ${limits.maxRedirects} redirects`);
    }
    const location = response.headers.get("location");
    const next = location === null ? null : URL.parse(location, url);
    if (next === null || !/^https?:$/.test(next.protocol)) {
      throw new ConfigSourceError(
        source,
        `redirect ${response.status} to ${location ?? "nowhere"}: not an http(s) URL`,
      );
    }
    url = next.href;
  }
}

/** The declared body length, when it counts the bytes chalk will read (no content encoding). */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding");
  if (encoding !== null && encoding.toLowerCase() !== "identity") return undefined;
  const text = response.headers.get("content-length");
  return text !== null && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The whole body, or a one-line failure: too large, stalled past the deadline, cut short. */
async function readWhole(
  source: string,
  response: Response,
  limits: FetchLimits,
  deadline: AbortSignal,
): Promise<Uint8Array> {
  const declared = declaredLength(response);
  if (declared !== undefined && declared > limits.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new ConfigSourceError(source, tooLargeReason(limits.maxBytes, declared));
  }
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const part = await reader?.read();
      if (part === undefined || part.done) break;
      received += part.value.length;
      if (received > limits.maxBytes) {
        throw new ConfigSourceError(source, tooLargeReason(limits.maxBytes));
      }
      chunks.push(part.value);
    }
  } catch (e) {
    await reader?.cancel().catch(() => {});
    if (e instanceof ConfigSourceError) throw e;
    const got = declared === undefined
      ? `${received} bytes received`
      : `${received} of ${declared} bytes received`;
    const why = deadline.aborted
      ? `the configuration did not arrive within ${limits.timeoutMs / 1000} s (${got})`
      : `the connection ended before the whole configuration arrived (${got})`;
    throw new ConfigSourceError(source, why);
  }
  if (declared !== undefined && received !== declared) {
    throw new ConfigSourceError(
      source,
      `the body has ${received} bytes, not the ${declared} its Content-Length declares`,
    );
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

async function fetchUrl(source: string, limits: FetchLimits): Promise<string> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const response = await follow(source, limits, deadline);
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new ConfigSourceError(source, `HTTP ${response.status} ${response.statusText}`.trim());
  }
  if ((response.headers.get("content-type") ?? "").includes("text/html")) {
    await response.body?.cancel().catch(() => {});
    throw new ConfigSourceError(source, "the server returned HTML, not a con4m configuration");
  }
  const text = decodeText(await readWhole(source, response, limits, deadline), source, limits);
  if (looksLikeHtml(text)) {
    throw new ConfigSourceError(source, "the server returned HTML, not a con4m configuration");
  }
  return text;
}

function decodeText(bytes: Uint8Array, source: string, limits: FetchLimits): string {
  try {
    return decodeConfigText(bytes, source, limits.maxBytes);
  } catch (e) {
    if (e instanceof ConfigTextError) throw new ConfigSourceError(source, e.reason);
    throw e;
  }
}

/**
 * Reads a configuration from a file or an http(s) URL, whole and as UTF-8 text, within
 * `limits`; throws {@linkcode ConfigSourceError} (exit code 2) otherwise.
 */
export async function fetchConfigText(
  source: string,
  limits: Readonly<FetchLimits> = DEFAULT_FETCH_LIMITS,
): Promise<string> {
  if (/^https?:\/\//i.test(source)) return await fetchUrl(source, limits);
  try {
    return await readConfigText(source, limits.maxBytes);
  } catch (e) {
    if (e instanceof ConfigTextError) throw new ConfigSourceError(source, e.reason);
    throw e;
  }
}
