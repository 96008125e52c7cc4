/**
 * The HTTP requests of the cloud collectors: one request, a hard timeout
 * that covers connect, headers and body, a small size cap, no redirects.
 * Never throws: a failure is a value the collector can report.
 *
 * @module
 */

/** Where a cloud's metadata service answers and how long a request may take. */
export interface MetadataEndpoint {
  /** `http://169.254.169.254` or, in tests, a loopback server. */
  readonly base: string;
  readonly timeoutMs: number;
}

/** What one request returned. */
export type MetadataResult =
  | { ok: true; status: number; text: string; headers: Headers }
  | { ok: false; status?: number; error: string };

/** Metadata documents are small; anything bigger is not a metadata service. */
const MAX_BODY = 1 << 20;

/**
 * `http://HOST[:PORT]` for `cloud_provider.metadata_ip` (an address, a
 * host name or a whole `http://` URL).
 */
export function metadataBase(ipOrUrl: string): string {
  const trimmed = ipOrUrl.trim().replace(/\/+$/, "");
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
}

/** One request to the metadata service; 404 counts as ok with an empty body when `allow404`. */
export async function metadataRequest(
  endpoint: MetadataEndpoint,
  path: string,
  init: { method?: string; headers?: Record<string, string>; allow404?: boolean } = {},
): Promise<MetadataResult> {
  const signal = AbortSignal.timeout(endpoint.timeoutMs);
  try {
    const response = await fetch(`${endpoint.base}${path}`, {
      method: init.method ?? "GET",
      headers: init.headers,
      redirect: "manual",
      signal,
    });
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > MAX_BODY) {
      await response.body?.cancel();
      return { ok: false, status: response.status, error: `body of ${declared} bytes` };
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes.length > MAX_BODY) {
      return { ok: false, status: response.status, error: `body of ${bytes.length} bytes` };
    }
    const text = new TextDecoder().decode(bytes).trim();
    if (response.status === 404 && init.allow404) {
      return { ok: true, status: 404, text: "", headers: response.headers };
    }
    if (response.status < 200 || response.status > 299) {
      return {
        ok: false,
        status: response.status,
        error: `HTTP ${response.status} ${response.statusText}`.trim(),
      };
    }
    return { ok: true, status: response.status, text, headers: response.headers };
  } catch (e) {
    const timedOut = signal.aborted;
    return {
      ok: false,
      error: timedOut
        ? `no answer within ${endpoint.timeoutMs} ms`
        : e instanceof Error
        ? e.message
        : String(e),
    };
  }
}
