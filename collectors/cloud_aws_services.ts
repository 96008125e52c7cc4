/**
 * AWS services that describe themselves without the EC2 metadata service:
 * ECS (the task metadata endpoint named by `ECS_CONTAINER_METADATA_URI_V4`
 * or `_URI`: the container, the task and its stats) and Lambda (its
 * environment). Both go to `_OP_CLOUD_METADATA` (`aws_ecs`, `aws_lambda`),
 * with account and region from the container's ARN or the environment.
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { CloudKeys, jsonValue, pickString } from "./_cloud_keys.ts";
import { metadataRequest } from "./_metadata_http.ts";

type Env = Readonly<Record<string, string | undefined>>;

const LAMBDA_VARS = [
  "AWS_LAMBDA_FUNCTION_NAME",
  "AWS_LAMBDA_FUNCTION_VERSION",
  "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
  "AWS_LAMBDA_LOG_GROUP_NAME",
  "AWS_LAMBDA_LOG_STREAM_NAME",
  "AWS_EXECUTION_ENV",
  "AWS_REGION",
];

/** `arn:aws:ecs:REGION:ACCOUNT:...` → region and account. */
function arnParts(arn: string | undefined): { region?: string; account?: string } {
  const parts = arn?.split(":") ?? [];
  return parts[0] === "arn" && parts.length >= 6 ? { region: parts[3], account: parts[4] } : {};
}

/** True when the environment says the process runs on ECS or Lambda. */
export function onAwsService(env: Env): boolean {
  return !!(env.AWS_LAMBDA_FUNCTION_NAME || env.ECS_CONTAINER_METADATA_URI_V4 ||
    env.ECS_CONTAINER_METADATA_URI);
}

/** The ECS or Lambda keys (empty elsewhere; never throws). */
export async function awsServiceKeys(env: Env, timeoutMs: number): Promise<MarkDict> {
  const out = new CloudKeys();
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    const facts: MarkDict = new Map();
    for (const v of LAMBDA_VARS) if (env[v]) facts.set(v, env[v]!);
    out.set("_OP_CLOUD_PROVIDER", "aws");
    out.set("_OP_CLOUD_PROVIDER_SERVICE_TYPE", "aws_lambda");
    out.set("_OP_CLOUD_PROVIDER_REGION", env.AWS_REGION);
    out.set("_AWS_REGION", env.AWS_REGION);
    out.set("_OP_CLOUD_METADATA", new Map([["aws_lambda", facts]]));
    return out.result();
  }
  const base = env.ECS_CONTAINER_METADATA_URI_V4 || env.ECS_CONTAINER_METADATA_URI;
  if (!base) return out.result();
  out.set("_OP_CLOUD_PROVIDER", "aws");
  out.set("_OP_CLOUD_PROVIDER_SERVICE_TYPE", "aws_ecs");
  const endpoint = { base: base.replace(/\/+$/, ""), timeoutMs };
  const docs: MarkDict = new Map();
  const answers = await Promise.all(
    ["", "/task", "/task/stats"].map((p) => metadataRequest(endpoint, p)),
  );
  ["container", "task", "task/stats"].forEach((name, i) => {
    const r = answers[i];
    const value: MarkValue | undefined = r.ok ? jsonValue(r.text) : undefined;
    if (value !== undefined) docs.set(name, value);
    else {
      const why = r.ok ? "not JSON" : r.error;
      out.fail("_OP_CLOUD_METADATA", "ECS_METADATA_ERROR", why, `${endpoint.base} (${name})`);
    }
  });
  if (docs.size > 0) out.set("_OP_CLOUD_METADATA", new Map([["aws_ecs", docs]]));
  const container = docs.get("container");
  const { region, account } = arnParts(
    pickString(container, "ContainerARN") ?? pickString(docs.get("task"), "TaskARN") ??
      pickString(container, "Labels", "com.amazonaws.ecs.task-arn"),
  );
  out.set("_OP_CLOUD_PROVIDER_ACCOUNT_INFO", account);
  out.set("_OP_CLOUD_PROVIDER_REGION", region);
  out.set("_AWS_REGION", region);
  return out.result();
}
