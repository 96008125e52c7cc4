/**
 * `chalk delete [PATH...]` (commands-runtime §2.3): remove marks. Unmarked
 * files are left untouched (v0.1 behaviour: deleting must not rewrite
 * files that carry nothing to delete).
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { replaceFile, sha256Hex, writeTarget } from "./file_io.ts";
import { type OperationTally, publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { scanArtifact, type ScannedArtifact } from "./scan.ts";
import { compileIgnore, walkArtifacts } from "./walk.ts";

/** Runs `delete`. */
export async function runDelete(ctx: RunContext, targets: readonly string[]): Promise<void> {
  const artifacts: MarkDict[] = [];
  const tally: OperationTally = { chalked: 0, unmarked: [] };
  const walk = walkArtifacts(targets, {
    recursive: ctx.options.recursive,
    ignore: compileIgnore(ctx.ignorePatterns),
    fileLinks: ctx.options.symlinkChalking === "skip" ? "skip" : "follow",
    selfPath: ctx.self.path,
  }, {
    error: (m) => {
      ctx.log.error(m);
      ctx.failed = true;
    },
    warn: (m) => ctx.log.warn(m),
    self: () =>
      ctx.log.error(
        "Cannot use this command to modify this chalk executable. Please use 'chalk load' to modify.",
      ),
  });
  for await (const path of walk) {
    let scanned: ScannedArtifact | undefined;
    try {
      scanned = scanArtifact(path, false);
    } catch (e) {
      ctx.log.error((e as Error).message);
      ctx.failed = true;
      continue;
    }
    if (!scanned) continue;
    if (!scanned.found) {
      ctx.log.info(`${path}: no chalk mark to delete.`);
      tally.unmarked.push(path);
      continue;
    }
    if (scanned.found.mark.has("$CHALK_IMPLEMENTATION_NAME")) {
      ctx.log.warn(`${path}: Is a chalk exe and cannot be unmarked.`);
      continue;
    }
    const data: MarkDict = new Map(scanned.found.mark);
    data.delete("MAGIC");
    data.set("_OP_ARTIFACT_PATH", path);
    data.set("_OP_ARTIFACT_TYPE", scanned.type);
    try {
      const chunks = scanned.codec.remove(scanned.file.bytes, scanned.facts) ??
        [scanned.file.bytes];
      replaceFile(writeTarget(path, ctx.options.symlinkChalking), chunks, scanned.file);
      data.set("_CURRENT_HASH", sha256Hex(chunks));
      ctx.log.info(`${path}: chalk mark successfully deleted`);
      tally.chalked++;
      artifacts.push(data);
    } catch (e) {
      ctx.log.error(`${path}: deletion failed: ${(e as Error).message}`);
      ctx.failed = true;
    }
  }
  await publishReports(ctx, "delete", new Map(), artifacts, tally);
}
