/**
 * Fetching the text of a configuration named on the command line: a local path
 * or an http(s) URL (docs/decisions.md, "chalk load"). Every failure is one
 * line naming the source.
 */
import { readFailureReason } from "../config/load_config.ts";
import { UsageError } from "../internal/errors.ts";

/** A configuration that could not be fetched. */
export class ConfigSourceError extends UsageError {
  constructor(readonly source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = "ConfigSourceError";
  }
}

const FETCH_TIMEOUT_MS = 5000;

function looksLikeHtml(text: string): boolean {
  return /^\s*(<!doctype html|<html|<head|<body)/i.test(text);
}

/** Reads a configuration from a file or an http(s) URL. */
export async function fetchConfigText(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (e) {
      const timedOut = e instanceof DOMException && e.name === "TimeoutError";
      throw new ConfigSourceError(
        source,
        timedOut
          ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s`
          : `could not request configuration (${(e as Error).message})`,
      );
    }
    const text = await response.text().catch(() => "");
    if (!response.ok) {
      throw new ConfigSourceError(source, `HTTP ${response.status} ${response.statusText}`.trim());
    }
    const type = response.headers.get("content-type") ?? "";
    if (type.includes("text/html") || looksLikeHtml(text)) {
      throw new ConfigSourceError(source, "the server returned HTML, not a con4m configuration");
    }
    return text;
  }
  try {
    return await Deno.readTextFile(source);
  } catch (e) {
    throw new ConfigSourceError(
      source,
      `could not open configuration file: ${readFailureReason(e)}`,
    );
  }
}
