/**
 * A small OCI registry on loopback that serves the OCI 1.1 referrers API
 * (the Debian registry the other docker tests use has none): enough of the
 * distribution API for `docker push` (chunked blob uploads, manifests by tag
 * and digest) plus `GET /v2/<name>/referrers/<digest>`, kept in memory.
 */
import { createHash } from "node:crypto";

function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

interface StoredManifest {
  bytes: Uint8Array<ArrayBuffer>;
  mediaType: string;
}

/** A running fake registry: its `host:port` and a way to stop it. */
export interface FakeRegistry {
  host: string;
  stop(): Promise<void>;
}

/** Starts the registry on a free loopback port. */
export function startFakeRegistry(): FakeRegistry {
  const blobs = new Map<string, Uint8Array<ArrayBuffer>>();
  const uploads = new Map<string, Uint8Array[]>();
  const manifests = new Map<string, StoredManifest>(); // "name@digest" and "name:tag"
  const byDigest = new Map<string, StoredManifest & { name: string }>();

  const concat = (parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  };

  const handler = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path === "/v2/" || path === "/v2") return new Response("{}", { status: 200 });
    let m = /^\/v2\/(.+)\/blobs\/uploads\/([^/]*)$/.exec(path);
    if (m) {
      const [, name, id] = m;
      if (req.method === "POST") {
        const uuid = crypto.randomUUID();
        uploads.set(uuid, []);
        return new Response(null, {
          status: 202,
          headers: {
            Location: `/v2/${name}/blobs/uploads/${uuid}`,
            "Docker-Upload-UUID": uuid,
            Range: "0-0",
          },
        });
      }
      const parts = uploads.get(id);
      if (!parts) return new Response("unknown upload", { status: 404 });
      const body = new Uint8Array(await req.arrayBuffer());
      if (body.length > 0) parts.push(body);
      const size = parts.reduce((n, p) => n + p.length, 0);
      if (req.method === "PATCH") {
        return new Response(null, {
          status: 202,
          headers: {
            Location: `/v2/${name}/blobs/uploads/${id}`,
            "Docker-Upload-UUID": id,
            Range: `0-${Math.max(size - 1, 0)}`,
          },
        });
      }
      if (req.method === "PUT") {
        const bytes = concat(parts);
        const digest = url.searchParams.get("digest") ?? "";
        if (digestOf(bytes) !== digest) return new Response("digest mismatch", { status: 400 });
        blobs.set(digest, bytes);
        uploads.delete(id);
        return new Response(null, {
          status: 201,
          headers: { Location: `/v2/${name}/blobs/${digest}`, "Docker-Content-Digest": digest },
        });
      }
    }
    m = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (m) {
      const bytes = blobs.get(m[2]);
      if (!bytes) return new Response(null, { status: 404 });
      const headers = {
        "Docker-Content-Digest": m[2],
        "Content-Length": String(bytes.length),
        "Content-Type": "application/octet-stream",
      };
      return new Response(req.method === "HEAD" ? null : bytes, { status: 200, headers });
    }
    m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path);
    if (m) {
      const [, name, ref] = m;
      const key = ref.startsWith("sha256:") ? `${name}@${ref}` : `${name}:${ref}`;
      if (req.method === "PUT") {
        const bytes = new Uint8Array(await req.arrayBuffer());
        const mediaType = (req.headers.get("content-type") ?? "").split(";")[0];
        const digest = digestOf(bytes);
        const stored = { bytes, mediaType };
        manifests.set(key, stored);
        manifests.set(`${name}@${digest}`, stored);
        byDigest.set(digest, { ...stored, name });
        const headers: Record<string, string> = { "Docker-Content-Digest": digest };
        const subject = (JSON.parse(new TextDecoder().decode(bytes)) as {
          subject?: { digest?: string };
        }).subject;
        if (subject?.digest) headers["OCI-Subject"] = subject.digest;
        return new Response(null, { status: 201, headers });
      }
      const found = manifests.get(key);
      if (!found) return new Response(null, { status: 404 });
      const headers = {
        "Docker-Content-Digest": digestOf(found.bytes),
        "Content-Type": found.mediaType,
        "Content-Length": String(found.bytes.length),
      };
      return new Response(req.method === "HEAD" ? null : found.bytes, { status: 200, headers });
    }
    m = /^\/v2\/(.+)\/referrers\/(sha256:[0-9a-f]{64})$/.exec(path);
    if (m && req.method === "GET") {
      const [, name, subjectDigest] = m;
      const refs = [];
      for (const [digest, stored] of byDigest) {
        if (stored.name !== name) continue;
        const doc = JSON.parse(new TextDecoder().decode(stored.bytes)) as {
          subject?: { digest?: string };
          artifactType?: string;
          annotations?: Record<string, string>;
        };
        if (doc.subject?.digest !== subjectDigest) continue;
        refs.push({
          mediaType: stored.mediaType,
          digest,
          size: stored.bytes.length,
          ...(doc.artifactType ? { artifactType: doc.artifactType } : {}),
          ...(doc.annotations ? { annotations: doc.annotations } : {}),
        });
      }
      return Response.json({
        schemaVersion: 2,
        mediaType: "application/vnd.oci.image.index.v1+json",
        manifests: refs,
      }, { headers: { "Content-Type": "application/vnd.oci.image.index.v1+json" } });
    }
    return new Response("not found", { status: 404 });
  };

  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler);
  return {
    host: `127.0.0.1:${server.addr.port}`,
    stop: () => server.shutdown(),
  };
}
