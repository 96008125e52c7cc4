/**
 * After a build: did what chalk added reach the image? A Dockerfile rewritten
 * wrongly (an instruction swallowing chalk's lines, say) still builds, and an
 * image whose `/chalk.json` or labels are missing must not be reported as
 * chalked. Pure.
 *
 * @module
 */

/** What chalk added to the Dockerfile and expects in the image. */
export interface ExpectedAdditions {
  /** Names of the labels chalk's `LABEL` line sets. */
  labels: readonly string[];
  /** Whether chalk's block ends with the `COPY` of the mark to `/chalk.json`. */
  markCopy: boolean;
}

/** What the built image shows. */
export interface BuiltImage {
  /** `Config.Labels` of the image. */
  labels: Readonly<Record<string, unknown>>;
  /** `CreatedBy` of the image's newest history entry (its last instruction); undefined: unknown. */
  newestStep: string | undefined;
}

/**
 * The step text of chalk's mark `COPY` as each builder records it: the legacy
 * builder `/bin/sh -c #(nop) COPY file:<digest> in /chalk.json `, BuildKit
 * `COPY [--chmod=0444] <file> /chalk.json # buildkit`. A `RUN` that swallowed
 * the line starts otherwise.
 */
const MARK_COPY_STEP =
  /^(?:\/bin\/sh -c #\(nop\) )?COPY .* (?:in )?\/chalk\.json(?: # buildkit)?\s*$/s;

/** True when `createdBy` is the step of chalk's `COPY` of the mark. */
export function isMarkCopyStep(createdBy: string): boolean {
  return MARK_COPY_STEP.test(createdBy);
}

/**
 * Why chalk's additions are not in the image, or undefined when they are: each
 * added label is set, and the image's last step is the mark's `COPY` (chalk's
 * block is the last thing of the target stage).
 */
export function missingAdditions(
  expected: ExpectedAdditions,
  image: BuiltImage,
): string | undefined {
  const missing = expected.labels.filter((name) => !(name in image.labels));
  if (missing.length > 0) return `label ${missing[0]} is not set`;
  const step = image.newestStep;
  if (expected.markCopy && step !== undefined && !isMarkCopyStep(step)) {
    return `its last step is not the COPY of /chalk.json (${JSON.stringify(step.slice(0, 80))})`;
  }
  return undefined;
}
