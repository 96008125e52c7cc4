/**
 * Which cloud, if any, the host is in, from what costs no network: the
 * DMI board vendor, the Xen hypervisor and product UUIDs (`ec2...`), the
 * resolver's search domain and, for Cloud Run, its environment.
 * A host that shows none of these is asked nothing.
 *
 * @module
 */

/** The files the hints come from (`cloud_provider.cloud_instance_hw_identifiers`). */
export interface HardwarePaths {
  readonly sysVendor: string;
  readonly sysHypervisor: string;
  readonly sysProduct: string;
  readonly sysBoardAssetTag: string;
  readonly sysResolv: string;
}

/** The Linux paths, as the original configures them. */
export const DEFAULT_HARDWARE_PATHS: HardwarePaths = {
  sysVendor: "/sys/class/dmi/id/board_vendor",
  sysHypervisor: "/sys/hypervisor/uuid",
  sysProduct: "/sys/devices/virtual/dmi/id/product_uuid",
  sysBoardAssetTag: "/sys/devices/virtual/dmi/id/board_asset_tag",
  sysResolv: "/etc/resolv.conf",
};

/** A cloud chalk can ask. */
export type CloudProvider = "aws" | "gcp" | "azure";

/** What the host shows. */
export interface CloudHints {
  /** The DMI vendor text ("" when unreadable). */
  readonly vendor: string;
  /** The board asset tag (the instance id on EC2 Nitro). */
  readonly assetTag: string;
  /** The cloud the hints point to. */
  readonly provider?: CloudProvider;
}

function readSmall(path: string): string {
  try {
    return Deno.readTextFileSync(path).trim();
  } catch {
    return "";
  }
}

/** True when a non-comment line of resolv.conf names `google.internal`. */
function resolvesGoogleInternal(resolv: string): boolean {
  return resolv.split("\n").some((l) =>
    l.length > 0 && l[0] !== "#" && l[0] !== ";" && l.includes("google.internal")
  );
}

/** Reads the hints (a few small files; never throws). */
export function readCloudHints(
  paths: HardwarePaths,
  env: Readonly<Record<string, string | undefined>>,
): CloudHints {
  const vendor = readSmall(paths.sysVendor);
  const assetTag = readSmall(paths.sysBoardAssetTag);
  const v = vendor.toLowerCase();
  const ec2Uuid = (p: string) => readSmall(p).toLowerCase().startsWith("ec2");
  let provider: CloudProvider | undefined;
  // ECS and Lambda announce themselves in the environment (cloud_aws_services.ts); only an EC2
  // machine has the instance metadata service.
  if (v.includes("amazon") || ec2Uuid(paths.sysHypervisor) || ec2Uuid(paths.sysProduct)) {
    provider = "aws";
  } else if (v.includes("microsoft")) {
    provider = "azure";
  } else if (
    v.includes("google") ||
    (env.K_SERVICE && env.CLOUD_RUN_TIMEOUT_SECONDS &&
      resolvesGoogleInternal(readSmall(paths.sysResolv)))
  ) {
    provider = "gcp";
  }
  return { vendor, assetTag, ...(provider ? { provider } : {}) };
}
