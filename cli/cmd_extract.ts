/**
 * `chalk extract [PATH...]` (commands-runtime §2.2): report the marks found,
 * validate each, list unmarked artifacts. Reporting looks everywhere,
 * dot-folders included, as the tutorial says.
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { sha256Hex } from "./file_io.ts";
import { type OperationTally, publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { scanArtifact, type ScannedArtifact } from "./scan.ts";
import { markProblem } from "./validate_mark.ts";
import { walkArtifacts } from "./walk.ts";
import { extractFromDocker, splitExtractTargets } from "../docker/docker_extract.ts";
import { DockerClient } from "../docker/docker_client.ts";
import { findDocker } from "../docker/docker_exe.ts";

/** Runs `extract` over files. */
export async function runExtract(ctx: RunContext, targets: readonly string[]): Promise<void> {
  const artifacts: MarkDict[] = [];
  const tally: OperationTally = { chalked: 0, unmarked: [] };
  // Non-file arguments and `images|containers|all` are docker items (§2.2, §7.10).
  const split = splitExtractTargets(targets);
  const walk = walkArtifacts(split.files, {
    recursive: ctx.options.recursive,
    ignore: [],
    fileLinks: "follow",
    selfPath: "",
  }, {
    error: (m) => {
      ctx.log.error(m);
      ctx.failed = true;
    },
    warn: (m) => ctx.log.warn(m),
    self: () => {},
  });
  for await (const path of split.walkFiles ? walk : []) {
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
      ctx.log.warn(`${path}: Artifact is unchalked`);
      tally.unmarked.push(path);
      continue;
    }
    ctx.log.info(`${path}: Chalk mark extracted`);
    const data: MarkDict = new Map(scanned.found.mark);
    data.delete("MAGIC");
    data.set("_OP_ARTIFACT_PATH", path);
    data.set("_OP_ARTIFACT_TYPE", scanned.type);
    data.set("_CURRENT_HASH", sha256Hex([scanned.file.bytes]));
    const problem = markProblem(
      scanned.found.mark,
      sha256Hex(scanned.codec.unchalkedHashInput(scanned.file.bytes, scanned.facts)),
    );
    data.set("_VALIDATED_METADATA", problem === undefined);
    if (problem) ctx.log.error(`${path}: ${problem}`);
    tally.chalked++;
    artifacts.push(data);
  }
  const dockerExe = split.names.length > 0 || split.allImages || split.allContainers
    ? findDocker({ selfPath: ctx.self.path, dockerExe: ctx.config.docker.dockerExe })
    : undefined;
  const fromDocker = await extractFromDocker(
    dockerExe === undefined ? undefined : new DockerClient(dockerExe),
    split,
    {
      info: (m) => ctx.log.info(m),
      warn: (m) => ctx.log.warn(m),
      error: (m) => {
        ctx.log.error(m);
        ctx.failed = true;
      },
    },
  );
  artifacts.push(...fromDocker.artifacts);
  tally.chalked += fromDocker.chalked;
  tally.unmarked.push(...fromDocker.unmarked);
  if (tally.chalked === 0) ctx.log.warn("No chalk marks extracted");
  await publishReports(ctx, "extract", new Map(), artifacts, tally);
}
