/**
 * Cloud metadata in a real chalk run: dist/chalk on a host that a configuration says is an
 * EC2 instance (DMI vendor file), with the metadata endpoint pointed at a fake IMDSv2 on
 * loopback; and a run whose metadata service never answers still succeeds.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { startFakeMetadata } from "../collectors/_fake_metadata.ts";
import { sandbox } from "./_chalk.ts";

async function cloudConfig(dir: string, address: string, vendor: string): Promise<string> {
  await Deno.writeTextFile(join(dir, "vendor"), vendor);
  const path = join(dir, "cloud.c4m");
  await Deno.writeTextFile(
    path,
    [
      `cloud_provider.metadata_ip: "${address}"`,
      `cloud_provider.timeout_ms: 300`,
      `cloud_provider.cloud_instance_hw_identifiers.sys_vendor_path: "${join(dir, "vendor")}"`,
      `cloud_provider.cloud_instance_hw_identifiers.sys_board_asset_tag_path: "${
        join(dir, "none")
      }"`,
      "",
    ].join("\n"),
  );
  return path;
}

function lastLogReport(home: string): Record<string, unknown> {
  const lines = Deno.readTextFileSync(join(home, ".local/chalk/chalk.log")).trim().split("\n");
  return JSON.parse(lines.at(-1)!)[0];
}

Deno.test("chalk insert on a (fake) EC2 host reports _AWS_* and _OP_CLOUD_* keys in chalk.log", async () => {
  const fake = startFakeMetadata({ aws: "ok" });
  const box = await sandbox();
  try {
    const config = await cloudConfig(box.home, fake.address, "Amazon EC2");
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const r = await box.chalk(["--config-file", config, "insert", "app"]);
    assertEquals(r.code, 0, r.stderr);
    const report = lastLogReport(box.home);
    assertEquals(report._OP_CLOUD_PROVIDER, "aws");
    assertEquals(report._OP_CLOUD_PROVIDER_REGION, "eu-west-3");
    assertEquals(report._AWS_INSTANCE_ID, "i-0fake00000000001");
    assertEquals(report._AWS_AMI_ID, "ami-0fake0000000000001");
    assertEquals(report._OP_CLOUD_PROVIDER_TAGS, { Name: "builder", Team: "platform" });
    assert(fake.seen.every((s, i) => i === 0 || s.headers.get("x-aws-ec2-metadata-token")));
  } finally {
    await box.cleanup();
    await fake.close();
  }
});

Deno.test("chalk insert whose cloud metadata service never answers still marks and reports (exit 0)", async () => {
  const hole = startFakeMetadata({ silent: true });
  const box = await sandbox();
  try {
    const config = await cloudConfig(box.home, hole.address, "Google");
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const r = await box.chalk(["--config-file", config, "insert", "app"]);
    assertEquals(r.code, 0, r.stderr);
    const report = lastLogReport(box.home);
    assertEquals(report._OP_CLOUD_PROVIDER, "gcp");
    assertEquals(report._OP_CHALK_COUNT, 1);
  } finally {
    await box.cleanup();
    await hole.close();
  }
});
