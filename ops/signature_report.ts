/**
 * How a signature check shows in a report and on the terminal, for files and
 * images alike (docs/trust.md, "Verification on extract"): `_SIGNATURE_STATUS`,
 * the original's `_VALIDATED_SIGNATURE` / `_INVALID_SIGNATURE`, the signer's
 * fingerprint, and one warning line for anything but a valid or unsigned mark.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import type { Logger } from "../internal/logger.ts";
import type { SignatureCheck } from "../trust/mark_signature.ts";

/** Records `check` of the artifact `name` into its report `data` and logs the outcome. */
export function recordSignature(
  log: Logger,
  name: string,
  data: MarkDict,
  check: SignatureCheck,
): void {
  data.set("_SIGNATURE_STATUS", check.status);
  // An invalid signature's key is only what the mark claims; an untrusted one did sign.
  if (check.fingerprint && check.status !== "invalid") {
    data.set("_SIGNER_FINGERPRINT", check.fingerprint);
  }
  if (check.status === "unsigned") return;
  data.set("_VALIDATED_SIGNATURE", check.status === "valid");
  if (check.status === "invalid") data.set("_INVALID_SIGNATURE", true);
  if (check.status === "valid") log.info(`${name}: Signature successfully validated.`);
  else log.warn(`${name}: ${check.status} signature: ${check.reason}`);
}
