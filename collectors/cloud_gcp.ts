/**
 * Google Cloud: the instance and project documents of the metadata server
 * (`Metadata-Flavor: Google` on the request, and required on the answer),
 * into `_GCP_*` and the provider-neutral `_OP_CLOUD_PROVIDER_*` keys.
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { CloudKeys, jsonValue, pick, pickString } from "./_cloud_keys.ts";
import { type MetadataEndpoint, metadataRequest, type MetadataResult } from "./_metadata_http.ts";

const HEADERS = { "Metadata-Flavor": "Google" };
const INSTANCE = "/computeMetadata/v1/instance/?recursive=true";
const PROJECT = "/computeMetadata/v1/project/?recursive=true";

/** True when the answer comes from a Google metadata server. */
export function isGoogleAnswer(r: MetadataResult): boolean {
  return r.ok && r.headers.get("metadata-flavor")?.toLowerCase() === "google";
}

/** The first external IP of any interface. */
function externalIp(instance: MarkValue | undefined): string | undefined {
  const interfaces = pick(instance, "networkInterfaces");
  if (!Array.isArray(interfaces)) return undefined;
  for (const iface of interfaces) {
    const configs = pick(iface, "accessConfigs");
    if (!Array.isArray(configs)) continue;
    for (const c of configs) {
      const ip = pickString(c, "externalIp");
      if (ip) return ip;
    }
  }
  return undefined;
}

/** `projects/1/zones/europe-west1-b` → `europe-west1-b`. */
function lastSegment(path: string | undefined): string | undefined {
  return path?.split("/").at(-1) || undefined;
}

/** Every GCP key the metadata server gives (never throws). */
export async function gcpCloudKeys(
  endpoint: MetadataEndpoint,
  env: Readonly<Record<string, string | undefined>>,
): Promise<MarkDict> {
  const out = new CloudKeys();
  out.set("_OP_CLOUD_PROVIDER", "gcp");
  if (env.K_SERVICE && env.CLOUD_RUN_TIMEOUT_SECONDS) {
    out.set("_OP_CLOUD_PROVIDER_SERVICE_TYPE", "gcp_cloud_run_service");
  }
  const [instance, project] = await Promise.all([
    metadataRequest(endpoint, INSTANCE, { headers: HEADERS }),
    metadataRequest(endpoint, PROJECT, { headers: HEADERS }),
  ]);
  if (project.ok && isGoogleAnswer(project)) {
    out.set("_GCP_PROJECT_METADATA", jsonValue(project.text));
  } else if (!project.ok) {
    out.fail("_GCP_PROJECT_METADATA", "GCP_PROJECT_METADATA_ERROR", project.error, PROJECT);
  }
  if (!instance.ok || !isGoogleAnswer(instance)) {
    const why = instance.ok ? "no Metadata-Flavor: Google header" : instance.error;
    out.fail("_OP_CLOUD_METADATA", "GCP_IMDS_ERROR", why, `GET ${INSTANCE} failed`);
    return out.result();
  }
  const doc = jsonValue(instance.text);
  if (!(doc instanceof Map)) {
    out.fail("_OP_CLOUD_METADATA", "GCP_IMDS_PARSE_ERROR", "not a JSON object", INSTANCE);
    return out.result();
  }
  out.set("_GCP_INSTANCE_METADATA", doc);
  out.set("_OP_CLOUD_PROVIDER_IP", externalIp(doc));
  out.set("_OP_CLOUD_PROVIDER_TAGS", pick(doc, "tags"));
  out.set("_OP_CLOUD_PROVIDER_ACCOUNT_INFO", pick(doc, "serviceAccounts"));
  out.set("_OP_CLOUD_PROVIDER_REGION", lastSegment(pickString(doc, "zone")));
  out.set("_OP_CLOUD_PROVIDER_INSTANCE_TYPE", lastSegment(pickString(doc, "machineType")));
  return out.result();
}
