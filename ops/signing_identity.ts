/**
 * The signing identity a chalk program carries (docs/trust.md): the public
 * key and the encrypted private key `chalk setup` stored in its own mark
 * (`$CHALK_PUBLIC_KEY`, `$CHALK_ENCRYPTED_PRIVATE_KEY`), unlocked with
 * `CHALK_PASSWORD`; and the signers a run trusts when it verifies.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { osErrorReason, UsageError } from "../internal/errors.ts";
import { takeSigningPassword } from "../internal/signing_password.ts";
import {
  KeyError,
  loadSigningKey,
  publicKeyFromPem,
  type SigningKey,
  type VerifyKey,
} from "../trust/signing_key.ts";
import type { RunContext } from "./run_context.ts";
import { selfMark } from "./self_mark.ts";

/** The tutorial's line for a chalk that has no signing key. */
export const SETUP_WARNING = "Code signing not initialized. Run `chalk setup` to fix.";

export { PASSWORD_VARIABLE } from "../internal/signing_password.ts";

/** Names the keys stored in chalk's own mark in messages. */
const SELF_KEY_SOURCES = {
  key: "$CHALK_ENCRYPTED_PRIVATE_KEY (stored by chalk setup)",
  pub: "$CHALK_PUBLIC_KEY (stored by chalk setup)",
};

const selfMarks = new WeakMap<RunContext, MarkDict | undefined>();

function ownMark(ctx: RunContext): MarkDict | undefined {
  if (!selfMarks.has(ctx)) selfMarks.set(ctx, selfMark(ctx.self));
  return selfMarks.get(ctx);
}

/** `CHALK_PASSWORD`, taken from the environment as chalk started (cli/main.ts). */
export function signingPassword(): string | undefined {
  return takeSigningPassword();
}

/** The public key chalk setup stored in this program, if any. */
export function ownPublicKey(ctx: RunContext): VerifyKey | undefined {
  const pem = ownMark(ctx)?.get("$CHALK_PUBLIC_KEY");
  if (typeof pem !== "string") return undefined;
  try {
    return publicKeyFromPem(pem, SELF_KEY_SOURCES.pub);
  } catch (e) {
    ctx.log.warn((e as KeyError).message);
    return undefined;
  }
}

/**
 * The public key this run's marks name as their signer's (INJECTOR_PUBLIC_KEY): chalk's own
 * when it is set up and signing is on. An image mark needs only this, never the private key
 * (images are signed by their attestation), so a build without the password still names it.
 */
export function markPublicKey(ctx: RunContext): VerifyKey | undefined {
  if (!ctx.config.attestation.sign) return undefined;
  return ownPublicKey(ctx);
}

/** Prints the tutorial's warning once, when chalk has no key and the configuration wants it. */
export function warnIfNotSetUp(ctx: RunContext): void {
  if (!ctx.config.attestation.setupWarning) return;
  if (typeof ownMark(ctx)?.get("$CHALK_PUBLIC_KEY") === "string") return;
  ctx.log.warn(SETUP_WARNING);
}

/**
 * The key that signs this run's marks: undefined when chalk is not set up (after
 * the tutorial's warning) or signing is off. A key that is there but does not
 * load (no or wrong password, corrupt) is a configuration error, exit 2: chalk
 * never signs with it nor quietly writes unsigned marks instead.
 */
export function openSigner(ctx: RunContext): SigningKey | undefined {
  warnIfNotSetUp(ctx);
  const mark = ownMark(ctx);
  const encrypted = mark?.get("$CHALK_ENCRYPTED_PRIVATE_KEY");
  const pub = mark?.get("$CHALK_PUBLIC_KEY");
  if (typeof encrypted !== "string" || typeof pub !== "string") return undefined;
  if (!ctx.config.attestation.sign) return undefined;
  try {
    return loadSigningKey(encrypted, pub, signingPassword(), SELF_KEY_SOURCES);
  } catch (e) {
    if (e instanceof KeyError) throw new UsageError(`cannot sign: ${e.message}`);
    throw e;
  }
}

/** Fingerprints of `entries`: `sha256:<hex>` as given, anything else a PEM public key file. */
export function signerFingerprints(entries: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const entry of entries) {
    if (/^sha256:[0-9a-f]{64}$/.test(entry)) {
      out.add(entry);
      continue;
    }
    let pem: string;
    try {
      pem = Deno.readTextFileSync(entry);
    } catch (e) {
      throw new UsageError(`${entry}: cannot read signer key: ${osErrorReason(e)}`);
    }
    try {
      out.add(publicKeyFromPem(pem, entry).fingerprint);
    } catch (e) {
      throw new UsageError((e as KeyError).message);
    }
  }
  return out;
}

/** The signers an extract trusts: this program's own key and `attestation.trusted_signers`. */
export function trustedSigners(ctx: RunContext): Set<string> {
  const trusted = signerFingerprints(ctx.config.attestation.trustedSigners);
  const own = ownPublicKey(ctx);
  if (own) trusted.add(own.fingerprint);
  return trusted;
}
