/**
 * AWS: the EC2 instance metadata service through the IMDSv2 token flow
 * (`PUT /latest/api/token`, then every `GET` with the token), into the
 * `_AWS_*` keys and the provider-neutral `_OP_CLOUD_PROVIDER_*` ones.
 * Requests run in parallel; the EC2 role's credentials are redacted.
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { CloudKeys, jsonValue, pickString } from "./_cloud_keys.ts";
import { type MetadataEndpoint, metadataRequest } from "./_metadata_http.ts";

const MD = "/latest/meta-data/";
const DYN = "/latest/dynamic/";
const CREDENTIALS_KEY = "_AWS_IDENTITY_CREDENTIALS_EC2_SECURITY_CREDENTIALS_EC2_INSTANCE";

type Shape = "text" | "list" | "json";

/** Key, path and shape of every single-request `_AWS_*` key. */
const AWS_PATHS: readonly [string, string, Shape][] = [
  ["_AWS_INSTANCE_IDENTITY_DOCUMENT", `${DYN}instance-identity/document`, "json"],
  ["_AWS_INSTANCE_IDENTITY_PKCS7", `${DYN}instance-identity/pkcs7`, "text"],
  ["_AWS_INSTANCE_IDENTITY_SIGNATURE", `${DYN}instance-identity/signature`, "text"],
  ["_AWS_INSTANCE_MONITORING", `${DYN}fws/instance-monitoring`, "text"],
  ["_AWS_AMI_ID", `${MD}ami-id`, "text"],
  ["_AWS_AMI_LAUNCH_INDEX", `${MD}ami-launch-index`, "text"],
  ["_AWS_AMI_MANIFEST_PATH", `${MD}ami-manifest-path`, "text"],
  ["_AWS_ANCESTOR_AMI_IDS", `${MD}ancestor-ami-ids`, "text"],
  ["_AWS_AUTOSCALING_TARGET_LIFECYCLE_STATE", `${MD}autoscaling/target-lifecycle-state`, "text"],
  ["_AWS_AZ", `${MD}placement/availability-zone`, "text"],
  ["_AWS_AZ_ID", `${MD}placement/availability-zone-id`, "text"],
  ["_AWS_BLOCK_DEVICE_MAPPING_AMI", `${MD}block-device-mapping/ami`, "text"],
  ["_AWS_BLOCK_DEVICE_MAPPING_ROOT", `${MD}block-device-mapping/root`, "text"],
  ["_AWS_BLOCK_DEVICE_MAPPING_SWAP", `${MD}block-device-mapping/swap`, "text"],
  ["_AWS_DEDICATED_HOST_ID", `${MD}placement/host-id`, "text"],
  ["_AWS_HOSTNAME", `${MD}hostname`, "text"],
  ["_AWS_INSTANCE_ACTION", `${MD}instance-action`, "text"],
  ["_AWS_INSTANCE_ID", `${MD}instance-id`, "text"],
  ["_AWS_INSTANCE_LIFE_CYCLE", `${MD}instance-life-cycle`, "text"],
  ["_AWS_INSTANCE_TYPE", `${MD}instance-type`, "text"],
  ["_AWS_IPV6_ADDR", `${MD}ipv6`, "text"],
  ["_AWS_KERNEL_ID", `${MD}kernel-id`, "text"],
  ["_AWS_LOCAL_HOSTNAME", `${MD}local-hostname`, "text"],
  ["_AWS_LOCAL_IPV4_ADDR", `${MD}local-ipv4`, "text"],
  ["_AWS_MAC", `${MD}mac`, "text"],
  ["_AWS_METRICS_VHOSTMD", `${MD}metrics/vhostmd`, "text"],
  ["_AWS_OPENSSH_PUBKEY", `${MD}public-keys/0/openssh-key`, "text"],
  ["_AWS_PARTITION_NAME", `${MD}services/partition`, "text"],
  ["_AWS_PARTITION_NUMBER", `${MD}placement/partition-number`, "text"],
  ["_AWS_PLACEMENT_GROUP", `${MD}placement/group-name`, "text"],
  ["_AWS_PRODUCT_CODES", `${MD}product-codes`, "text"],
  ["_AWS_PUBLIC_HOSTNAME", `${MD}public-hostname`, "text"],
  ["_AWS_PUBLIC_IPV4_ADDR", `${MD}public-ipv4`, "text"],
  ["_AWS_RAMDISK_ID", `${MD}ramdisk-id`, "text"],
  ["_AWS_REGION", `${MD}placement/region`, "text"],
  ["_AWS_RESERVATION_ID", `${MD}reservation-id`, "text"],
  ["_AWS_RESOURCE_DOMAIN", `${MD}services/domain`, "text"],
  ["_AWS_SPOT_INSTANCE_ACTION", `${MD}spot/instance-action`, "text"],
  ["_AWS_SPOT_TERMINATION_TIME", `${MD}spot/termination-time`, "text"],
  ["_AWS_SECURITY_GROUPS", `${MD}security-groups`, "list"],
  ["_AWS_EVENTS_MAINTENANCE_HISTORY", `${MD}events/maintenance/history`, "json"],
  ["_AWS_EVENTS_MAINTENANCE_SCHEDULED", `${MD}events/maintenance/scheduled`, "json"],
  ["_AWS_EVENTS_RECOMMENDATIONS_REBALANCE", `${MD}events/recommendations/rebalance`, "json"],
  ["_AWS_IAM_INFO", `${MD}iam/info`, "json"],
  ["_AWS_IDENTITY_CREDENTIALS_EC2_INFO", `${MD}identity-credentials/ec2/info`, "json"],
  [CREDENTIALS_KEY, `${MD}identity-credentials/ec2/security-credentials/ec2-instance`, "json"],
];

/** Per network interface (by MAC). */
const MAC_PATHS: readonly [string, string, Shape][] = [
  ["_AWS_VPC_ID", "vpc-id", "text"],
  ["_AWS_SUBNET_ID", "subnet-id", "text"],
  ["_AWS_INTERFACE_ID", "interface-id", "text"],
  ["_AWS_SECURITY_GROUP_IDS", "security-group-ids", "list"],
];

function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

function shaped(key: string, text: string, shape: Shape): MarkValue | undefined {
  if (text === "") return undefined;
  if (shape === "list") return lines(text);
  if (shape === "text") return text;
  const value = jsonValue(text);
  if (key === CREDENTIALS_KEY && value instanceof Map) {
    for (const secret of ["SecretAccessKey", "Token"]) {
      if (value.has(secret)) value.set(secret, "<<redacted>>");
    }
  }
  return value;
}

/** Where the IMDSv2 token comes from; undefined (with the failure recorded) when it does not. */
async function imdsToken(endpoint: MetadataEndpoint, out: CloudKeys): Promise<string | undefined> {
  const r = await metadataRequest(endpoint, "/latest/api/token", {
    method: "PUT",
    headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" },
  });
  if (r.ok) return r.text;
  if (r.status === 403) {
    out.fail(
      "_OP_CLOUD_METADATA",
      "IMDS_DISABLED",
      r.error,
      "IMDSv2 answered 403 Forbidden: the instance metadata service is disabled for this instance.",
    );
  } else if (r.status === undefined && r.error.startsWith("no answer")) {
    out.fail(
      "_OP_CLOUD_METADATA",
      "IMDS_HOP_LIMIT",
      r.error,
      "No IMDSv2 token in time; from a container the PUT response hop limit must be at least 2.",
    );
  } else {
    out.fail("_OP_CLOUD_METADATA", "IMDS_UNKNOWN", r.error, "Could not get an IMDSv2 token.");
  }
  return undefined;
}

/** `_AWS_TAGS` / `_OP_CLOUD_PROVIDER_TAGS`: the instance's tags (when tags in metadata are on). */
async function instanceTags(
  get: (path: string) => ReturnType<typeof metadataRequest>,
): Promise<MarkDict | undefined> {
  const list = await get(`${MD}tags/instance`);
  if (!list.ok || list.text === "") return undefined;
  const names = lines(list.text);
  const values = await Promise.all(names.map((n) => get(`${MD}tags/instance/${n}`)));
  const tags: MarkDict = new Map();
  names.forEach((n, i) => {
    const v = values[i];
    if (v.ok && v.text !== "") tags.set(n, v.text);
  });
  return tags;
}

/** The service the instance runs (ECS, EKS, plain EC2), from the environment. */
export function awsServiceType(env: Readonly<Record<string, string | undefined>>): string {
  if (env.AWS_LAMBDA_FUNCTION_NAME) return "aws_lambda";
  if (env.ECS_CONTAINER_METADATA_URI || env.ECS_CONTAINER_METADATA_URI_V4) return "aws_ecs";
  if (env.KUBERNETES_PORT || env.KUBERNETES_SERVICE_HOST) return "aws_eks";
  return "aws_ec2";
}

/** Every AWS key the metadata service gives (never throws). */
export async function awsCloudKeys(
  endpoint: MetadataEndpoint,
  env: Readonly<Record<string, string | undefined>>,
  assetTag: string,
): Promise<MarkDict> {
  const out = new CloudKeys();
  out.set("_OP_CLOUD_PROVIDER", "aws");
  out.set("_OP_CLOUD_PROVIDER_SERVICE_TYPE", awsServiceType(env));
  if (assetTag.toLowerCase().startsWith("i-")) out.set("_AWS_INSTANCE_ID", assetTag);
  const token = await imdsToken(endpoint, out);
  if (token === undefined) return out.result();
  const headers = { "X-aws-ec2-metadata-token": token };
  const get = (path: string) => metadataRequest(endpoint, path, { headers, allow404: true });
  const [answers, tags] = await Promise.all([
    Promise.all(AWS_PATHS.map(([, path]) => get(path))),
    instanceTags(get),
  ]);
  AWS_PATHS.forEach(([key, , shape], i) => {
    const r = answers[i];
    if (r.ok) out.set(key, shaped(key, r.text, shape));
    else out.fail(key, "IMDS_REQUEST_FAILED", r.error, `GET ${AWS_PATHS[i][1]} failed`);
  });
  const mac = out.keys.get("_AWS_MAC");
  if (typeof mac === "string") {
    const base = `${MD}network/interfaces/macs/${mac}/`;
    const perMac = await Promise.all(MAC_PATHS.map(([, p]) => get(base + p)));
    MAC_PATHS.forEach(([key, , shape], i) => {
      const r = perMac[i];
      if (r.ok) out.set(key, shaped(key, r.text, shape));
    });
  }
  if (tags && tags.size > 0) {
    out.set("_AWS_TAGS", tags);
    out.set("_OP_CLOUD_PROVIDER_TAGS", new Map(tags));
  }
  const doc = out.keys.get("_AWS_INSTANCE_IDENTITY_DOCUMENT");
  out.set("_OP_CLOUD_PROVIDER_ACCOUNT_INFO", pickString(doc, "accountId"));
  out.set(
    "_OP_CLOUD_PROVIDER_INSTANCE_TYPE",
    pickString(doc, "instanceType") ?? out.keys.get("_AWS_INSTANCE_TYPE"),
  );
  out.set("_OP_CLOUD_PROVIDER_REGION", out.keys.get("_AWS_REGION") ?? pickString(doc, "region"));
  out.set("_OP_CLOUD_PROVIDER_IP", out.keys.get("_AWS_PUBLIC_IPV4_ADDR"));
  return out.result();
}
