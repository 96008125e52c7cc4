/**
 * `chalk verify`'s policy (docs/trust.md, "chalk verify"): what a verified
 * mark must satisfy beyond a valid signature. Pure: the checks take the
 * mark, the outcomes of the signature and attestation checks, and the time.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import type { SignatureCheck } from "./mark_signature.ts";

/** The policy, as the configuration's `verify_policy` section gives it. */
export interface Policy {
  requireSignature: boolean;
  requireAttestation: boolean;
  requiredBranch?: string;
  requiredOrigin?: string;
  /** Maximum age in milliseconds. */
  maxAgeMs?: number;
}

/** What was found about the artifact or image being verified. */
export interface VerifiedSubject {
  mark: MarkDict;
  /** Why the mark's own content does not validate (METADATA_ID, CHALK_ID), if it does not. */
  markProblem?: string;
  /** The mark's signature (files). */
  signature?: SignatureCheck;
  /** The registry attestation (images). */
  attestation?: SignatureCheck;
}

function describe(what: string, check: SignatureCheck): string {
  const status = check.status === "unsigned" ? `${what} missing` : `${what} ${check.status}`;
  return check.reason ? `${status}: ${check.reason}` : status;
}

/** Each unit serves up to twice the next one, so that no age reads as "0 minutes" or "1 day". */
const UNITS = [
  { ms: 1_000, name: "second", below: 120_000 },
  { ms: 60_000, name: "minute", below: 7_200_000 },
  { ms: 3_600_000, name: "hour", below: 172_800_000 },
  { ms: 86_400_000, name: "day", below: Infinity },
] as const;

function inOwnUnit(ms: number, decimals: number): string {
  const unit = UNITS.find((u) => ms < u.below) ?? UNITS[UNITS.length - 1];
  const amount = (ms / unit.ms).toFixed(decimals);
  return `${amount} ${unit.name}${amount === "1" ? "" : "s"}`;
}

/**
 * A mark's age and the policy's limit, each in its own unit, with as many decimals as it takes for
 * the two to read differently (2.4 days against 2.0 days, not 2 days against 2 days).
 */
function ageAndLimit(ageMs: number, limitMs: number): [string, string] {
  for (let decimals = 0;; decimals++) {
    const age = inOwnUnit(ageMs, decimals);
    const limit = inOwnUnit(limitMs, decimals);
    if (age !== limit || decimals === 3) return [age, limit];
  }
}

/** Every way `subject` fails `policy` at `now` (empty: it passes). */
export function policyViolations(subject: VerifiedSubject, policy: Policy, now: Date): string[] {
  const out: string[] = [];
  const { mark } = subject;
  if (subject.markProblem) out.push(`mark invalid: ${subject.markProblem}`);
  // A signature that does not verify is evidence of tampering: it fails whatever is required.
  const fails = (check: { status: string } | undefined, required: boolean) =>
    check !== undefined && (check.status === "invalid" || (required && check.status !== "valid"));
  if (fails(subject.signature, policy.requireSignature)) {
    out.push(describe("signature", subject.signature!));
  }
  if (fails(subject.attestation, policy.requireAttestation)) {
    out.push(describe("attestation", subject.attestation!));
  }
  const text = (key: string) => {
    const v = mark.get(key);
    return typeof v === "string" ? v : undefined;
  };
  if (policy.requiredBranch !== undefined && text("BRANCH") !== policy.requiredBranch) {
    out.push(
      `branch is ${text("BRANCH") === undefined ? "not recorded" : `'${text("BRANCH")}'`}; ` +
        `the policy requires '${policy.requiredBranch}'`,
    );
  }
  if (policy.requiredOrigin !== undefined && text("ORIGIN_URI") !== policy.requiredOrigin) {
    out.push(
      `origin is ${
        text("ORIGIN_URI") === undefined ? "not recorded" : `'${text("ORIGIN_URI")}'`
      }; ` +
        `the policy requires '${policy.requiredOrigin}'`,
    );
  }
  if (policy.maxAgeMs !== undefined) {
    const stamp = mark.get("TIMESTAMP_WHEN_CHALKED");
    if (typeof stamp !== "bigint" && typeof stamp !== "number") {
      out.push("the mark has no TIMESTAMP_WHEN_CHALKED; the policy limits its age");
    } else {
      const age = now.getTime() - Number(stamp);
      if (age > policy.maxAgeMs) {
        const [old, allowed] = ageAndLimit(age, policy.maxAgeMs);
        out.push(`mark is ${old} old; the policy allows ${allowed}`);
      }
    }
  }
  return out;
}
