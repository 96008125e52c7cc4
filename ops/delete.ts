/**
 * `delete`: remove marks. Unmarked files are left untouched (v0.1
 * behaviour: deleting must not rewrite files that carry nothing to delete).
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { EXIT } from "../internal/errors.ts";
import { type ArtifactOutcome, forEachArtifact } from "./artifact_loop.ts";
import { warnIfNotSetUp } from "./signing_identity.ts";
import { currentHash } from "./artifact_hashes.ts";
import { replaceWithPlan, writeTarget } from "./file_io.ts";
import { withWriteBehind, type WriteBehind } from "./write_behind.ts";
import type { HeldLog } from "../internal/logger.ts";
import { HashPass } from "./hash_pass.ts";
import { assertRewritable } from "./rewrite_rights.ts";
import { publishReports } from "./reporting.ts";
import { WorktreeOf } from "./run_time_git.ts";
import { UserKeys } from "./user_keys.ts";
import type { RunContext } from "./run_context.ts";
import type { ScannedArtifact } from "./scan.ts";

/**
 * Rewrites the artifact without its mark (unless that changes nothing): `_CURRENT_HASH`, and
 * the write when `writer` does it later (ops/write_behind.ts).
 */
async function removeMark(
  ctx: RunContext,
  scanned: ScannedArtifact,
  writer?: WriteBehind,
): Promise<{ current: string; written?: Promise<void> }> {
  const { view } = scanned.file;
  const plan = scanned.codec.removePlan(view, scanned.facts);
  if (plan === undefined) return { current: currentHash(scanned.file) };
  assertRewritable(scanned.path, scanned.file);
  let current = "";
  const target = writeTarget(scanned.path, ctx.options.symlinkChalking);
  const { written } = await replaceWithPlan(target, scanned.file, async () => {
    // The content's hash shares its prefix with HASH, whose digest it may hold.
    const pass = await new HashPass(view)
      .add("hash", scanned.codec.hashPlan(view, scanned.facts))
      .add("current", plan)
      .runParallel();
    const values = { hash: pass.digest("hash") };
    current = (await pass.fill(values).runParallel()).hex("current");
    return { plan, values };
  }, writer);
  return { current, written };
}

async function deleteOne(
  ctx: RunContext,
  scanned: ScannedArtifact,
  userKeys: UserKeys | undefined,
  worktrees: WorktreeOf,
  writer?: WriteBehind,
): Promise<ArtifactOutcome> {
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
  const withinVctl = worktrees.pathWithin(path);
  if (withinVctl !== undefined) data.set("_OP_ARTIFACT_PATH_WITHIN_VCTL", withinVctl);
  const { current, written } = await removeMark(ctx, scanned, writer);
  data.set("_CURRENT_HASH", current);
  await userKeys?.addArtifactKeys(data, "run", path);
  const finish = (log: Pick<HeldLog, "info">) => {
    log.info(`${path}: chalk mark successfully deleted`);
    return { kind: "report" as const, data };
  };
  return written ? { kind: "pending", written, finish } : finish(ctx.log);
}

/** Runs `delete` over `targets`; returns the exit status. */
export async function deleteMarks(ctx: RunContext, targets: readonly string[]): Promise<number> {
  warnIfNotSetUp(ctx);
  const userKeys = UserKeys.for(ctx, "delete");
  const worktrees = new WorktreeOf();
  const { artifacts, tally } = await withWriteBehind(
    ctx.options.symlinkChalking,
    (writer) =>
      forEachArtifact(ctx, targets, {
        modifies: true,
        chalking: false,
        failure: "deletion",
        writer,
        apply: (scanned) => deleteOne(ctx, scanned, userKeys, worktrees, writer),
      }),
  );
  await publishReports(ctx, "delete", new Map(), artifacts, tally);
  return ctx.failed ? EXIT.failed : EXIT.ok;
}
