/**
 * Reading chalk marks from local images and containers without running
 * anything: an image is read only when its history has chalk's
 * `COPY ... /chalk.json` step, through `docker create` (never started) +
 * `docker cp`; a container through `docker cp`.
 */
import { join } from "../internal/posix_path.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { isMarkDict } from "../codecs/mark_value.ts";
import { parseMarkJson } from "../codecs/mark_json.ts";
import { metadataProblem } from "../ops/validate_mark.ts";
import { bareDigest, containerKeys, historyHasChalkCopy, imageKeys } from "./inspect_keys.ts";
import { CONTAINER_MARK_PATH } from "../internal/container_contract.ts";
import type { ExtractBatch, ImageExtractor } from "../ops/extract.ts";
import { type ExtractTargets, wantsDocker } from "../ops/extract_targets.ts";
import type { RunContext } from "../ops/run_context.ts";
import { DockerClient } from "./docker_client.ts";
import { findDocker } from "./docker_exe.ts";
import { recordImageAttestation } from "./attest_image.ts";
import { trustedSigners } from "../ops/signing_identity.ts";

/** A mark that was found but could not be read: names the image or container. */
export class DockerMarkError extends Error {
  /** Builds the one-line error naming the item. */
  constructor(item: string, reason: string) {
    super(`${item}: ${reason}`);
    this.name = "DockerMarkError";
  }
}

/** Parses the text of `/chalk.json`. */
export function parseImageMark(text: string, item: string): MarkDict {
  const bytes = new TextEncoder().encode(text.trim());
  const { value } = parseMarkJson(bytes, 0);
  if (!isMarkDict(value)) throw new DockerMarkError(item, "/chalk.json is not a JSON object");
  return value;
}

/** Docker marks carry random CHALK_IDs: only METADATA_ID (and METADATA_HASH) are checkable. */
export const dockerMarkProblem: (mark: MarkDict) => string | undefined = metadataProblem;

async function copyOut(client: DockerClient, container: string): Promise<string | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-" });
  try {
    const dest = join(dir, "chalk.json");
    const r = await client.capture(["cp", `${container}:${CONTAINER_MARK_PATH}`, dest]);
    if (r.code !== 0) return undefined;
    return await Deno.readTextFile(dest);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

/** The mark of a local image (by id), or undefined when the image has none. */
export async function readImageMark(
  client: DockerClient,
  id: string,
): Promise<MarkDict | undefined> {
  const history = await client.query(["history", "--no-trunc", "--format", "{{.CreatedBy}}", id]);
  if (!historyHasChalkCopy(history.split("\n"))) return undefined;
  const created = await client.query(["create", "--entrypoint=false", id]);
  const container = created.trim().split("\n").pop() ?? "";
  try {
    const text = await copyOut(client, container);
    if (text === undefined) return undefined;
    return parseImageMark(text, id);
  } finally {
    await client.capture(["rm", "-f", container]);
  }
}

/** The mark of a container, or undefined when it has none. */
export async function readContainerMark(
  client: DockerClient,
  id: string,
): Promise<MarkDict | undefined> {
  const text = await copyOut(client, id);
  return text === undefined ? undefined : parseImageMark(text, id);
}

/** One docker item as the extract report shows it. */
export interface ExtractedItem {
  /** Report data: mark keys (minus MAGIC) plus run-time keys. */
  data: MarkDict;
  marked: boolean;
  /** The validation problem, if the mark is not valid. */
  problem?: string;
  /** The mark as read (images and containers). */
  mark?: MarkDict;
  /** `docker inspect` of an image: where its registry copies are. */
  image?: Record<string, unknown>;
}

function withMark(data: MarkDict, mark: MarkDict | undefined): ExtractedItem {
  if (!mark) return { data, marked: false };
  const out: MarkDict = new Map(mark);
  out.delete("MAGIC");
  for (const [k, v] of data) out.set(k, v);
  const problem = dockerMarkProblem(mark);
  out.set("_VALIDATED_METADATA", problem === undefined);
  return { data: out, marked: true, problem, mark };
}

/** Extracts from an already inspected image. */
export async function extractImage(
  client: DockerClient,
  inspect: Record<string, unknown>,
  name: string,
): Promise<ExtractedItem> {
  const id = bareDigest(String(inspect.Id ?? ""));
  const data = imageKeys(inspect);
  data.set("_OP_ARTIFACT_TYPE", "Docker Image");
  data.set("_OP_ARTIFACT_PATH", name);
  return { ...withMark(data, await readImageMark(client, id)), image: inspect };
}

/** Extracts from an already inspected container. */
export async function extractContainer(
  client: DockerClient,
  inspect: Record<string, unknown>,
  name: string,
): Promise<ExtractedItem> {
  const data = containerKeys(inspect);
  data.set("_OP_ARTIFACT_TYPE", "Docker Container");
  data.set("_OP_ARTIFACT_PATH", name);
  return withMark(data, await readContainerMark(client, String(inspect.Id ?? name)));
}

/** Extracts from an image or container by name or id; undefined when docker knows neither. */
export async function extractByName(
  client: DockerClient,
  name: string,
): Promise<ExtractedItem | undefined> {
  const image = await client.inspect(name, "image");
  if (image) return extractImage(client, image, name);
  const container = await client.inspect(name, "container");
  if (container) return extractContainer(client, container, name);
  return undefined;
}

/** Ids of every local image (`docker images`), without dangling duplicates. */
export async function listImages(client: DockerClient): Promise<string[]> {
  const out = await client.query(["images", "--no-trunc", "--format", "{{.ID}}"]);
  return [...new Set(out.split("\n").map((l) => l.trim()).filter((l) => l !== ""))];
}

/** Ids of every running container (`docker ps`). */
export async function listContainers(client: DockerClient): Promise<string[]> {
  const out = await client.query(["ps", "--no-trunc", "--format", "{{.ID}}"]);
  return out.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

/** What an extract run collects from docker. */
export type DockerExtractResult = ExtractBatch;

/** Reporting hooks of {@link extractFromDocker}. */
export interface ExtractLog {
  info(message: string): void;
  warn(message: string): void;
  /** An item that could not be processed (exit code 1). */
  error(message: string): void;
  /** Further checks of a marked item (its image attestation). */
  check?: (label: string, item: ExtractedItem) => Promise<void>;
}

/**
 * Extracts from the named docker items and, when asked, every image /
 * running container. `client` undefined means docker is missing.
 */
export async function extractFromDocker(
  client: DockerClient | undefined,
  targets: ExtractTargets,
  log: ExtractLog,
): Promise<DockerExtractResult> {
  const result: DockerExtractResult = { artifacts: [], chalked: 0, unmarked: [] };
  const wanted = wantsDocker(targets);
  if (!wanted) return result;
  if (!client) {
    log.error("docker: no command found in PATH. `chalk docker` not available.");
    for (const n of targets.names) {
      log.error(`${n}: No file, image or container found with this name`);
    }
    return result;
  }
  const take = async (item: ExtractedItem, label: string) => {
    if (item.marked) {
      log.info(`${label}: Chalk mark extracted`);
      if (item.problem) log.error(`${label}: ${item.problem}`);
      await log.check?.(label, item);
      result.chalked++;
      result.artifacts.push(item.data);
    } else {
      log.warn(`${label}: Artifact is unchalked`);
      result.unmarked.push(label);
    }
  };
  for (const name of targets.names) {
    try {
      const item = await extractByName(client, name);
      if (!item) {
        log.error(
          targets.files.length > 0
            ? `${name}: No file, image or container found with this name`
            : `${name}: No image or container found`,
        );
        continue;
      }
      await take(item, name);
    } catch (e) {
      log.error(`${name}: ${(e as Error).message}`);
    }
  }
  if (targets.allImages) {
    const ids = await listImages(client);
    if (ids.length === 0) log.warn("No docker images found.");
    for (const id of ids) {
      try {
        const inspect = await client.inspect(id, "image");
        if (inspect) await take(await extractImage(client, inspect, id), id);
      } catch (e) {
        log.warn(`${id}: ${(e as Error).message}`);
      }
    }
  }
  if (targets.allContainers) {
    const ids = await listContainers(client);
    if (ids.length === 0) log.warn("No docker containers found.");
    for (const id of ids) {
      try {
        const inspect = await client.inspect(id, "container");
        if (inspect) await take(await extractContainer(client, inspect, id), id);
      } catch (e) {
        log.warn(`${id}: ${(e as Error).message}`);
      }
    }
  }
  return result;
}

/** The image and container side of `chalk extract`: docker is looked up only when asked for. */
export function dockerImageExtractor(ctx: RunContext): ImageExtractor {
  const trusted = trustedSigners(ctx);
  return async (targets) => {
    const wanted = wantsDocker(targets);
    const exe = wanted
      ? findDocker({ selfPath: ctx.self.path, dockerExe: ctx.config.docker.dockerExe })
      : undefined;
    return await extractFromDocker(exe === undefined ? undefined : new DockerClient(exe), targets, {
      info: (m) => ctx.log.info(m),
      warn: (m) => ctx.log.warn(m),
      error: (m) => {
        ctx.log.error(m);
        ctx.failed = true;
      },
      check: async (label, item) => {
        if (item.image && item.mark) {
          await recordImageAttestation(ctx, label, item.image, item.mark, item.data, trusted);
        }
      },
    });
  };
}
