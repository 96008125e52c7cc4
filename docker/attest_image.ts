/**
 * Image attestations in the docker commands (docs/trust.md, "Image
 * attestations"): after a push, sign the provenance of the image's mark and
 * store it in the registry; on extract, fetch and check it. Both are
 * fail-open: never a failed docker command. A pushed image left unattested (a
 * key that does not load, a registry that refuses it) is one error line, so
 * that it shows at the default `docker_log_level` and in `_OP_ERRORS`; an
 * extract whose registry does not answer is one warning line.
 *
 * @module
 */

import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { errorMessage } from "../internal/errors.ts";
import type { RunContext } from "../ops/run_context.ts";
import { recordSignature } from "../ops/signature_report.ts";
import { openSigner, trustedSigners } from "../ops/signing_identity.ts";
import {
  asSignatureCheck,
  type AttestationCheck,
  checkAttestations,
} from "../trust/attestation_check.ts";
import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE, signEnvelope } from "../trust/dsse.ts";
import { provenanceStatement } from "../trust/provenance.ts";
import type { SigningKey } from "../trust/signing_key.ts";
import {
  fetchAttestations,
  type ImageInRegistry,
  pushedImage,
  registryLocations,
  storeAttestation,
} from "./image_attestation.ts";

/**
 * The key that signs a docker command's attestations: undefined when chalk has none, or (with
 * one error line; docker's exit status stays) when it is set up but does not load.
 */
export function dockerSigner(ctx: RunContext): SigningKey | undefined {
  try {
    return openSigner(ctx);
  } catch (e) {
    ctx.log.error(`docker: pushed images are not attested: ${errorMessage(e)}`);
    return undefined;
  }
}

function envelopeValue(envelope: DsseEnvelope): MarkDict {
  return new Map<string, MarkValue>([
    ["payloadType", envelope.payloadType],
    ["payload", envelope.payload],
    [
      "signatures",
      envelope.signatures.map((s) =>
        new Map<string, MarkValue>([["keyid", s.keyid], ["sig", s.sig]])
      ),
    ],
  ]);
}

function label(image: ImageInRegistry): string {
  return `${image.registry}/${image.repo}@${image.digest}`;
}

/**
 * Signs and stores the attestation of each pushed `images` for `mark`; records
 * `_SIGNATURES` and `_ATTESTATION_REF` in the push report `data`, whose keys fill the
 * provenance parameters the mark leaves out (the Dockerfile, the platform).
 */
export async function attestPushedImages(
  ctx: RunContext,
  signer: SigningKey,
  mark: MarkDict,
  images: readonly ImageInRegistry[],
  data: MarkDict,
): Promise<void> {
  const envelopes: MarkDict[] = [];
  const refs: string[] = [];
  for (const image of images) {
    try {
      const statement = provenanceStatement(
        { name: `${image.registry}/${image.repo}`, sha256: image.digest.replace(/^sha256:/, "") },
        mark,
        {
          chalkVersion: ctx.facts.version,
          hostname: Deno.hostname(),
          finishedOn: new Date(),
          known: data,
        },
      );
      const body = new TextEncoder().encode(JSON.stringify(statement));
      const envelope = signEnvelope(signer, IN_TOTO_PAYLOAD_TYPE, body);
      const stored = await storeAttestation(image, envelope, {
        alsoTag: ctx.config.attestation.useOciTag,
      });
      ctx.log.info(`docker: ${label(image)}: attestation stored: ${stored.join(", ")}`);
      envelopes.push(envelopeValue(envelope));
      refs.push(...stored);
    } catch (e) {
      ctx.log.error(`docker: ${label(image)}: attestation not stored: ${errorMessage(e)}`);
    }
  }
  if (envelopes.length > 0) data.set("_SIGNATURES", envelopes);
  if (refs.length > 0) data.set("_ATTESTATION_REF", refs.join(", "));
}

/**
 * Attests the images just pushed under `references` (`registry/repo:tag`),
 * each found through its registry; one error line for each that cannot be.
 */
export async function attestPushedReferences(
  ctx: RunContext,
  signer: SigningKey,
  mark: MarkDict,
  references: readonly string[],
  data: MarkDict,
): Promise<void> {
  const images: ImageInRegistry[] = [];
  for (const reference of references) {
    try {
      const image = await pushedImage(reference);
      if (image) images.push(image);
      else ctx.log.error(`docker: ${reference}: attestation not stored: Docker Hub needs a login`);
    } catch (e) {
      ctx.log.error(`docker: ${reference}: attestation not stored: ${errorMessage(e)}`);
    }
  }
  await attestPushedImages(ctx, signer, mark, images, data);
}

/** Fetches and checks the attestations of an image whose mark is `mark`. */
export async function imageAttestation(
  images: readonly ImageInRegistry[],
  mark: MarkDict,
  trusted: ReadonlySet<string>,
): Promise<AttestationCheck & { refs: string[] }> {
  const envelopes: DsseEnvelope[] = [];
  const refs: string[] = [];
  for (const image of images) {
    const found = await fetchAttestations(image);
    envelopes.push(...found.envelopes);
    refs.push(...found.refs);
  }
  const pem = mark.get("INJECTOR_PUBLIC_KEY");
  const metadataId = mark.get("METADATA_ID");
  const check = checkAttestations(envelopes, {
    ...(typeof pem === "string" ? { publicKeyPem: pem } : {}),
    ...(typeof metadataId === "string" ? { metadataId } : {}),
    digests: images.map((i) => i.digest),
  }, trusted);
  return { ...check, refs };
}

/**
 * Adds the attestation outcome of an extracted image to its report `data`
 * (`_ATTESTATION_STATUS`, `_SIGNATURE_STATUS`, `_SIGNATURES`); an image that
 * was never pushed has no registry to ask and gets nothing.
 */
export async function recordImageAttestation(
  ctx: RunContext,
  name: string,
  inspect: Record<string, unknown>,
  mark: MarkDict,
  data: MarkDict,
  trusted: ReadonlySet<string> = trustedSigners(ctx),
): Promise<AttestationCheck | undefined> {
  const images = registryLocations(inspect);
  if (images.length === 0) return undefined;
  let check;
  try {
    check = await imageAttestation(images, mark, trusted);
  } catch (e) {
    ctx.log.warn(`${name}: attestation not checked: ${errorMessage(e)}`);
    data.set("_ATTESTATION_STATUS", "unavailable");
    return { status: "missing", reason: errorMessage(e) };
  }
  data.set("_ATTESTATION_STATUS", check.status);
  if (check.refs.length > 0) data.set("_ATTESTATION_REF", check.refs.join(", "));
  if (check.envelope) data.set("_SIGNATURES", [envelopeValue(check.envelope)]);
  if (check.status === "missing") ctx.log.warn(`${name}: ${check.reason}`);
  recordSignature(ctx.log, name, data, asSignatureCheck(check));
  return check;
}
