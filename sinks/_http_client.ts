/**
 * What `post` and `presign` share: the parsed HTTP parameters, the TLS client
 * for a pinned certificate, and the per-attempt timeout signal.
 */
import type { SinkConfig } from "./sink.ts";
import { SinkDeliveryError } from "./_delivery_error.ts";
import { dictParam, intParam, redactUrl, stringParam, validateSinkParams } from "./sink_params.ts";
import { expandHome } from "./expand_home.ts";
import { errorMessage } from "../internal/errors.ts";
import { type BodyFacts, setCoreHeaders } from "./_chalk_headers.ts";
import { fetchPinnedLeaf, isCaUsedAsLeaf, pemCertificates } from "./_pinned_leaf_https.ts";

/** The parameters of an HTTP sink after validation. */
export interface HttpParams {
  readonly uri: string;
  readonly contentType: string;
  readonly headers: readonly [string, string][];
  /** Per-attempt timeout in ms; undefined means none. */
  readonly timeoutMs?: number;
  readonly pinnedCertFile?: string;
  readonly pinnedCert?: string;
  /** The `Authorization` header of the sink's `auth_config`, if it names one. */
  readonly authorization?: string;
}

/** Validates and reads the parameters shared by `post` and `presign`. */
export function httpParams(config: SinkConfig): HttpParams {
  validateSinkParams(config);
  const timeout = intParam(config, "timeout") ?? 1000;
  const certFile = stringParam(config, "pinned_cert_file");
  return {
    uri: stringParam(config, "uri")!,
    contentType: stringParam(config, "content_type") ?? "application/json",
    headers: dictParam(config, "headers"),
    timeoutMs: timeout > 0 ? timeout : undefined,
    pinnedCertFile: certFile ? expandHome(certFile) : undefined,
    pinnedCert: stringParam(config, "pinned_cert"),
    ...(config.auth && "header" in config.auth ? { authorization: config.auth.header } : {}),
  };
}

/** The `fetch` options the HTTP sinks use. */
export interface SinkRequest {
  method: string;
  headers: Headers;
  body?: Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
}

/** Holds the TLS client of a sink with a pinned certificate, created on first use. */
export class PinnedClient {
  #client?: Deno.HttpClient;
  #pinned: Uint8Array[] = [];
  /** Origins whose server presents a pinned CA certificate as its own. */
  readonly #caAsLeaf = new Set<string>();

  constructor(readonly params: HttpParams, readonly sinkName: string) {}

  /**
   * `fetch(url)` without following redirects, trusting the pinned certificate
   * when there is one: as a CA (or a non-CA server certificate) through
   * `fetch`, or, for a server presenting a pinned `CA:TRUE` certificate as its
   * own (a self-signed `openssl req -x509` certificate), by identity
   * (`_pinned_leaf_https.ts`).
   */
  async fetch(url: string, init: SinkRequest): Promise<Response> {
    const client = await this.get();
    const request = { ...init, redirect: "manual" as const };
    if (!client) return await fetch(url, request);
    const origin = new URL(url).origin;
    if (this.#caAsLeaf.has(origin)) return await fetchPinnedLeaf(url, init, this.#pinned);
    try {
      return await fetch(url, { ...request, client });
    } catch (e) {
      if (!isCaUsedAsLeaf(e)) throw e;
      this.#caAsLeaf.add(origin);
      return await fetchPinnedLeaf(url, init, this.#pinned);
    }
  }

  /** The client to pass to fetch, or undefined to use the system CAs. */
  async get(): Promise<Deno.HttpClient | undefined> {
    if (this.#client) return this.#client;
    let pem = this.params.pinnedCert;
    if (this.params.pinnedCertFile) {
      try {
        pem = await Deno.readTextFile(this.params.pinnedCertFile);
      } catch (e) {
        const why = errorMessage(e);
        throw new SinkDeliveryError(
          this.sinkName,
          `cannot read pinned_cert_file ${this.params.pinnedCertFile}: ${why}`,
          true,
        );
      }
    }
    if (pem === undefined) return undefined;
    this.#pinned = pemCertificates(pem);
    this.#client = Deno.createHttpClient({ caCerts: [pem] });
    return this.#client;
  }

  /** Releases the client. */
  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
}

/** The abort signal of one attempt, or undefined without a timeout. */
export function attemptSignal(params: HttpParams): AbortSignal | undefined {
  return params.timeoutMs === undefined ? undefined : AbortSignal.timeout(params.timeoutMs);
}

/** What an HTTP sink keeps for its life: its parameters, its (pinned) client, its URL as shown. */
export function httpSinkBase(
  config: SinkConfig,
): { params: HttpParams; client: PinnedClient; shown: string } {
  const params = httpParams(config);
  return { params, client: new PinnedClient(params, config.name), shown: redactUrl(params.uri) };
}

/** The headers of one attempt: the configured ones, the content type, chalk's core headers. */
export function requestHeaders(params: HttpParams, facts: BodyFacts, attempt: number): Headers {
  const headers = new Headers(params.headers);
  headers.set("Content-Type", params.contentType);
  // The auth_config's header over a user's own, chalk's core headers over both.
  if (params.authorization !== undefined) headers.set("Authorization", params.authorization);
  setCoreHeaders(headers, facts, attempt);
  return headers;
}
