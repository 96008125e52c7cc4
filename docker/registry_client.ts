/**
 * The few calls of the OCI distribution API that attestations need: read
 * and write manifests and blobs, and ask for referrers (OCI 1.1). Loopback
 * registries are spoken to over plain HTTP (as docker does), every other one
 * over HTTPS; registries that demand a login are not supported
 * (docs/trust.md, "Image attestations"). Every failure is a
 * {@linkcode RegistryError}: one line naming the registry.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** A registry call that failed; the message is one line naming the registry. */
export class RegistryError extends Error {
  constructor(readonly registry: string, reason: string) {
    super(`${registry}: ${reason}`);
    this.name = "RegistryError";
  }
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

/** A manifest as fetched: its bytes, media type and digest. */
export interface FetchedManifest {
  bytes: Uint8Array;
  mediaType: string;
  digest: string;
}

/** Media types an image manifest or index may have. */
export const MANIFEST_TYPES: readonly string[] = [
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.oci.image.index.v1+json",
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
];

const TIMEOUT_MS = 15_000;

/** `sha256:<hex>` of `bytes`. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** One registry, spoken to without credentials. */
export class RegistryClient {
  readonly #base: string;

  constructor(readonly registry: string) {
    this.#base = `${isLoopback(registry) ? "http" : "https"}://${registry}/v2`;
  }

  async #call(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path.startsWith("http") ? path : `${this.#base}${path}`, {
        ...init,
        method,
        redirect: "follow",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new RegistryError(
        this.registry,
        `registry unreachable (${cause ?? (e as Error).message})`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new RegistryError(
        this.registry,
        `registry wants a login (HTTP ${response.status}); chalk attests only to registries without one`,
      );
    }
    return response;
  }

  async #fail(response: Response, what: string): Promise<never> {
    const text = (await response.text().catch(() => "")).trim().split("\n")[0].slice(0, 200);
    throw new RegistryError(
      this.registry,
      `${what}: HTTP ${response.status}${text === "" ? "" : ` ${text}`}`,
    );
  }

  /** The manifest `ref` (tag or digest) of `repo`, or undefined when there is none. */
  async getManifest(
    repo: string,
    ref: string,
    accept: readonly string[] = MANIFEST_TYPES,
  ): Promise<FetchedManifest | undefined> {
    const r = await this.#call("GET", `/${repo}/manifests/${ref}`, {
      headers: { Accept: accept.join(", ") },
    });
    if (r.status === 404) {
      await r.body?.cancel();
      return undefined;
    }
    if (!r.ok) return await this.#fail(r, `cannot read manifest ${repo}:${ref}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    return {
      bytes,
      mediaType: (r.headers.get("content-type") ?? "").split(";")[0],
      digest: r.headers.get("docker-content-digest") ?? digestOf(bytes),
    };
  }

  /** Stores a manifest under `ref`; returns its digest. */
  async putManifest(repo: string, ref: string, manifest: object): Promise<string> {
    const bytes = new TextEncoder().encode(JSON.stringify(manifest));
    const mediaType = (manifest as { mediaType?: string }).mediaType ?? MANIFEST_TYPES[0];
    const r = await this.#call("PUT", `/${repo}/manifests/${ref}`, {
      headers: { "Content-Type": mediaType },
      body: bytes,
    });
    if (!r.ok) return await this.#fail(r, `cannot store manifest ${repo}:${ref}`);
    await r.body?.cancel();
    return digestOf(bytes);
  }

  /** Uploads `bytes` as a blob of `repo` (unless already there); returns its descriptor. */
  async pushBlob(
    repo: string,
    bytes: Uint8Array<ArrayBuffer>,
    mediaType: string,
  ): Promise<Descriptor> {
    const digest = digestOf(bytes);
    const descriptor = { mediaType, digest, size: bytes.length };
    const head = await this.#call("HEAD", `/${repo}/blobs/${digest}`);
    await head.body?.cancel();
    if (head.ok) return descriptor;
    const start = await this.#call("POST", `/${repo}/blobs/uploads/`);
    await start.body?.cancel();
    const location = start.headers.get("location");
    if (start.status !== 202 || location === null) {
      throw new RegistryError(this.registry, `cannot upload to ${repo}: HTTP ${start.status}`);
    }
    const url = new URL(location, `${this.#base}/`);
    url.searchParams.set("digest", digest);
    const put = await this.#call("PUT", url.toString(), {
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });
    if (!put.ok) return await this.#fail(put, `cannot upload to ${repo}`);
    await put.body?.cancel();
    return descriptor;
  }

  /** The blob `digest` of `repo`, checked against its digest. */
  async getBlob(repo: string, digest: string): Promise<Uint8Array> {
    const r = await this.#call("GET", `/${repo}/blobs/${digest}`);
    if (!r.ok) return await this.#fail(r, `cannot read blob ${digest}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    if (digestOf(bytes) !== digest) {
      throw new RegistryError(this.registry, `blob ${digest} does not match its digest`);
    }
    return bytes;
  }

  /**
   * The referrers of `digest` (OCI 1.1), or undefined when the registry has no
   * referrers API (a 404 there: registries that have it answer 200, even empty).
   */
  async referrers(repo: string, digest: string): Promise<Descriptor[] | undefined> {
    const r = await this.#call("GET", `/${repo}/referrers/${digest}`, {
      headers: { Accept: "application/vnd.oci.image.index.v1+json" },
    });
    if (r.status === 404 || r.status === 405) {
      await r.body?.cancel();
      return undefined;
    }
    if (!r.ok) return await this.#fail(r, `cannot list referrers of ${digest}`);
    const index = await r.json().catch(() => undefined) as { manifests?: Descriptor[] } | undefined;
    if (!index || !Array.isArray(index.manifests)) return undefined;
    return index.manifests;
  }
}
