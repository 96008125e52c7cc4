/**
 * Configurations written for chalk that turn on what chalk-ts does not implement (the external
 * tools, the dns sink, object stores, the binfmt and busybox containers, postexec) load, and
 * every run says once per feature, in one warning line, what it will not do
 * (docs/configuration.md, "Not implemented"); a sink whose values come from an unset environment
 * variable loads until a run delivers to it (config/sink_use.ts). Through dist/chalk.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { privateChalk, run, sandbox } from "./_chalk.ts";

const TURNS_ALL_ON = `run_sast_tools: true
run_sbom_tools: true
tool.semgrep.semgrep_prefer_docker = true
tool.trufflehog.trufflehog_git_size_limit = <<1b>>

sink_config dns_out {
  sink:            "dns"
  domain_template: "{METADATA_ID}.chalk.test"
  dns_timeout:     2000
}
subscribe("report", "dns_out")

object_store_config store {
  object_store: "presign"
  object_store_presign {
    uri: "https://objects.example.com"
  }
}
report_template insertion_default {
  key.SBOM.object_store = "store"
}

docker.binfmt_container = "tonistiigi/binfmt@sha256:00"
docker.busybox_container = "busybox@sha256:00"
exec.postexec.run = true
`;

const EXPECTED = [
  /^warn: +chalk-ts does not run SBOM tools \(syft\): run_sbom_tools is true, but no SBOM key is collected$/m,
  /^warn: +chalk-ts does not run SAST tools \(semgrep\): run_sast_tools is true, but no SAST key is collected$/m,
  /^warn: +chalk-ts does not implement the dns sink: sink_config 'dns_out' gets no reports$/m,
  /^warn: +chalk-ts does not implement object stores: object_store_config 'store' is not used, and keys are reported in full$/m,
  /^warn: +chalk-ts does not run the binfmt or busybox helper containers: docker\.binfmt_container, docker\.busybox_container ignored$/m,
  /^warn: +chalk-ts does not implement postexec reports: exec\.postexec\.run ignored$/m,
];

Deno.test("a configuration turning on what chalk-ts does not implement loads and says so once per feature", async () => {
  const box = await sandbox();
  try {
    const config = join(box.home, "features.c4m");
    await Deno.writeTextFile(config, TURNS_ALL_ON);
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const r = await box.chalk(["--config-file", config, "insert", "app"]);
    assertEquals(r.code, 0, r.stderr);
    for (const line of EXPECTED) assertMatch(r.stderr, line);
    const warnings = r.stderr.split("\n").filter((l) => l.includes("chalk-ts does not"));
    assertEquals(warnings.length, EXPECTED.length, r.stderr);
    // The dns sink is not tried: no failure line, nothing waits in the report cache for it.
    assert(!/sink 'dns_out'|sink conf='dns_out'/.test(r.stderr), r.stderr);
    const cache = join(box.home, ".local/state/chalk/chalk-reports.jsonl");
    const cached = await Deno.readTextFile(cache).catch(() => "");
    assert(!cached.includes("dns_out"), cached);
    // The run's other sinks still get the report.
    assert(
      (await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"))).includes('"insert"'),
    );

    const plain = await box.chalk(["insert", "app"]);
    assertEquals(plain.code, 0, plain.stderr);
    assert(!plain.stderr.includes("chalk-ts does not"), plain.stderr);
  } finally {
    await box.cleanup();
  }
});

const ENV_SINK = `sink_config my_https_config {
  enabled: true
  sink:    "post"
  uri:     env("CHALK_POST_URL")
}
if env_exists("CHALK_POST_URL") {
  subscribe("report", "my_https_config")
}
`;

Deno.test("a sink whose uri comes from an unset variable loads until a run delivers to it", async () => {
  const box = await sandbox();
  try {
    const config = join(box.work, "post.c4m");
    await Deno.writeTextFile(config, ENV_SINK);
    const unset = await box.chalk(["--config-file", config, "env"]);
    assertEquals(unset.code, 0, unset.stderr);

    const chalk = await privateChalk(box.home);
    const load = await run(chalk, ["load", config], { cwd: box.work, env: box.env });
    assertEquals(load.code, 0, load.stderr);
    assertMatch(load.stderr, /Configuration successfully validated/);

    // Once the variable is set the sink is subscribed and its value checked: one line with the
    // place in the configuration the program now holds.
    const bad = await run(chalk, ["env"], {
      cwd: box.work,
      env: { ...box.env, CHALK_POST_URL: "ftp://reports.example.com/r" },
    });
    assertEquals(bad.code, 2, bad.stderr);
    assertMatch(
      bad.stderr,
      /^error: \[embedded config\]:4:3: When checking sink_config\.my_https_config: 'uri' must be an http:\/\/ or https:\/\/ URL$/m,
    );
    assert(!/\n\s+at /.test(bad.stderr), "no stack trace");
  } finally {
    await box.cleanup();
  }
});
