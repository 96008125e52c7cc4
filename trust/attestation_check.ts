/**
 * Checks the DSSE envelopes found beside an image against its mark: an
 * envelope counts for the image only when its signature verifies with the
 * mark's INJECTOR_PUBLIC_KEY, its statement is an in-toto Statement v1 about
 * the image's digest, and it records the mark's METADATA_ID. An envelope whose
 * signature fails makes the image invalid (a tampered attestation), never
 * silently missing.
 *
 * @module
 */
import { type DsseEnvelope, IN_TOTO_PAYLOAD_TYPE, openEnvelope } from "./dsse.ts";
import { STATEMENT_TYPE, statementDigests, statementMetadataId } from "./provenance.ts";
import { publicKeyFromPem } from "./signing_key.ts";
import type { SignatureCheck } from "./mark_signature.ts";
import { errorMessage } from "../internal/errors.ts";

/** The outcome for an image: a signature status, or no attestation at all. */
export type AttestationStatus = "valid" | "invalid" | "unknown signer" | "missing";

/** The attestation outcome with its reason, signer and the envelope that decided it. */
export interface AttestationCheck {
  status: AttestationStatus;
  reason?: string;
  fingerprint?: string;
  envelope?: DsseEnvelope;
}

/** What the image's mark says about it. */
export interface MarkedImage {
  /** The mark's INJECTOR_PUBLIC_KEY (PEM), if any. */
  publicKeyPem?: string;
  metadataId?: string;
  /** The image manifest digests (`sha256:<hex>`) the statement may name. */
  digests: readonly string[];
}

function parseStatement(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

/** Checks `envelopes` for `image`; `trusted` holds the fingerprints of known signers. */
export function checkAttestations(
  envelopes: readonly DsseEnvelope[],
  image: MarkedImage,
  trusted: ReadonlySet<string>,
): AttestationCheck {
  if (envelopes.length === 0) return { status: "missing", reason: "no attestation found" };
  if (image.publicKeyPem === undefined) {
    return { status: "invalid", reason: "the image's mark has no INJECTOR_PUBLIC_KEY" };
  }
  let key;
  try {
    key = publicKeyFromPem(image.publicKeyPem, "INJECTOR_PUBLIC_KEY");
  } catch (e) {
    return { status: "invalid", reason: errorMessage(e) };
  }
  const hexes = new Set(image.digests.map((d) => d.replace(/^sha256:/, "")));
  let invalid: AttestationCheck | undefined;
  for (const envelope of envelopes) {
    if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) continue;
    const opened = openEnvelope(envelope, [key]);
    if (!opened.signer) {
      invalid ??= {
        status: "invalid",
        reason: "attestation signature does not verify with the mark's public key",
        envelope,
      };
      continue;
    }
    const statement = parseStatement(opened.body) as { _type?: unknown } | undefined;
    if (statement?._type !== STATEMENT_TYPE) continue;
    // The same key signs other images and other builds: only this mark's statement counts.
    if (!statementDigests(statement).some((d) => hexes.has(d))) continue;
    if (statementMetadataId(statement) !== image.metadataId) continue;
    if (!trusted.has(key.fingerprint)) {
      return {
        status: "unknown signer",
        reason: `attested by ${key.fingerprint}, which is not a trusted signer`,
        fingerprint: key.fingerprint,
        envelope,
      };
    }
    return { status: "valid", fingerprint: key.fingerprint, envelope };
  }
  return invalid ?? { status: "missing", reason: "no attestation of this image's mark found" };
}

/** The attestation outcome as a signature check (`missing` reads as unsigned). */
export function asSignatureCheck(check: AttestationCheck): SignatureCheck {
  return {
    status: check.status === "missing" ? "unsigned" : check.status,
    ...(check.reason === undefined ? {} : { reason: check.reason }),
    ...(check.fingerprint === undefined ? {} : { fingerprint: check.fingerprint }),
  };
}
