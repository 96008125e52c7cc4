/**
 * chalk's signing identity: an ECDSA P-256 key pair, the public key as an
 * SPKI PEM (`chalk.pub`) and the private key as a password-encrypted PKCS#8
 * PEM (`chalk.key`, readable by `openssl pkey -passin`). Every way a key can
 * fail to load (missing or wrong password, corrupt PEM, another curve, a
 * public key that does not belong to the private one) is a {@linkcode KeyError}
 * naming its source, so nothing is ever signed with a half-loaded key.
 *
 * @module
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/** The only curve chalk signs with (ES256). */
const CURVE = "prime256v1";

/** A key that cannot be used; the message is one line naming its source. */
export class KeyError extends Error {
  constructor(readonly source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = "KeyError";
  }
}

/** A public key that verifies signatures. */
export interface VerifyKey {
  /** The SPKI PEM text. */
  readonly pem: string;
  readonly key: KeyObject;
  /** `sha256:` + hex SHA-256 of the key's SPKI DER bytes. */
  readonly fingerprint: string;
}

/** A loaded key pair that signs. */
export interface SigningKey extends VerifyKey {
  readonly privateKey: KeyObject;
}

/** A new key pair as PEM texts (the private key not yet encrypted). */
export interface PemPair {
  publicPem: string;
  privatePem: string;
}

/** Generates an ECDSA P-256 key pair. */
export async function generatePemPair(): Promise<PemPair> {
  // Only `chalk setup` generates keys: every other start skips loading jose (~2 ms).
  const { exportPKCS8, exportSPKI, generateKeyPair } = await import("jose");
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  return {
    publicPem: `${(await exportSPKI(publicKey)).trim()}\n`,
    privatePem: `${(await exportPKCS8(privateKey)).trim()}\n`,
  };
}

/** A random password for a generated key: base64url of 16 random bytes, as chalk does. */
export function generatePassword(): string {
  return randomBytes(16).toString("base64url");
}

/** `privatePem` (PKCS#8, plain) encrypted under `password` (PBES2, AES-256-CBC). */
export function encryptPrivateKey(privatePem: string, password: string): string {
  const key = createPrivateKey(privatePem);
  const pem = key.export({
    format: "pem",
    type: "pkcs8",
    cipher: "aes-256-cbc",
    passphrase: password,
  });
  return String(pem);
}

/** The public half of an EC private key (through its JWK: Deno cannot derive it directly). */
function publicHalf(key: KeyObject): KeyObject {
  if (key.type === "public") return key;
  const { kty, crv, x, y } = key.export({ format: "jwk" });
  return createPublicKey({ key: { kty, crv, x, y }, format: "jwk" });
}

/** The fingerprint of a public (or private) key: SHA-256 of its SPKI DER encoding. */
export function fingerprintOf(key: KeyObject): string {
  const spki = publicHalf(key).export({ type: "spki", format: "der" });
  return `sha256:${createHash("sha256").update(spki).digest("hex")}`;
}

function requireP256(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== "ec") {
    throw new KeyError(
      source,
      `not an ECDSA key (${key.asymmetricKeyType}); chalk signs with P-256`,
    );
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve !== CURVE) {
    throw new KeyError(source, `key is on curve ${curve}, chalk signs with P-256 (prime256v1)`);
  }
}

/** A public key from PEM text; `source` names it in errors. */
export function publicKeyFromPem(pem: string, source: string): VerifyKey {
  if (!pem.includes("-----BEGIN PUBLIC KEY-----")) {
    throw new KeyError(source, "not a PEM public key (expected -----BEGIN PUBLIC KEY-----)");
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new KeyError(source, "corrupt public key (the PEM does not decode)");
  }
  requireP256(key, source);
  return { pem: `${pem.trim()}\n`, key, fingerprint: fingerprintOf(key) };
}

/** The DER element at `at`: its tag, where its content starts and where it ends (or undefined). */
function derElement(
  der: Uint8Array,
  at: number,
): { tag: number; start: number; end: number } | undefined {
  if (at + 2 > der.length) return undefined;
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || start + bytes > der.length) return undefined;
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  const end = start + length;
  return end <= der.length ? { tag: der[at], start, end } : undefined;
}

/**
 * Whether the PEM holds a whole EncryptedPrivateKeyInfo: a SEQUENCE of the algorithm (a SEQUENCE)
 * and the encrypted data (an OCTET STRING), filling the decoded bytes exactly.
 */
function wellFormedEnvelope(pem: string): boolean {
  const body = /-----BEGIN ENCRYPTED PRIVATE KEY-----([^-]*)-----END ENCRYPTED PRIVATE KEY-----/
    .exec(pem)?.[1].replace(/\s+/g, "");
  let der: Uint8Array;
  try {
    der = Uint8Array.from(atob(body ?? ""), (c) => c.charCodeAt(0));
  } catch {
    return false;
  }
  const outer = derElement(der, 0);
  if (outer?.tag !== 0x30 || outer.end !== der.length) return false;
  const algorithm = derElement(der, outer.start);
  if (algorithm?.tag !== 0x30) return false;
  const data = derElement(der, algorithm.end);
  return data?.tag === 0x04 && data.end === outer.end && data.end > data.start;
}

/** Decrypts an encrypted PKCS#8 PEM; `source` names it in errors. */
export function unlockPrivateKey(
  encryptedPem: string,
  password: string | undefined,
  source: string,
): KeyObject {
  if (!encryptedPem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
    throw new KeyError(
      source,
      "not an encrypted PKCS#8 PEM key (expected -----BEGIN ENCRYPTED PRIVATE KEY-----)",
    );
  }
  if (password === undefined || password === "") {
    throw new KeyError(source, "no password to decrypt the signing key: set CHALK_PASSWORD");
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: encryptedPem, format: "pem", passphrase: password });
  } catch (e) {
    const text = String((e as Error).message);
    // OpenSSL reports a wrong password as a failed decryption, except when the garbage it
    // decrypts happens to end in valid padding (~1 in 270 wrong passwords here): then the
    // decoder fails, as it does on a broken file. A well-formed envelope tells them apart.
    if (
      /bad decrypt|wrong password|bad password/i.test(text) || wellFormedEnvelope(encryptedPem)
    ) {
      throw new KeyError(source, "wrong password for the signing key (CHALK_PASSWORD)");
    }
    throw new KeyError(source, "corrupt private key (the PEM does not decode)");
  }
  requireP256(key, source);
  return key;
}

/** The key pair of `chalk.key` + `chalk.pub` (or their copies in chalk's own mark). */
export function loadSigningKey(
  encryptedPem: string,
  publicPem: string,
  password: string | undefined,
  sources: { key: string; pub: string },
): SigningKey {
  const pub = publicKeyFromPem(publicPem, sources.pub);
  const privateKey = unlockPrivateKey(encryptedPem, password, sources.key);
  if (fingerprintOf(privateKey) !== pub.fingerprint) {
    throw new KeyError(sources.pub, `is not the public key of ${sources.key}`);
  }
  return { ...pub, privateKey };
}
