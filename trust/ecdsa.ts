/**
 * ECDSA P-256 / SHA-256 signatures as chalk stores them: base64 of the ASN.1
 * DER encoding, the form `openssl dgst -sha256 -verify` and cosign read (not
 * WebCrypto's raw r||s), for marks and DSSE envelopes alike.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { sign, verify } from "node:crypto";
import type { SigningKey, VerifyKey } from "./signing_key.ts";

/** Base64 DER signature of `data`. */
export function signBytes(key: SigningKey, data: Uint8Array): string {
  return sign("sha256", data, { key: key.privateKey, dsaEncoding: "der" }).toString("base64");
}

/** Whether `signature` (base64 DER) is `key`'s signature of `data`; malformed input is false. */
export function verifyBytes(key: VerifyKey, data: Uint8Array, signature: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return verify(
      "sha256",
      data,
      { key: key.key, dsaEncoding: "der" },
      Buffer.from(signature, "base64"),
    );
  } catch {
    return false;
  }
}
