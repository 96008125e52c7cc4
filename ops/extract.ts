/**
 * `extract`: report the marks found, validate each, list unmarked
 * artifacts. Reporting looks everywhere, dot-folders included, as the
 * tutorial says. Docker items among the arguments go to an image
 * extractor that the command plugs in (docker sits above this layer).
 *
 * @module
 */
import { resolve } from "../internal/posix_path.ts";
import { expandHome } from "../sinks/expand_home.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { EXIT } from "../internal/errors.ts";
import { markedHashesInParallel } from "./artifact_hashes.ts";
import { type ArtifactOutcome, forEachArtifact } from "./artifact_loop.ts";
import { type ExtractTargets, splitExtractTargets } from "./extract_targets.ts";
import { publishReports } from "./reporting.ts";
import { WorktreeOf } from "./run_time_git.ts";
import type { RunContext } from "./run_context.ts";
import type { ScannedArtifact } from "./scan.ts";
import { markProblem } from "./validate_mark.ts";
import { UserKeys } from "./user_keys.ts";
import { recordSignature } from "./signature_report.ts";
import { trustedSigners, warnIfNotSetUp } from "./signing_identity.ts";
import { checkMarkSignature } from "../trust/mark_signature.ts";

/** Marks found outside the file system (images, containers). */
export interface ExtractBatch {
  artifacts: MarkDict[];
  chalked: number;
  unmarked: string[];
}

/** Extracts from the docker items of the arguments. */
export type ImageExtractor = (targets: ExtractTargets) => Promise<ExtractBatch>;

/**
 * An unmarked file named on the command line gets its warning; those a walk
 * finds (all of `.git/`, all of `/usr/bin`) are only counted, one line at
 * the end, and named one by one at `--log-level=trace`.
 */
async function extractOne(
  ctx: RunContext,
  scanned: ScannedArtifact,
  named: ReadonlySet<string>,
  trusted: ReadonlySet<string>,
  userKeys: UserKeys | undefined,
  worktrees: WorktreeOf,
): Promise<ArtifactOutcome> {
  const { path, found } = scanned;
  if (!found) {
    if (named.has(path)) ctx.log.warn(`${path}: Artifact is unchalked`);
    else ctx.log.trace(`${path}: Artifact is unchalked`);
    return { kind: "unmarked" };
  }
  ctx.log.info(`${path}: Chalk mark extracted`);
  const data: MarkDict = new Map(found.mark);
  data.delete("MAGIC");
  data.set("_OP_ARTIFACT_PATH", path);
  data.set("_OP_ARTIFACT_TYPE", scanned.type);
  const withinVctl = worktrees.pathWithin(path);
  if (withinVctl !== undefined) data.set("_OP_ARTIFACT_PATH_WITHIN_VCTL", withinVctl);
  const hashes = await markedHashesInParallel(scanned);
  data.set("_CURRENT_HASH", hashes.current);
  const problem = markProblem(found.mark, hashes.hash);
  data.set("_VALIDATED_METADATA", problem === undefined);
  if (problem) ctx.log.error(`${path}: ${problem}`);
  recordSignature(ctx.log, path, data, checkMarkSignature(found.mark, hashes.hash, trusted));
  await userKeys?.addArtifactKeys(data, "run", path);
  return { kind: "report", data };
}

/** Runs `extract` over `targets`; returns the exit status. */
export async function extractMarks(
  ctx: RunContext,
  targets: readonly string[],
  images?: ImageExtractor,
): Promise<number> {
  warnIfNotSetUp(ctx);
  const trusted = trustedSigners(ctx);
  const split = splitExtractTargets(targets);
  const named = new Set(split.files.map((f) => resolve(expandHome(f))));
  const userKeys = UserKeys.for(ctx, "extract");
  const worktrees = new WorktreeOf();
  // Only docker names given: no file walk (an empty walk would mean the current folder).
  const { artifacts, tally } = split.walkFiles
    ? await forEachArtifact(ctx, split.files, {
      modifies: false,
      chalking: false,
      failure: "extraction",
      apply: (scanned) => extractOne(ctx, scanned, named, trusted, userKeys, worktrees),
    })
    : { artifacts: [], tally: { chalked: 0, unmarked: [] } };
  const walkedUnmarked = tally.unmarked.filter((p) => !named.has(p)).length;
  if (walkedUnmarked > 0) {
    ctx.log.info(
      `${walkedUnmarked} unchalked artifact${walkedUnmarked === 1 ? "" : "s"} found ` +
        "(listed in the report's _UNMARKED; --log-level=trace names each here)",
    );
  }
  if (images) {
    const more = await images(split);
    for (const data of more.artifacts) {
      const name = data.get("_OP_ARTIFACT_PATH");
      await userKeys?.addArtifactKeys(data, "run", typeof name === "string" ? name : "");
    }
    artifacts.push(...more.artifacts);
    tally.chalked += more.chalked;
    tally.unmarked.push(...more.unmarked);
  }
  if (tally.chalked === 0) ctx.log.warn("No chalk marks extracted");
  await publishReports(ctx, "extract", new Map(), artifacts, tally);
  return ctx.failed ? EXIT.failed : EXIT.ok;
}
