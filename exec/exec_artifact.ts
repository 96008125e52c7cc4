/**
 * The artifact an exec report is about: the program's own mark, or the
 * image's `/chalk.json` inside a wrapped container.
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { parseMarkJson } from "../codecs/mark_json.ts";
import { isMarkDict } from "../codecs/mark_value.ts";
import { currentHash, markedHashes } from "../ops/artifact_hashes.ts";
import type { RunContext } from "../ops/run_context.ts";
import { scanArtifact } from "../ops/scan.ts";
import { markProblem } from "../ops/validate_mark.ts";
import { CONTAINER_MARK_PATH } from "../internal/container_contract.ts";

/** The docker container ID a mount table names (`.../docker/containers/<id>/...`), if any. */
export function containerIdFromMountInfo(text: string): string | undefined {
  return /\/docker\/containers\/([0-9a-f]{12,64})/.exec(text)?.[1];
}

function containerId(mountInfoPath: string): string | undefined {
  try {
    return containerIdFromMountInfo(Deno.readTextFileSync(mountInfoPath));
  } catch {
    return undefined;
  }
}

/** The exec artifact before its process keys: the mark data, path and type. */
export interface ExecArtifact {
  data: MarkDict;
  marked: boolean;
}

/** Collects the program's mark: `/chalk.json` in a wrapped container, else the file's own. */
export function collectExecArtifact(
  program: string,
  log: RunContext["log"],
  paths: { containerMark: string; mountInfo: string } = {
    containerMark: CONTAINER_MARK_PATH,
    mountInfo: "/proc/self/mountinfo",
  },
): ExecArtifact {
  const data: MarkDict = new Map();
  let marked = false;
  let containerMark: Uint8Array | undefined;
  try {
    containerMark = Deno.readFileSync(paths.containerMark);
  } catch {
    containerMark = undefined;
  }
  if (containerMark) {
    log.info(`Found chalk mark in ${paths.containerMark}`);
    try {
      const { value } = parseMarkJson(containerMark, 0);
      if (isMarkDict(value)) {
        for (const [k, v] of value) if (k !== "MAGIC") data.set(k, v);
        marked = true;
      }
    } catch (e) {
      log.error(`${paths.containerMark}: ${(e as Error).message}`);
    }
    const id = containerId(paths.mountInfo);
    data.set("_OP_ARTIFACT_PATH", program);
    data.set("_OP_ARTIFACT_TYPE", id ? "Docker Container" : "Docker Image");
    if (id) data.set("_INSTANCE_CONTAINER_ID", id);
    return { data, marked };
  }
  try {
    const scanned = scanArtifact(program, false);
    try {
      const hashes = scanned?.found && markedHashes(scanned);
      if (scanned?.found && hashes) {
        for (const [k, v] of scanned.found.mark) if (k !== "MAGIC") data.set(k, v);
        const problem = markProblem(scanned.found.mark, hashes.hash);
        data.set("_VALIDATED_METADATA", problem === undefined);
        if (problem) log.error(`${program}: ${problem}`);
        marked = true;
      }
      data.set("_OP_ARTIFACT_PATH", program);
      if (scanned) data.set("_OP_ARTIFACT_TYPE", scanned.type);
      if (scanned) data.set("_CURRENT_HASH", hashes?.current ?? currentHash(scanned.file));
    } finally {
      scanned?.file.close();
    }
  } catch (e) {
    log.error(`${program}: ${(e as Error).message}`);
    data.set("_OP_ARTIFACT_PATH", program);
  }
  return { data, marked };
}
