/**
 * `delete`: remove marks. Unmarked files are left untouched (v0.1
 * behaviour: deleting must not rewrite files that carry nothing to delete).
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { EXIT } from "../internal/errors.ts";
import { sha256Hex } from "../internal/sha256.ts";
import { type ArtifactOutcome, forEachArtifact } from "./artifact_loop.ts";
import { warnIfNotSetUp } from "./signing_identity.ts";
import { replaceFile, writeTarget } from "./file_io.ts";
import { publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import type { ScannedArtifact } from "./scan.ts";

function deleteOne(ctx: RunContext, scanned: ScannedArtifact): ArtifactOutcome {
  const { path, found } = scanned;
  if (!found) {
    ctx.log.info(`${path}: no chalk mark to delete.`);
    return { kind: "unmarked" };
  }
  if (found.mark.has("$CHALK_IMPLEMENTATION_NAME")) {
    ctx.log.warn(`${path}: Is a chalk exe and cannot be unmarked.`);
    return { kind: "skip" };
  }
  const data: MarkDict = new Map(found.mark);
  data.delete("MAGIC");
  data.set("_OP_ARTIFACT_PATH", path);
  data.set("_OP_ARTIFACT_TYPE", scanned.type);
  const chunks = scanned.codec.remove(scanned.file.bytes, scanned.facts) ?? [scanned.file.bytes];
  replaceFile(writeTarget(path, ctx.options.symlinkChalking), chunks, scanned.file);
  data.set("_CURRENT_HASH", sha256Hex(chunks));
  ctx.log.info(`${path}: chalk mark successfully deleted`);
  return { kind: "report", data };
}

/** Runs `delete` over `targets`; returns the exit status. */
export async function deleteMarks(ctx: RunContext, targets: readonly string[]): Promise<number> {
  warnIfNotSetUp(ctx);
  const { artifacts, tally } = await forEachArtifact(ctx, targets, {
    modifies: true,
    chalking: false,
    failure: "deletion",
    apply: (scanned) => Promise.resolve(deleteOne(ctx, scanned)),
  });
  await publishReports(ctx, "delete", new Map(), artifacts, tally);
  return ctx.failed ? EXIT.failed : EXIT.ok;
}
