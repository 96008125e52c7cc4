/**
 * Signed marks (docs/trust.md, "Signed marks"). As in the original Chalk, the
 * signature covers the text `HASH || METADATA_HASH || "\n"`: the artifact's
 * unchalked hash and the hash of the mark's normalised content, which
 * includes the signer's public key (INJECTOR_PUBLIC_KEY) and the algorithm
 * (SIGNATURE_ALGORITHM). Editing any hashed key, the artifact, or the
 * signature makes the check fail; re-signing with another key is reported as
 * an unknown signer.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { metadataHashOf } from "../codecs/identity.ts";
import { signBytes, verifyBytes } from "./ecdsa.ts";
import { publicKeyFromPem, type SigningKey, type VerifyKey } from "./signing_key.ts";
import { errorMessage } from "../internal/errors.ts";

/** The value of SIGNATURE_ALGORITHM: ECDSA P-256 over SHA-256, base64 DER signature. */
export const SIGNATURE_ALGORITHM = "ecdsa-p256-sha256";

/** Keys a signed mark carries whatever its template. */
export const SIGNED_MARK_KEYS: readonly string[] = [
  "INJECTOR_PUBLIC_KEY",
  "SIGNATURE_ALGORITHM",
  "SIGNING",
  "SIGNATURE",
];

/** The outcome of checking one mark (or one image attestation). */
export type SignatureStatus = "valid" | "invalid" | "unsigned" | "unknown signer";

/** A status with the reason (for invalid and unknown signer) and the signer's fingerprint. */
export interface SignatureCheck {
  status: SignatureStatus;
  reason?: string;
  fingerprint?: string;
}

/** The bytes a mark signature covers. */
export function markSignedPayload(hash: string, metadataHash: string): Uint8Array {
  return new TextEncoder().encode(`${hash}${metadataHash}\n`);
}

/**
 * Adds the keys that must be hashed before METADATA_HASH is computed: the
 * public key, and the algorithm when the mark itself is signed (`byHash`).
 */
export function prepareSignedMark(mark: MarkDict, key: VerifyKey, byHash: boolean): void {
  mark.set("INJECTOR_PUBLIC_KEY", key.pem);
  if (byHash) mark.set("SIGNATURE_ALGORITHM", SIGNATURE_ALGORITHM);
}

/** Signs a mark whose METADATA_HASH is `metadataHash`; sets SIGNING and SIGNATURE. */
export function signMark(mark: MarkDict, key: SigningKey, metadataHash: string): void {
  const hash = mark.get("HASH");
  if (typeof hash !== "string") throw new Error("the mark has no HASH to sign");
  mark.set("SIGNING", true);
  mark.set("SIGNATURE", signBytes(key, markSignedPayload(hash, metadataHash)));
}

/**
 * Checks the signature of an extracted mark. `hash` is the artifact's
 * recomputed unchalked hash; `trusted` the fingerprints of known signers.
 */
export function checkMarkSignature(
  mark: MarkDict,
  hash: string,
  trusted: ReadonlySet<string>,
): SignatureCheck {
  const signature = mark.get("SIGNATURE");
  if (signature === undefined) {
    if (mark.get("SIGNING") === true || mark.has("SIGNATURE_ALGORITHM")) {
      return { status: "invalid", reason: "the mark says it is signed but has no SIGNATURE" };
    }
    return { status: "unsigned" };
  }
  if (typeof signature !== "string") return { status: "invalid", reason: "SIGNATURE is not text" };
  const algorithm = mark.get("SIGNATURE_ALGORITHM") ?? SIGNATURE_ALGORITHM;
  if (algorithm !== SIGNATURE_ALGORITHM) {
    return { status: "invalid", reason: `unknown SIGNATURE_ALGORITHM '${String(algorithm)}'` };
  }
  const pem = mark.get("INJECTOR_PUBLIC_KEY");
  if (typeof pem !== "string") {
    return { status: "invalid", reason: "signed, but the mark has no INJECTOR_PUBLIC_KEY" };
  }
  let key;
  try {
    key = publicKeyFromPem(pem, "INJECTOR_PUBLIC_KEY");
  } catch (e) {
    return { status: "invalid", reason: errorMessage(e) };
  }
  const { hash: metadataHash } = metadataHashOf(mark);
  if (!verifyBytes(key, markSignedPayload(hash, metadataHash), signature)) {
    return {
      status: "invalid",
      reason: "signature does not match the mark and the artifact",
      fingerprint: key.fingerprint,
    };
  }
  if (!trusted.has(key.fingerprint)) {
    return {
      status: "unknown signer",
      reason: `signed by ${key.fingerprint}, which is not a trusted signer`,
      fingerprint: key.fingerprint,
    };
  }
  return { status: "valid", fingerprint: key.fingerprint };
}
