/**
 * Signed attestations for pushed images (docs/trust.md, "Image
 * attestations"): the SLSA provenance statement of the image's mark in a DSSE
 * envelope, stored beside the image as an OCI 1.1 referrer (a manifest whose
 * `subject` is the image) where the registry serves the referrers API, and
 * otherwise under the tag `sha256-<hex>.att` that cosign and most tools read.
 * Reading finds them the same two ways.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE, readEnvelope } from "../trust/dsse.ts";
import { SLSA_PROVENANCE_V1 } from "../trust/provenance.ts";
import { DEFAULT_REGISTRY, parseImageRef } from "./image_ref.ts";
import { type Descriptor, digestOf, RegistryClient, RegistryError } from "./registry_client.ts";

/** Media type of a DSSE envelope layer. */
export const DSSE_MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
/** artifactType of chalk's referrer manifests. */
export const ATTESTATION_ARTIFACT_TYPE = "application/vnd.in-toto+json";
/** The OCI empty config (`{}`). */
const EMPTY_CONFIG_TYPE = "application/vnd.oci.empty.v1+json";
const PREDICATE_ANNOTATION = "in-toto.io/predicate-type";

/** Where an image lives in its registry. */
export interface ImageInRegistry {
  registry: string;
  repo: string;
  /** The manifest digest, `sha256:<hex>`. */
  digest: string;
}

/** The cosign-style tag of the attestations of `digest`. */
export function attestationTag(digest: string): string {
  return `${digest.replace(":", "-")}.att`;
}

/** How `image` is named where its attestation is: `registry/repo@digest` or `registry/repo:tag`. */
function where(image: ImageInRegistry, ref: string): string {
  return `${image.registry}/${image.repo}${ref.startsWith("sha256:") ? "@" : ":"}${ref}`;
}

function manifestFor(
  config: Descriptor,
  layers: Descriptor[],
  subject?: Descriptor,
): Record<string, unknown> {
  return {
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    artifactType: ATTESTATION_ARTIFACT_TYPE,
    config,
    layers,
    ...(subject ? { subject } : {}),
    annotations: { [PREDICATE_ANNOTATION]: SLSA_PROVENANCE_V1 },
  };
}

/** The layers already stored under the attestation tag, to which a new one is added. */
async function existingTagLayers(
  client: RegistryClient,
  image: ImageInRegistry,
): Promise<Descriptor[]> {
  const found = await client.getManifest(image.repo, attestationTag(image.digest), [
    "application/vnd.oci.image.manifest.v1+json",
  ]);
  if (!found) return [];
  const layers = (JSON.parse(new TextDecoder().decode(found.bytes)) as { layers?: Descriptor[] })
    .layers;
  return Array.isArray(layers) ? layers : [];
}

/**
 * Stores `envelope` beside `image`: as a referrer when the registry has the
 * API (and, with `alsoTag`, under the tag too), otherwise under the tag.
 * Returns where it went.
 */
export async function storeAttestation(
  image: ImageInRegistry,
  envelope: DsseEnvelope,
  options: { alsoTag?: boolean } = {},
): Promise<string[]> {
  const client = new RegistryClient(image.registry);
  const bytes = new TextEncoder().encode(JSON.stringify(envelope));
  const layer = await client.pushBlob(image.repo, bytes, DSSE_MEDIA_TYPE);
  layer.annotations = { [PREDICATE_ANNOTATION]: SLSA_PROVENANCE_V1 };
  const config = await client.pushBlob(
    image.repo,
    new TextEncoder().encode("{}"),
    EMPTY_CONFIG_TYPE,
  );
  const stored: string[] = [];
  const referrers = await client.referrers(image.repo, image.digest);
  if (referrers !== undefined) {
    const subject = await client.getManifest(image.repo, image.digest);
    if (!subject) {
      throw new RegistryError(image.registry, `${image.repo}@${image.digest}: no such image`);
    }
    const manifest = manifestFor(config, [layer], {
      mediaType: subject.mediaType,
      digest: subject.digest,
      size: subject.bytes.length,
    });
    const ref = digestOf(new TextEncoder().encode(JSON.stringify(manifest)));
    const digest = await client.putManifest(image.repo, ref, manifest);
    stored.push(where(image, digest));
    if (!options.alsoTag) return stored;
  }
  const previous = (await existingTagLayers(client, image)).filter((l) =>
    l.digest !== layer.digest
  );
  const tag = attestationTag(image.digest);
  await client.putManifest(image.repo, tag, manifestFor(config, [...previous, layer]));
  stored.push(where(image, tag));
  return stored;
}

/** Envelopes found for `image`, with where they were found. */
export interface FoundAttestations {
  envelopes: DsseEnvelope[];
  /** The referrer manifests or the tag they came from. */
  refs: string[];
}

async function envelopesOf(
  client: RegistryClient,
  repo: string,
  manifestRef: string,
): Promise<DsseEnvelope[]> {
  const manifest = await client.getManifest(repo, manifestRef, [
    "application/vnd.oci.image.manifest.v1+json",
  ]);
  if (!manifest) return [];
  const layers = (JSON.parse(new TextDecoder().decode(manifest.bytes)) as { layers?: Descriptor[] })
    .layers ?? [];
  const out: DsseEnvelope[] = [];
  for (const layer of layers) {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) continue;
    const blob = await client.getBlob(repo, layer.digest);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(blob));
    } catch {
      continue;
    }
    const envelope = readEnvelope(json);
    if (envelope && envelope.payloadType === IN_TOTO_PAYLOAD_TYPE) out.push(envelope);
  }
  return out;
}

/** Every chalk attestation stored beside `image` (referrers first, then the tag). */
export async function fetchAttestations(image: ImageInRegistry): Promise<FoundAttestations> {
  const client = new RegistryClient(image.registry);
  const found: FoundAttestations = { envelopes: [], refs: [] };
  const referrers = await client.referrers(image.repo, image.digest) ?? [];
  for (const r of referrers) {
    if (r.artifactType !== ATTESTATION_ARTIFACT_TYPE) continue;
    const envelopes = await envelopesOf(client, image.repo, r.digest);
    if (envelopes.length === 0) continue;
    found.envelopes.push(...envelopes);
    found.refs.push(where(image, r.digest));
  }
  const tag = attestationTag(image.digest);
  const tagged = await envelopesOf(client, image.repo, tag);
  if (tagged.length > 0) {
    found.envelopes.push(...tagged);
    found.refs.push(where(image, tag));
  }
  return found;
}

/** The registry locations of a local image, from `docker inspect`'s RepoDigests. */
export function registryLocations(inspect: Record<string, unknown>): ImageInRegistry[] {
  const digests = inspect.RepoDigests;
  if (!Array.isArray(digests)) return [];
  const out: ImageInRegistry[] = [];
  for (const d of digests) {
    const ref = parseImageRef(String(d));
    if (ref.digest === undefined || !/^sha256:[0-9a-f]{64}$/.test(ref.digest)) continue;
    // Only registries named in the reference: docker.io needs a login chalk does not do.
    if (ref.registry === DEFAULT_REGISTRY && !String(d).startsWith(`${DEFAULT_REGISTRY}/`)) {
      continue;
    }
    out.push({ registry: ref.registry, repo: ref.repo, digest: ref.digest });
  }
  return out;
}

/**
 * Where `reference` (a pushed `registry/repo:tag`) is now: its manifest digest
 * as the registry reports it. Undefined for Docker Hub names, which need a login.
 */
export async function pushedImage(reference: string): Promise<ImageInRegistry | undefined> {
  const ref = parseImageRef(reference);
  if (ref.registry === DEFAULT_REGISTRY && !reference.startsWith(`${DEFAULT_REGISTRY}/`)) {
    return undefined;
  }
  const found = await new RegistryClient(ref.registry).getManifest(
    ref.repo,
    ref.digest ?? ref.tag ?? "latest",
  );
  if (!found) throw new RegistryError(ref.registry, `${reference}: not in the registry`);
  return { registry: ref.registry, repo: ref.repo, digest: found.digest };
}

/** The mark's METADATA_ID, which a statement must name to be this mark's attestation. */
export function markMetadataId(mark: MarkDict): string | undefined {
  const id = mark.get("METADATA_ID");
  return typeof id === "string" ? id : undefined;
}
