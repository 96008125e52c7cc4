/**
 * HTTPS to a server whose certificate is itself the pinned one. A
 * certificate made the common way (`openssl req -x509`) carries `CA:TRUE`;
 * Deno's TLS stack refuses a CA certificate as a server's own
 * ("CaUsedAsEndEntity") even when it is the trusted one, so `fetch` cannot
 * reach such a server. Here the handshake is done without the chain check,
 * and the request is written only once the certificate the server presented
 * is byte for byte one of the pinned certificates: the handshake proved the
 * server holds its key, so nothing weaker than pinning is accepted.
 *
 * @module
 */
import { request } from "node:https";
import type { TLSSocket } from "node:tls";
import { Buffer } from "node:buffer";

/** The DER bytes of every certificate in a PEM text. */
export function pemCertificates(pem: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (const m of pem.matchAll(re)) {
    const b64 = m[1].replace(/\s+/g, "");
    out.push(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  }
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** True when `e` is fetch refusing a server that presents a CA certificate as its own. */
export function isCaUsedAsLeaf(e: unknown): boolean {
  for (let err: unknown = e; err instanceof Error; err = err.cause) {
    if (err.message.includes("CaUsedAsEndEntity")) return true;
  }
  return false;
}

/** The subset of `fetch`'s options the HTTP sinks use. */
interface LeafRequest {
  method: string;
  headers: Headers;
  body?: Uint8Array<ArrayBuffer>;
  signal?: AbortSignal;
}

const NO_BODY = new Set([204, 205, 304]);

/**
 * Sends one request to `url` (https) and resolves to its response, if the
 * server's certificate is one of `pinned` (DER). Redirects are returned, not
 * followed, as with `redirect: "manual"`.
 */
export function fetchPinnedLeaf(
  url: string,
  init: LeafRequest,
  pinned: readonly Uint8Array[],
): Promise<Response> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, "");
  const headers: Record<string, string> = {};
  init.headers.forEach((v, k) => headers[k] = v);
  if (init.body) headers["content-length"] = String(init.body.length);
  return new Promise((resolve, reject) => {
    const req = request({
      host,
      port: target.port === "" ? 443 : Number(target.port),
      path: `${target.pathname}${target.search}`,
      method: init.method,
      headers,
      // The chain is checked below, by identity with the pinned certificate.
      rejectUnauthorized: false,
      servername: /^[\d.]+$|:/.test(host) ? undefined : host,
      // A fresh connection: its handshake is the one checked.
      agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 502;
        const out = new Headers();
        for (const [k, v] of Object.entries(res.headers)) {
          if (v !== undefined) out.set(k, Array.isArray(v) ? v.join(", ") : String(v));
        }
        const body = NO_BODY.has(status) ? null : Buffer.concat(chunks);
        resolve(new Response(body, { status, statusText: res.statusMessage ?? "", headers: out }));
      });
    });
    const abort = () => req.destroy(init.signal?.reason ?? new Error("aborted"));
    if (init.signal?.aborted) return abort();
    init.signal?.addEventListener("abort", abort, { once: true });
    req.on("close", () => init.signal?.removeEventListener("abort", abort));
    req.on("error", reject);
    req.on("socket", (socket) => {
      const tls = socket as TLSSocket;
      tls.once("secureConnect", () => {
        const raw = tls.getPeerCertificate(false)?.raw as Uint8Array | undefined;
        if (!raw || !pinned.some((p) => sameBytes(p, new Uint8Array(raw)))) {
          req.destroy(
            new Error(`${target.host}: the server's certificate is not the pinned certificate`),
          );
          return;
        }
        req.end(init.body ? Buffer.from(init.body) : undefined);
      });
    });
  });
}
