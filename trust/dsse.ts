/**
 * DSSE envelopes (Dead Simple Signing Envelope v1): the signature covers the
 * pre-authentication encoding `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP
 * body`, lengths in ASCII decimal bytes; signatures are base64 DER ECDSA
 * (`trust/ecdsa.ts`), `keyid` is the signer's fingerprint.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { signBytes, verifyBytes } from "./ecdsa.ts";
import type { SigningKey, VerifyKey } from "./signing_key.ts";

/** The payload type of in-toto statements. */
export const IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json";

/** A DSSE envelope as JSON. */
export interface DsseEnvelope {
  payloadType: string;
  /** base64 of the payload bytes. */
  payload: string;
  signatures: { keyid: string; sig: string }[];
}

/** The pre-authentication encoding of `body` under `type`. */
export function pae(type: string, body: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const typeBytes = enc.encode(type);
  const head = enc.encode(`DSSEv1 ${typeBytes.length} ${type} ${body.length} `);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** Signs `body` into an envelope. */
export function signEnvelope(key: SigningKey, payloadType: string, body: Uint8Array): DsseEnvelope {
  return {
    payloadType,
    payload: Buffer.from(body).toString("base64"),
    signatures: [{ keyid: key.fingerprint, sig: signBytes(key, pae(payloadType, body)) }],
  };
}

/** An envelope read back: its payload bytes, and the key among `keys` that signed it, if any. */
export interface OpenedEnvelope {
  payloadType: string;
  body: Uint8Array;
  signer?: VerifyKey;
}

/** Parses `value` as an envelope; undefined (with `why`) when it is not one. */
export function readEnvelope(value: unknown): DsseEnvelope | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const e = value as Partial<DsseEnvelope>;
  if (typeof e.payloadType !== "string" || typeof e.payload !== "string") return undefined;
  if (!Array.isArray(e.signatures)) return undefined;
  const signatures = e.signatures.filter((s) =>
    typeof s === "object" && s !== null && typeof s.sig === "string"
  ).map((s) => ({ keyid: typeof s.keyid === "string" ? s.keyid : "", sig: s.sig }));
  return { payloadType: e.payloadType, payload: e.payload, signatures };
}

/** Opens an envelope, checking its signatures against `keys`. */
export function openEnvelope(envelope: DsseEnvelope, keys: readonly VerifyKey[]): OpenedEnvelope {
  const body = new Uint8Array(Buffer.from(envelope.payload, "base64"));
  const signed = pae(envelope.payloadType, body);
  const signer = keys.find((k) => envelope.signatures.some((s) => verifyBytes(k, signed, s.sig)));
  return { payloadType: envelope.payloadType, body, ...(signer ? { signer } : {}) };
}
