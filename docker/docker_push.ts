/**
 * `chalk docker push`: find the local image and its mark, run the user's push
 * unchanged, then report `_OPERATION: "push"` with the repository digests the
 * registry gave the image.
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { chalkTimeHostKeys } from "../collectors/host.ts";
import { publishReports } from "../ops/reporting.ts";
import { UserKeys } from "../ops/user_keys.ts";
import type { RunContext } from "../ops/run_context.ts";
import { parsePushArgs } from "./docker_args.ts";
import type { DockerClient } from "./docker_client.ts";
import { readImageMark } from "./docker_extract.ts";
import { WrappedDockerFailed } from "./fail_safe.ts";
import { bareDigest, imageKeys } from "./inspect_keys.ts";
import { attestPushedReferences, dockerSigner } from "./attest_image.ts";

/** A push chalk cannot wrap (the fail-safe then runs it plainly). */
export class ChalkPushError extends Error {
  /** Builds the one-line error. */
  constructor(reason: string) {
    super(reason);
    this.name = "ChalkPushError";
  }
}

/**
 * Runs a wrapped push and reports; returns docker's exit status.
 *
 * @throws {ChalkPushError} when there is no image argument.
 * @throws {WrappedDockerFailed} when the push failed (the fail-safe reruns it).
 */
export async function chalkPush(
  ctx: RunContext,
  client: DockerClient,
  rest: readonly string[],
): Promise<number> {
  const args = parsePushArgs(rest);
  if (args.image === undefined) throw new ChalkPushError("no image to push");
  // Before docker runs: the password leaves the environment as the key loads.
  const signer = dockerSigner(ctx);
  const host = chalkTimeHostKeys(ctx.facts);
  const before = await client.inspect(args.image, "image");
  if (!before) {
    ctx.log.error(`docker: ${args.image} is not found. pushing without chalk`);
    return await client.inherit(["push", ...rest]);
  }
  const id = bareDigest(String(before.Id ?? ""));
  let mark: MarkDict | undefined;
  try {
    mark = await readImageMark(client, id);
  } catch (e) {
    ctx.log.warn(`docker: ${args.image}: mark could not be read: ${(e as Error).message}`);
  }
  if (!mark) ctx.log.warn(`docker: ${args.image} is not chalked. reporting will be limited`);

  const status = await client.inherit(["push", ...rest]);
  if (status !== 0) throw new WrappedDockerFailed("push", status);

  const data: MarkDict = new Map(mark ?? []);
  data.delete("MAGIC");
  const after = await client.inspect(id, "image").catch(() => undefined);
  for (const [k, v] of imageKeys(after ?? before)) data.set(k, v);
  data.set("_OP_ARTIFACT_TYPE", "Docker Image");
  data.set("_OP_ARTIFACT_CONTEXT", "push");
  data.set("_OP_ARTIFACT_PATH", args.image);
  if (mark && signer) await attestPushedReferences(ctx, signer, mark, [args.image], data);
  try {
    await UserKeys.for(ctx, "push")?.addArtifactKeys(data, "run", args.image);
    await publishReports(ctx, "push", host, [data], {
      chalked: mark ? 1 : 0,
      unmarked: mark ? [] : [args.image],
    });
  } catch (e) {
    ctx.log.error(`docker: reporting failed: ${(e as Error).message}`);
  }
  return status;
}
