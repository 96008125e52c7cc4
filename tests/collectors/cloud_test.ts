/**
 * The cloud collectors against fake metadata services on loopback (the endpoint is
 * `cloud_provider.metadata_ip`), with the local hints in temporary files: the IMDSv2 token
 * flow, the GCP and Azure documents, a host outside every cloud, and failures that must
 * never cost the report.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { cloudKeys, type CloudSettings, DEFAULT_CLOUD_SETTINGS } from "../../collectors/cloud.ts";
import type { MarkValue } from "../../codecs/mark_value.ts";
import { startFakeMetadata } from "./_fake_metadata.ts";

/** Settings whose hint files live in a temporary folder, written from `hints`. */
async function settingsWith(
  address: string,
  hints: { vendor?: string; assetTag?: string; resolv?: string } = {},
  extra: Partial<CloudSettings> = {},
): Promise<{ settings: CloudSettings; cleanup: () => Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-cloud-" });
  const file = async (name: string, text: string | undefined) => {
    const path = join(dir, name);
    if (text !== undefined) await Deno.writeTextFile(path, text + "\n");
    return path;
  };
  const settings: CloudSettings = {
    ...DEFAULT_CLOUD_SETTINGS,
    metadataIp: address,
    paths: {
      sysVendor: await file("vendor", hints.vendor),
      sysHypervisor: await file("hypervisor", undefined),
      sysProduct: await file("product", undefined),
      sysBoardAssetTag: await file("asset", hints.assetTag),
      sysResolv: await file("resolv", hints.resolv),
    },
    ...extra,
  };
  return { settings, cleanup: () => Deno.remove(dir, { recursive: true }) };
}

function plain(v: MarkValue | undefined): unknown {
  return JSON.parse(
    JSON.stringify(
      v,
      (_k, x) => x instanceof Map ? Object.fromEntries(x) : typeof x === "bigint" ? Number(x) : x,
    ),
  );
}

Deno.test("cloudKeys on EC2: IMDSv2 token first, then every GET with it; _AWS_* and _OP_CLOUD_*", async () => {
  const fake = startFakeMetadata({ aws: "ok" });
  const { settings, cleanup } = await settingsWith(fake.address, { vendor: "Amazon EC2" });
  try {
    const keys = await cloudKeys(settings, {});
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "aws");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_SERVICE_TYPE"), "aws_ec2");
    assertEquals(keys.get("_OP_CLOUD_SYS_VENDOR"), "Amazon EC2");
    assertEquals(keys.get("_AWS_INSTANCE_ID"), "i-0fake00000000001");
    assertEquals(keys.get("_AWS_AMI_ID"), "ami-0fake0000000000001");
    assertEquals(keys.get("_AWS_REGION"), "eu-west-3");
    assertEquals(keys.get("_AWS_SECURITY_GROUPS"), ["web", "ssh"]);
    assertEquals(keys.get("_AWS_VPC_ID"), "vpc-0fake");
    assertEquals(keys.get("_AWS_SECURITY_GROUP_IDS"), ["sg-1", "sg-2"]);
    assertEquals(plain(keys.get("_AWS_TAGS")), { Name: "builder", Team: "platform" });
    assertEquals(plain(keys.get("_OP_CLOUD_PROVIDER_TAGS")), { Name: "builder", Team: "platform" });
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_ACCOUNT_INFO"), "210987654321");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_REGION"), "eu-west-3");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_INSTANCE_TYPE"), "m7g.large");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_IP"), "198.51.100.7");
    assertEquals(plain(keys.get("_AWS_INSTANCE_IDENTITY_DOCUMENT")), {
      accountId: "210987654321",
      architecture: "arm64",
      imageId: "ami-0fake0000000000001",
      instanceId: "i-0fake00000000001",
      instanceType: "m7g.large",
      region: "eu-west-3",
      version: "2017-09-30",
    });
    const creds = plain(
      keys.get("_AWS_IDENTITY_CREDENTIALS_EC2_SECURITY_CREDENTIALS_EC2_INSTANCE"),
    );
    assertEquals(creds, {
      Code: "Success",
      AccessKeyId: "ASIAFAKE",
      SecretAccessKey: "<<redacted>>",
      Token: "<<redacted>>",
    });
    // Paths the fake does not serve (404) are simply absent, not failures.
    assertEquals(keys.get("_AWS_KERNEL_ID"), undefined);
    assertEquals(keys.get("_OP_FAILED_KEYS"), undefined);
    // The token flow: one PUT with a TTL, first; every GET carries the token.
    assertEquals(fake.seen[0].method, "PUT");
    assertEquals(fake.seen[0].path, "/latest/api/token");
    assert(Number(fake.seen[0].headers.get("x-aws-ec2-metadata-token-ttl-seconds")) > 0);
    const gets = fake.seen.slice(1);
    assert(gets.length > 40, `${gets.length} GETs`);
    for (const r of gets) {
      assertEquals(r.method, "GET");
      assertEquals(r.headers.get("x-aws-ec2-metadata-token"), fake.token, r.path);
    }
    assertEquals(fake.seen.filter((r) => r.method === "PUT").length, 1);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on EC2 with IMDS disabled (403): provider, instance id from DMI, IMDS_DISABLED", async () => {
  const fake = startFakeMetadata({ aws: "forbidden" });
  const { settings, cleanup } = await settingsWith(fake.address, {
    vendor: "Amazon EC2",
    assetTag: "i-0abc123",
  });
  try {
    const keys = await cloudKeys(settings, { KUBERNETES_SERVICE_HOST: "10.0.0.1" });
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "aws");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_SERVICE_TYPE"), "aws_eks");
    assertEquals(keys.get("_AWS_INSTANCE_ID"), "i-0abc123");
    const failed = plain(keys.get("_OP_FAILED_KEYS")) as Record<string, { code: string }[]>;
    assertEquals(failed._OP_CLOUD_METADATA.map((f) => f.code), ["IMDS_DISABLED"]);
    assertEquals(fake.seen.length, 1);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on GCE: instance and project documents, zone, machine type, external IP", async () => {
  const fake = startFakeMetadata({ gcp: true });
  const { settings, cleanup } = await settingsWith(fake.address, { vendor: "Google" });
  try {
    const keys = await cloudKeys(settings, {});
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "gcp");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_IP"), "203.0.113.9");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_REGION"), "europe-west1-b");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_INSTANCE_TYPE"), "e2-small");
    assertEquals(plain(keys.get("_OP_CLOUD_PROVIDER_TAGS")), ["http-server"]);
    assertEquals(
      (plain(keys.get("_GCP_INSTANCE_METADATA")) as { image: string }).image,
      "projects/debian-cloud/global/images/debian-12-bookworm-v20240101",
    );
    assertEquals(plain(keys.get("_GCP_PROJECT_METADATA")), {
      projectId: "fake-project",
      numericProjectId: 1234,
    });
    for (const r of fake.seen) assertEquals(r.headers.get("metadata-flavor"), "Google");
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on Cloud Run: no DMI vendor, but google.internal and K_SERVICE say GCP", async () => {
  const fake = startFakeMetadata({ gcp: true });
  const { settings, cleanup } = await settingsWith(fake.address, {
    resolv: "# comment google.internal\nsearch europe-west1.run.internal google.internal\n",
  });
  try {
    const keys = await cloudKeys(settings, { K_SERVICE: "api", CLOUD_RUN_TIMEOUT_SECONDS: "300" });
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "gcp");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_SERVICE_TYPE"), "gcp_cloud_run_service");
    assertEquals(keys.has("_OP_CLOUD_SYS_VENDOR"), false);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on Azure: instance document, location, size, subscription, public IP, tags", async () => {
  const fake = startFakeMetadata({ azure: true });
  const { settings, cleanup } = await settingsWith(fake.address, {
    vendor: "Microsoft Corporation",
  });
  try {
    const keys = await cloudKeys(settings, {});
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "azure");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_REGION"), "westeurope");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_INSTANCE_TYPE"), "Standard_B2s");
    assertEquals(
      keys.get("_OP_CLOUD_PROVIDER_ACCOUNT_INFO"),
      "00000000-0000-0000-0000-00000000beef",
    );
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_IP"), "192.0.2.44");
    assertEquals(plain(keys.get("_OP_CLOUD_PROVIDER_TAGS")), [{ name: "env", value: "ci" }]);
    const doc = plain(keys.get("_AZURE_INSTANCE_METADATA")) as {
      compute: { storageProfile: unknown };
    };
    assertEquals(doc.compute.storageProfile, {
      imageReference: { offer: "debian-12", sku: "12-gen2" },
    });
    assertEquals(fake.seen.map((r) => r.path), ["/metadata/instance?api-version=2021-02-01"]);
    assertEquals(fake.seen[0].headers.get("metadata"), "true");
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys outside every cloud asks nothing: no hint, no request, no key", async () => {
  const fake = startFakeMetadata({ aws: "ok", gcp: true, azure: true });
  const { settings, cleanup } = await settingsWith(fake.address, { vendor: "QEMU" });
  try {
    const keys = await cloudKeys(settings, {});
    assertEquals([...keys.keys()], ["_OP_CLOUD_SYS_VENDOR"]);
    assertEquals(fake.seen.length, 0);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys with probe_without_hints finds the cloud that answers (GCP here)", async () => {
  const fake = startFakeMetadata({ gcp: true });
  const { settings, cleanup } = await settingsWith(fake.address, {}, {
    probeWithoutHints: true,
    probeTimeoutMs: 2000,
  });
  try {
    const keys = await cloudKeys(settings, {});
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "gcp");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_INSTANCE_TYPE"), "e2-small");
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys against a metadata service that never answers: no keys, no throw", async () => {
  const hole = startFakeMetadata({ silent: true });
  const probing = await settingsWith(hole.address, {}, { probeWithoutHints: true });
  const hinted = await settingsWith(hole.address, { vendor: "Microsoft Corporation" }, {
    timeoutMs: 50,
  });
  try {
    assertEquals((await cloudKeys(probing.settings, {})).size, 0);
    assertEquals(hole.seen.length, 3);
    const keys = await cloudKeys(hinted.settings, {});
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "azure");
    const failed = plain(keys.get("_OP_FAILED_KEYS")) as Record<string, { code: string }[]>;
    assertEquals(failed._OP_CLOUD_METADATA[0].code, "AZURE_IMDS_ERROR");
  } finally {
    await probing.cleanup();
    await hinted.cleanup();
    await hole.close();
  }
});

Deno.test("cloudKeys with cloud_provider.enabled false reads nothing", async () => {
  const fake = startFakeMetadata({ aws: "ok" });
  const { settings, cleanup } = await settingsWith(fake.address, { vendor: "Amazon EC2" }, {
    enabled: false,
  });
  try {
    assertEquals((await cloudKeys(settings, {})).size, 0);
    assertEquals(fake.seen.length, 0);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on ECS (Fargate: no DMI): container, task and stats; account and region from the ARN", async () => {
  const fake = startFakeMetadata({ ecs: true, aws: "ok" });
  const { settings, cleanup } = await settingsWith(fake.address);
  try {
    const keys = await cloudKeys(settings, {
      ECS_CONTAINER_METADATA_URI_V4: `http://${fake.address}/ecs`,
    });
    assertEquals(keys.get("_OP_CLOUD_PROVIDER"), "aws");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_SERVICE_TYPE"), "aws_ecs");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_ACCOUNT_INFO"), "123456789012");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_REGION"), "ap-south-1");
    assertEquals(keys.get("_AWS_REGION"), "ap-south-1");
    const meta = plain(keys.get("_OP_CLOUD_METADATA")) as { aws_ecs: Record<string, unknown> };
    assertEquals(Object.keys(meta.aws_ecs), ["container", "task", "task/stats"]);
    assertEquals((meta.aws_ecs.task as { Cluster: string }).Cluster, "default");
    // Fargate has no instance metadata service: it was not asked.
    assertEquals(fake.seen.filter((r) => r.path.startsWith("/latest/")).length, 0);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on Lambda: provider, service and region from the environment, no request", async () => {
  const fake = startFakeMetadata({ aws: "ok" });
  const { settings, cleanup } = await settingsWith(fake.address);
  try {
    const keys = await cloudKeys(settings, {
      AWS_LAMBDA_FUNCTION_NAME: "resize",
      AWS_LAMBDA_FUNCTION_VERSION: "7",
      AWS_REGION: "us-west-2",
      AWS_SECRET_ACCESS_KEY: "never-reported",
    });
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_SERVICE_TYPE"), "aws_lambda");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_REGION"), "us-west-2");
    assertEquals(plain(keys.get("_OP_CLOUD_METADATA")), {
      aws_lambda: {
        AWS_LAMBDA_FUNCTION_NAME: "resize",
        AWS_LAMBDA_FUNCTION_VERSION: "7",
        AWS_REGION: "us-west-2",
      },
    });
    assertEquals(fake.seen.length, 0);
  } finally {
    await cleanup();
    await fake.close();
  }
});

Deno.test("cloudKeys on ECS on EC2: the instance's _AWS_* keys and the ECS service together", async () => {
  const fake = startFakeMetadata({ ecs: true, aws: "ok" });
  const { settings, cleanup } = await settingsWith(fake.address, { vendor: "Amazon EC2" });
  try {
    const keys = await cloudKeys(settings, {
      ECS_CONTAINER_METADATA_URI: `http://${fake.address}/ecs`,
    });
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_SERVICE_TYPE"), "aws_ecs");
    assertEquals(keys.get("_AWS_AMI_ID"), "ami-0fake0000000000001");
    assertEquals(keys.get("_OP_CLOUD_PROVIDER_REGION"), "eu-west-3");
    assert(keys.has("_OP_CLOUD_METADATA"));
  } finally {
    await cleanup();
    await fake.close();
  }
});
