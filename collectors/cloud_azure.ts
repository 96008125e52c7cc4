/**
 * Azure: the instance document of the Azure Instance Metadata Service
 * (`Metadata: true`), into `_AZURE_INSTANCE_METADATA` and the
 * provider-neutral `_OP_CLOUD_PROVIDER_*` keys.
 *
 * @module
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { CloudKeys, jsonValue, pick, pickString } from "./_cloud_keys.ts";
import { type MetadataEndpoint, metadataRequest } from "./_metadata_http.ts";

/** The instance document's path (an API version Azure documents as stable). */
export const AZURE_INSTANCE = "/metadata/instance?api-version=2021-02-01";
/** The header Azure requires on every metadata request. */
export const AZURE_HEADERS = { Metadata: "true" };

/** The first public IPv4 address of any interface. */
function publicIp(doc: MarkValue | undefined): string | undefined {
  const interfaces = pick(doc, "network", "interface");
  if (!Array.isArray(interfaces)) return undefined;
  for (const iface of interfaces) {
    const addresses = pick(iface, "ipv4", "ipAddress");
    if (!Array.isArray(addresses)) continue;
    for (const a of addresses) {
      const ip = pickString(a, "publicIpAddress");
      if (ip) return ip;
    }
  }
  return undefined;
}

/** Every Azure key the metadata service gives (never throws). */
export async function azureCloudKeys(endpoint: MetadataEndpoint): Promise<MarkDict> {
  const out = new CloudKeys();
  out.set("_OP_CLOUD_PROVIDER", "azure");
  const r = await metadataRequest(endpoint, AZURE_INSTANCE, { headers: AZURE_HEADERS });
  if (!r.ok) {
    out.fail("_OP_CLOUD_METADATA", "AZURE_IMDS_ERROR", r.error, `GET ${AZURE_INSTANCE} failed`);
    return out.result();
  }
  const doc = jsonValue(r.text);
  if (!(doc instanceof Map)) {
    out.fail("_OP_CLOUD_METADATA", "AZURE_IMDS_PARSE_ERROR", "not a JSON object", AZURE_INSTANCE);
    return out.result();
  }
  out.set("_AZURE_INSTANCE_METADATA", doc);
  out.set("_OP_CLOUD_PROVIDER_IP", publicIp(doc));
  out.set("_OP_CLOUD_PROVIDER_TAGS", pick(doc, "compute", "tagsList"));
  out.set("_OP_CLOUD_PROVIDER_ACCOUNT_INFO", pickString(doc, "compute", "subscriptionId"));
  out.set("_OP_CLOUD_PROVIDER_REGION", pickString(doc, "compute", "location"));
  out.set("_OP_CLOUD_PROVIDER_INSTANCE_TYPE", pickString(doc, "compute", "vmSize"));
  return out.result();
}
