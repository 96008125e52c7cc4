/**
 * Cloud metadata for run-time reports: find the cloud from local hints
 * (`cloud_hints.ts`), then ask that cloud's metadata service
 * (`cloud_aws.ts`, `cloud_gcp.ts`, `cloud_azure.ts`). A host without hints
 * is asked nothing unless `probe_without_hints` is on; then the three
 * services are probed in parallel, each within `probe_timeout_ms`, and the
 * one that answers is asked the rest. Never throws, never fails a run.
 *
 * @example
 * ```ts
 * const keys = await cloudKeys(DEFAULT_CLOUD_SETTINGS, Deno.env.toObject());
 * keys.get("_OP_CLOUD_PROVIDER"); // "aws", or undefined outside a cloud
 * ```
 *
 * @module
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { awsCloudKeys } from "./cloud_aws.ts";
import { awsServiceKeys, onAwsService } from "./cloud_aws_services.ts";
import { AZURE_HEADERS, AZURE_INSTANCE, azureCloudKeys } from "./cloud_azure.ts";
import { gcpCloudKeys, isGoogleAnswer } from "./cloud_gcp.ts";
import {
  type CloudProvider,
  DEFAULT_HARDWARE_PATHS,
  type HardwarePaths,
  readCloudHints,
} from "./cloud_hints.ts";
import { metadataBase, type MetadataEndpoint, metadataRequest } from "./_metadata_http.ts";

/** The `cloud_provider` section of the configuration. */
export interface CloudSettings {
  readonly enabled: boolean;
  /** `cloud_provider.metadata_ip`: address, host name or `http://` URL of the service. */
  readonly metadataIp: string;
  /** Per request, once the cloud is known. */
  readonly timeoutMs: number;
  /** Per probe, when no hint names the cloud. */
  readonly probeTimeoutMs: number;
  readonly probeWithoutHints: boolean;
  readonly paths: HardwarePaths;
}

/** chalk's defaults. */
export const DEFAULT_CLOUD_SETTINGS: CloudSettings = {
  enabled: true,
  metadataIp: "169.254.169.254",
  timeoutMs: 1000,
  probeTimeoutMs: 40,
  probeWithoutHints: false,
  paths: DEFAULT_HARDWARE_PATHS,
};

type Env = Readonly<Record<string, string | undefined>>;

/** The provider whose metadata service answers a first request in time. */
async function probe(endpoint: MetadataEndpoint): Promise<CloudProvider | undefined> {
  const attempts: Promise<CloudProvider>[] = [
    metadataRequest(endpoint, "/latest/api/token", {
      method: "PUT",
      headers: { "X-aws-ec2-metadata-token-ttl-seconds": "60" },
    }).then((r) => r.ok ? "aws" : Promise.reject()),
    metadataRequest(endpoint, "/computeMetadata/v1/", {
      headers: { "Metadata-Flavor": "Google" },
    }).then((r) => isGoogleAnswer(r) ? "gcp" : Promise.reject()),
    metadataRequest(endpoint, AZURE_INSTANCE, { headers: AZURE_HEADERS })
      .then((r) => r.ok && r.text.startsWith("{") ? "azure" : Promise.reject()),
  ];
  try {
    return await Promise.any(attempts);
  } catch {
    return undefined;
  }
}

/** The cloud keys of this host (empty outside every cloud). */
export async function cloudKeys(settings: CloudSettings, env: Env): Promise<MarkDict> {
  if (!settings.enabled) return new Map();
  const hints = readCloudHints(settings.paths, env);
  const base = metadataBase(settings.metadataIp);
  let provider = hints.provider;
  if (!provider && settings.probeWithoutHints) {
    provider = await probe({ base, timeoutMs: settings.probeTimeoutMs });
  }
  const endpoint = { base, timeoutMs: settings.timeoutMs };
  let keys: MarkDict = new Map();
  try {
    const [service, instance] = await Promise.all([
      onAwsService(env) ? awsServiceKeys(env, settings.timeoutMs) : new Map(),
      provider === "aws"
        ? awsCloudKeys(endpoint, env, hints.assetTag)
        : provider === "gcp"
        ? gcpCloudKeys(endpoint, env)
        : provider === "azure"
        ? azureCloudKeys(endpoint)
        : new Map(),
    ]);
    keys = mergeCloudKeys(instance, service);
  } catch {
    // A collector bug must not cost the report: keep what the hints said.
    if (provider) keys = new Map([["_OP_CLOUD_PROVIDER", provider]]);
  }
  if (hints.vendor !== "") keys.set("_OP_CLOUD_SYS_VENDOR", hints.vendor);
  return keys;
}

/**
 * The instance's keys with the service's (ECS, Lambda) on top: the service
 * names the service type; failures of both are kept.
 */
function mergeCloudKeys(instance: MarkDict, service: MarkDict): MarkDict {
  const out: MarkDict = new Map(instance);
  for (const [k, v] of service) {
    const mine = out.get(k);
    if (k === "_OP_FAILED_KEYS" && mine instanceof Map && v instanceof Map) {
      const failed = new Map(mine);
      for (const [key, list] of v) {
        const before = failed.get(key);
        failed.set(key, Array.isArray(before) && Array.isArray(list) ? [...before, ...list] : list);
      }
      out.set(k, failed);
    } else if (k === "_OP_CLOUD_PROVIDER_SERVICE_TYPE" || !out.has(k)) {
      out.set(k, v);
    }
  }
  return out;
}

const memo = new Map<string, Promise<MarkDict>>();

/** {@linkcode cloudKeys}, asked once per process for the same settings (heartbeats reuse it). */
export function cachedCloudKeys(settings: CloudSettings, env: Env): Promise<MarkDict> {
  const id = JSON.stringify(settings);
  let pending = memo.get(id);
  if (!pending) {
    pending = cloudKeys(settings, env);
    memo.set(id, pending);
  }
  return pending.then((m) => structuredClone(m));
}
