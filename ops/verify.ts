/**
 * `chalk verify ARTIFACT|IMAGE` (docs/trust.md, "chalk verify"): exit 0 when
 * the mark validates, is signed by an allowed signer (an image: attested in
 * its registry) and meets the `verify_policy` of the configuration or of
 * `--policy FILE`; exit 1 with one line per reason otherwise. Images are
 * handled by a verifier the command plugs in (docker sits above this layer).
 *
 * @module
 */
import type { VerifyPolicy } from "../config/chalk_config.ts";
import { ConfigLoadError, loadChalkConfig } from "../config/load_config.ts";
import { ChalkError, EXIT, UsageError } from "../internal/errors.ts";
import { checkMarkSignature } from "../trust/mark_signature.ts";
import { policyViolations, type VerifiedSubject } from "../trust/policy.ts";
import type { RunContext } from "./run_context.ts";
import { pathExists } from "./file_io.ts";
import { scanArtifact } from "./scan.ts";
import { loadStreamingInflater } from "../codecs/inflate.ts";
import { embeddedConfig, selfMark } from "./self_mark.ts";
import { signerFingerprints, trustedSigners } from "./signing_identity.ts";
import { markProblem } from "./validate_mark.ts";
import { unchalkedHash } from "./artifact_hashes.ts";

/** Options of `verify`. */
export interface VerifyOptions {
  /** A con4m file whose `verify_policy` section replaces the configured one. */
  policy?: string;
}

/** Verifies an image or container by name; undefined when docker knows no such item. */
export type ImageVerifier = (
  name: string,
  trusted: ReadonlySet<string>,
) => Promise<VerifiedSubject | undefined>;

/** The policy of `--policy FILE` (layered over this program's configuration), or the run's. */
async function policyOf(ctx: RunContext, file: string | undefined): Promise<VerifyPolicy> {
  if (file === undefined) return ctx.config.verifyPolicy;
  try {
    const config = await loadChalkConfig({
      command: "verify",
      embeddedConfig: embeddedConfig(selfMark(ctx.self)),
      configFile: file,
    });
    return config.verifyPolicy;
  } catch (e) {
    if (e instanceof ConfigLoadError) throw new UsageError(e.lines.join("\n"));
    throw e;
  }
}

/** The file `path` as a verified subject. */
async function verifyFile(path: string, trusted: ReadonlySet<string>): Promise<VerifiedSubject> {
  const scanned = scanArtifact(path, false);
  if (!scanned) throw new ChalkError(`${path}: not an artifact chalk can read`);
  let hash: string;
  try {
    if (!scanned.found) throw new ChalkError(`${path}: Artifact is unchalked`);
    if (scanned.codec.name === "zip") await loadStreamingInflater();
    hash = unchalkedHash(scanned);
  } finally {
    scanned.file.close();
  }
  const mark = scanned.found.mark;
  const problem = markProblem(mark, hash);
  return {
    mark,
    ...(problem === undefined ? {} : { markProblem: problem }),
    signature: checkMarkSignature(mark, hash, trusted),
  };
}

/** Runs `verify` on `target`; returns the exit status. */
export async function verifyTarget(
  ctx: RunContext,
  target: string,
  options: VerifyOptions = {},
  images?: ImageVerifier,
): Promise<number> {
  const policy = await policyOf(ctx, options.policy);
  const trusted = policy.allowedSigners.length > 0
    ? signerFingerprints(policy.allowedSigners)
    : trustedSigners(ctx);
  const subject = pathExists(target)
    ? await verifyFile(target, trusted)
    : await images?.(target, trusted);
  if (!subject) throw new ChalkError(`${target}: No file, image or container found with this name`);
  const reasons = policyViolations(subject, policy, new Date());
  if (reasons.length > 0) {
    for (const reason of reasons) ctx.log.error(`${target}: ${reason}`);
    return EXIT.failed;
  }
  // Only a check that verified names its signer: a mark can claim any public key.
  const check = subject.attestation ?? subject.signature;
  const signer = check?.status === "valid" ? check.fingerprint : undefined;
  ctx.log.info(`${target}: verified${signer ? ` (signed by ${signer})` : ""}`);
  return EXIT.ok;
}
