/** loadChalkConfig: the layer stack, overrides, search path, errors, and the typed view. */

import * as path from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { ConfigLoadError, loadChalkConfig } from "../../config/load_config.ts";
import { sinksInUse } from "../../config/sink_use.ts";
import { unimplementedFeatures } from "../../config/unimplemented.ts";
import { KEYS_TSV, REPO_ROOT, sharedTest } from "../_shared.ts";

const DEMO_DIR = path.resolve(import.meta.dirname!, "../../docs/configs");

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "chalk-config-test-" });
}

async function loadError(opts: Parameters<typeof loadChalkConfig>[0]): Promise<string[]> {
  try {
    await loadChalkConfig(opts);
  } catch (e) {
    if (e instanceof ConfigLoadError) return [...e.lines];
    throw e;
  }
  throw new Error("the configuration loaded");
}

async function withFile(text: string, fn: (file: string) => Promise<void>): Promise<void> {
  const dir = await tempDir();
  const file = path.join(dir, "bad.c4m");
  await Deno.writeTextFile(file, text);
  try {
    await fn(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const HOMELESS = { noExternalConfig: true } as const;

Deno.test("loadChalkConfig without user layers gives chalk's default wiring (docs/configuration.md)", async () => {
  const config = await loadChalkConfig({ command: "insert", ...HOMELESS });
  const out = config.outputConfig();
  assertEquals(out.subscriptions, [
    ["report", "default_out"],
    ["virtual", "virtual_chalk_log"],
    ["version", "console_out"],
    ["help", "console_out"],
    ["confdump", "console_out"],
  ]);
  const sink = (name: string) => out.sinkConfigs.find((s) => s.name === name);
  assertEquals(sink("default_out")?.sink, "file");
  assertEquals(sink("default_out")?.params.filename, "~/.local/chalk/chalk.log");
  assertEquals(
    sink("default_out")?.onWriteMsg,
    "Full chalk report appended to: ~/.local/chalk/chalk.log",
  );
  assertEquals(sink("json_console_out")?.sink, "stdout");
  assertEquals(sink("json_console_out")?.filters, ["pretty_json", "fix_new_line"]);
  assertEquals(
    sink("virtual_chalk_log")?.params.filename,
    "~/.local/state/chalk/virtual-chalk.json",
  );
  const terminal = out.customReports.find((r) => r.name === "terminal_chalk_time");
  assertEquals(terminal?.reportTemplate, "terminal_insert");
  assertEquals(terminal?.sinkConfigs, ["json_console_out"]);
  assertEquals(terminal?.enabled, true, "the summary is printed with or without a TTY");
  assertEquals(
    out.customReports.find((r) => r.name === "terminal_other_op")?.reportTemplate,
    "terminal_rest",
  );
  assertEquals(out.outconf.insert, {
    markTemplate: "mark_default",
    reportTemplate: "insertion_default",
  });
  assertEquals(out.outconf.extract?.reportTemplate, "report_default");
  assertEquals(out.outconf.delete?.reportTemplate, "report_default");
  for (const cmd of ["env", "exec", "heartbeat", "dump", "load", "setup", "pull", "docker"]) {
    assert(out.outconf[cmd] !== undefined, `outconf ${cmd}`);
  }
  assertEquals(config.defaultCommand, "help");
  assertEquals(config.layers, []);
});

sharedTest("ChalkConfig.template: mark_default holds the keys keys.tsv puts in the default mark", {
  needs: "keys.tsv",
}, async () => {
  const config = await loadChalkConfig({ command: "insert", ...HOMELESS });
  const rows = (await Deno.readTextFile(KEYS_TSV)).trim().split("\n").slice(1)
    .map((l) => l.split("\t"));
  const inMark = rows.filter(([name, , , , , , m]) =>
    m === "yes" || m === "forced" || m.startsWith("self-mark") || name.startsWith("$")
  ).map(([name]) => name);
  assertEquals([...config.template("mark_default").keys].sort(), inMark.sort());
});

/** The keyspecs of config/base/keyspecs.c4m, read as text: name → `~kind` and locked flags. */
function keyspecsText(): Map<string, { kind: string; flags: Set<string> }> {
  const text = Deno.readTextFileSync(path.join(REPO_ROOT, "config/base/keyspecs.c4m"));
  const specs = new Map<string, { kind: string; flags: Set<string> }>();
  for (const m of text.matchAll(/^keyspec (\S+) \{\n([\s\S]*?)^\}/gm)) {
    const kind = /^\s*~?kind: (\w+)/m.exec(m[2])?.[1] ?? "";
    const flags = new Set([...m[2].matchAll(/^\s*~?(\w+): true$/gm)].map((f) => f[1]));
    specs.set(m[1], { kind, flags });
  }
  return specs;
}

Deno.test("ChalkConfig.template: mark_default agrees with config/base/keyspecs.c4m", async () => {
  const config = await loadChalkConfig({ command: "insert", ...HOMELESS });
  const specs = keyspecsText();
  assert(specs.size > 500, `${specs.size} keyspecs read`);
  const mark = config.template("mark_default").keys;
  // Every key the keyspecs require in a mark is in it, and it holds only chalk-time keys.
  const required = [...specs].filter(([, s]) => s.flags.has("required_in_chalk_mark"))
    .map(([n]) => n);
  assert(required.length >= 4, required.join(" "));
  for (const k of required) assert(mark.has(k), `mark_default lacks required ${k}`);
  for (const k of mark) {
    const spec = specs.get(k);
    assert(spec !== undefined, `mark_default names ${k}, which has no keyspec`);
    assert(spec.kind.startsWith("ChalkTime"), `${k} is ${spec.kind}, not a chalk-time key`);
  }
  // Report templates, in contrast, may hold run-time keys.
  const report = config.template("insertion_default").keys;
  assert([...report].some((k) => specs.get(k)?.kind.startsWith("RunTime")));
});

Deno.test("ChalkConfig.template: the tutorial's summary keys", async () => {
  const config = await loadChalkConfig({ command: "insert", ...HOMELESS });
  // terminal_insert shows at least what the tutorial's insert summary shows.
  for (
    const k of [
      "_OPERATION",
      "_DATETIME",
      "_CHALKS",
      "_ENV",
      "_OP_ARGV",
      "_OP_CHALKER_VERSION",
      "_OP_CHALK_COUNT",
      "_OP_UNMARKED_COUNT",
      "PRE_CHALK_HASH",
      "CHALK_ID",
      "PATH_WHEN_CHALKED",
      "ARTIFACT_TYPE",
      "ORIGIN_URI",
      "COMMIT_ID",
      "BRANCH",
      "CHALK_VERSION",
      "METADATA_ID",
      "_VIRTUAL",
      "_CURRENT_HASH",
    ]
  ) assert(config.template("terminal_insert").keys.has(k), `terminal_insert has ${k}`);
  const full = config.template("insertion_default").keys;
  for (const k of ["_ACTION_ID", "_OP_HOSTNAME", "_TIMESTAMP", "_OP_CMD_FLAGS", "METADATA_HASH"]) {
    assert(full.has(k), `insertion_default has ${k}`);
  }
  assert(!full.has("PRE_CHALK_HASH") && !full.has("TIMESTAMP_WHEN_CHALKED"));
  for (const name of ["mark_all", "minimal", "reproducable"]) {
    assert(config.markTemplate(name).keys.has("CHALK_ID"), name);
  }
  for (const name of ["report_large", "heartbeat", "unknown_docker", "null"]) {
    config.reportTemplate(name);
  }
  let threw = false;
  try {
    config.template("no_such_template");
  } catch (e) {
    threw = true;
    assertMatch((e as Error).message, /unknown template 'no_such_template'/);
  }
  assert(threw);
});

Deno.test("the terminal summary reports stay enabled without a TTY", async () => {
  const config = await loadChalkConfig({ command: "extract", ...HOMELESS });
  const reports = config.outputConfig().customReports;
  assertEquals(reports.map((r) => [r.name, r.enabled]), [
    ["terminal_chalk_time", true],
    ["terminal_other_op", true],
    // The CI log-group variants are off until a configuration turns them on.
    ["github_group_chalk_time", false],
    ["gitlab_group_chalk_time", false],
  ]);
  const skipped = await loadChalkConfig({
    command: "extract",
    overrides: { skip_summary_report: true },
    ...HOMELESS,
  });
  assert(skipped.outputConfig().customReports.every((r) => !r.enabled));
});

const SUMMARIES = new Set(["terminal_chalk_time", "terminal_other_op"]);

Deno.test("the tutorial's demo configs validate and rewire the output", async () => {
  const http = await loadChalkConfig({
    command: "insert",
    configFile: path.join(DEMO_DIR, "demo-http.c4m"),
  });
  const out = http.outputConfig();
  assert(out.subscriptions.some(([t, s]) => t === "report" && s === "demo_http_config"));
  assert(!out.subscriptions.some(([t, s]) => t === "report" && s === "default_out"));
  const sink = http.sinkConfig("demo_http_config");
  assertEquals(sink.sink, "post");
  assertEquals(sink.params, { uri: "http://localhost:8585/report" });
  assert(
    out.customReports.filter((r) => SUMMARIES.has(r.name)).every((r) => r.enabled),
    "demo-http keeps the summaries",
  );

  const docker = await loadChalkConfig({
    command: "docker",
    configFile: path.join(DEMO_DIR, "demo-docker.c4m"),
  });
  assertEquals(docker.defaultCommand, "docker");
  assert(docker.outputConfig().customReports.every((r) => !r.enabled));
  assertEquals(docker.logLevel("docker"), "error");
  assertEquals(docker.docker.wrapEntrypoint, false);

  const wrap = await loadChalkConfig({
    command: "docker",
    configFile: path.join(DEMO_DIR, "demo-wrap.c4m"),
  });
  assertEquals(wrap.docker.wrapEntrypoint, true);
});

Deno.test("the demo configs are the tutorial's configuration texts", async () => {
  const http = await Deno.readTextFile(path.join(DEMO_DIR, "demo-http.c4m"));
  assertMatch(http, /sink: "post"/);
  assertMatch(http, /uri: {2}"http:\/\/localhost:8585\/report"/);
  const docker = await Deno.readTextFile(path.join(DEMO_DIR, "demo-docker.c4m"));
  assert(docker.startsWith(http), "demo-docker = demo-http plus more");
  const wrap = await Deno.readTextFile(path.join(DEMO_DIR, "demo-wrap.c4m"));
  assertEquals(wrap, docker + "docker.wrap_entrypoint: true\n");
});

/** Subscribes the sink config `x` of a test configuration, so that a run delivers to it. */
const SUBSCRIBED = 'subscribe("report", "x")\n';

// Sink values are checked for the sinks a run delivers to (config/sink_use.ts): those cases
// subscribe theirs.
const BAD: readonly [string, string, RegExp][] = [
  [
    "unknown sink type",
    'sink_config x {\n  sink: "ftp"\n}\n',
    /:2:3: .*sink_config\.x\.sink.*valid choices/,
  ],
  [
    "missing uri",
    'sink_config x {\n  sink: "post"\n}\n',
    /:1:1: .*'uri' is required by sink type 'post'/,
  ],
  [
    "wrong type",
    'sink_config x {\n  sink: "file"\n  filename: 42\n}\n',
    /:3:3: .*Wrong type for 'filename'/,
  ],
  [
    "post uri not http(s)",
    'sink_config x {\n  sink: "post"\n  uri:  "ftp://example.com/r"\n}\n' + SUBSCRIBED,
    /:3:3: .*'uri' must be an http:\/\/ or https:\/\/ URL/,
  ],
  [
    "s3 uri not s3://bucket/path",
    'sink_config x {\n  sink: "s3"\n  uri:  "s3://bucket"\n}\n' + SUBSCRIBED,
    /:3:3: .*'uri' requires a URI of the form s3:\/\/bucket-name\/object-path/,
  ],
  [
    "parameter of another sink type",
    'sink_config x {\n  sink: "stdout"\n  uri: "http://a/b"\n}\n',
    /:3:3: .*'uri' is not a parameter of sink type 'stdout'/,
  ],
  // The sinks' own value checks run as the layer loads (they disabled the sink at run time).
  [
    "rotating log smaller than 1 KiB",
    'sink_config x {\n  sink: "rotating_log"\n  filename: "/tmp/r.log"\n  max: <<1000b>>\n}\n' +
    SUBSCRIBED,
    /:4:3: When checking sink_config\.x: 'max' must be at least 1024 bytes/,
  ],
  [
    "sink auth naming no auth_config",
    'sink_config x {\n  sink: "post"\n  uri: "http://a/b"\n  auth: "nope"\n}\n' + SUBSCRIBED,
    /:4:3: When checking sink_config\.x: 'auth' names no auth_config 'nope'/,
  ],
  [
    "jwt auth_config without a token",
    'auth_config a {\n  auth: "jwt"\n}\nsink_config x {\n  sink: "post"\n  uri: "http://a/b"\n' +
    '  auth: "a"\n}\n' + SUBSCRIBED,
    /When checking sink_config\.x: 'auth' names auth_config 'a', whose jwt auth needs a 'token'/,
  ],
  [
    "sink of a custom report with an empty uri",
    'sink_config x {\n  sink: "post"\n  uri: env("CHALK_TEST_UNSET_URI")\n}\n' +
    'custom_report r {\n  report_template: "null"\n  sink_configs: ["x"]\n  use_when: ["insert"]\n}\n',
    /:3:3: When checking sink_config\.x: 'uri' is required by sink type 'post'/,
  ],
  [
    "subscribed sink without a sink type",
    "sink_config x {\n  enabled: true\n}\n" + SUBSCRIBED,
    /:1:1: When checking sink_config\.x: 'sink' is not set/,
  ],
  ["unknown top-level field", "colour: true\n", /:1:1: Unknown field for a root section: colour/],
  [
    "bad choice",
    'log_level: "loud"\n',
    /:1:1: When checking log_level: Value 'loud' is not one of/,
  ],
  [
    "unknown template",
    'outconf insert {\n  report_template: "nope"\n}\n',
    /:2:3: .*no report_template named 'nope'/,
  ],
  [
    "unknown key",
    "report_template t {\n  key.NOT_A_KEY.use = true\n}\n",
    /:2:3: .*no keyspec named 'NOT_A_KEY'/,
  ],
  [
    "user key name",
    "keyspec MINE {\n  kind: RunTimeHost\n  type: string\n}\n",
    /:1:1: .*must start with X_/,
  ],
  ["parse error", 'sink_config x {\n  sink: "post"\n', /:\d+:\d+: Parse error/],
  ["locked attribute", 'config_path: ["/tmp"]\n', /:1:1: .*locked/],
];

/**
 * Sink values a run would refuse, in sinks nothing delivers to: unchecked until a run uses them
 * (an unset environment variable, a sink a later layer completes, chalk's own samples).
 */
const UNUSED_SINKS: [string, string][] = [
  [
    "empty uri from an unset variable",
    'sink_config x {\n  sink: "post"\n  uri: env("CHALK_TEST_UNSET_URI")\n}\n',
  ],
  [
    "rotating log smaller than 1 KiB",
    'sink_config x {\n  sink: "rotating_log"\n  filename: "/r.log"\n  max: <<10b>>\n}\n',
  ],
  [
    "auth naming no auth_config",
    'sink_config x {\n  sink: "presign"\n  uri: "https://a/b"\n  auth: "elsewhere"\n}\n',
  ],
  ["no sink type", "sink_config x {\n  prefer_bundled_certs: true\n}\n"],
  [
    "a custom report for an operation chalk-ts does not report",
    'sink_config x {\n  sink: "post"\n  uri: ""\n}\n' +
    'custom_report r {\n  report_template: "null"\n  sink_configs: ["x"]\n  use_when: ["pull"]\n}\n',
  ],
  [
    "a disabled custom report",
    'sink_config x {\n  sink: "post"\n  uri: ""\n}\n' +
    'custom_report r {\n  enabled: false\n  report_template: "null"\n  sink_configs: ["x"]\n}\n',
  ],
  [
    "subscribed only in a branch that did not run",
    'sink_config x {\n  sink: "post"\n  uri: env("CHALK_TEST_UNSET_URI")\n}\n' +
    'if env_exists("CHALK_TEST_UNSET_URI") {\n  subscribe("report", "x")\n}\n',
  ],
];

for (const [what, text] of UNUSED_SINKS) {
  Deno.test(`loadChalkConfig leaves the values of an unused sink unchecked: ${what}`, async () => {
    await withFile(text, async (file) => {
      const config = await loadChalkConfig({ command: "insert", configFile: file });
      assertEquals(config.sinkConfig("x").name, "x");
    });
  });
}

for (const [what, text, expected] of BAD) {
  Deno.test(`loadChalkConfig rejects a config with ${what} at file:line:col`, async () => {
    await withFile(text, async (file) => {
      const lines = await loadError({ command: "insert", configFile: file });
      assertMatch(lines[0], new RegExp(`^${file.replaceAll(".", "\\.")}`));
      assertMatch(lines[0], expected);
    });
  });
}

Deno.test("chalk's sample settings load through the load path and name what is not implemented", async () => {
  const fixture = path.join(REPO_ROOT, "fixtures/con4m/layers/4_chalk_samples.c4m");
  const config = await loadChalkConfig({ command: "insert", configFile: fixture, ...HOMELESS });
  assertEquals(config.unimplementedFeatures(), [
    "chalk-ts does not run SAST tools (semgrep): run_sast_tools is true, but no SAST key is collected",
    "chalk-ts does not implement object stores: object_store_config 'fixture_store' is not used, and keys are reported in full",
    "chalk-ts does not run the binfmt or busybox helper containers: docker.binfmt_container, docker.busybox_container ignored",
  ]);
  assertEquals(config.runtime.getString("tool.semgrep.kind"), "sast");
  // Without user layers nothing is looked at, and the base turns nothing on.
  const base = await loadChalkConfig({ command: "insert", ...HOMELESS });
  assertEquals(base.unimplementedFeatures(), []);
  const rt = base.runtime;
  assertEquals(unimplementedFeatures(rt, sinksInUse(rt, base.outputConfig().subscriptions)), []);
});

Deno.test("loadChalkConfig loads the embedded config before the external one", async () => {
  const dir = await tempDir();
  try {
    const file = path.join(dir, "x.c4m");
    await Deno.writeTextFile(file, 'default_command: "insert"\nvirtual_chalk: true\n');
    const config = await loadChalkConfig({
      command: "insert",
      embeddedConfig: 'default_command: "extract"\nrecursive: false\n',
      configFile: file,
    });
    assertEquals(config.defaultCommand, "insert");
    assertEquals(config.recursive, false);
    assertEquals(config.virtualChalk, true);
    assertEquals(config.layers, ["[embedded config]", file]);
    const noEmbedded = await loadChalkConfig({
      command: "insert",
      embeddedConfig: "recursive: false\n",
      noEmbeddedConfig: true,
      ...HOMELESS,
    });
    assertEquals(noEmbedded.recursive, true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("flag overrides beat every configuration assignment", async () => {
  const config = await loadChalkConfig({
    command: "insert",
    embeddedConfig: 'log_level: "error"\nvirtual_chalk: false\nreport_cache_location: "/x"\n',
    overrides: { log_level: "trace", virtual_chalk: true, report_cache_lock_timeout_sec: 3 },
    ...HOMELESS,
  });
  assertEquals(config.logLevel("insert"), "trace");
  assertEquals(config.virtualChalk, true);
  assertEquals(config.reportCacheLocation, "/x");
  assertEquals(config.runtime.getInt("report_cache_lock_timeout_sec"), 3n);
  const lines = await loadError({
    command: "insert",
    overrides: { recursive: "yes" },
    ...HOMELESS,
  });
  assertMatch(lines[0], /cannot set 'recursive' from a flag/);
});

Deno.test("logLevel follows the command unless a configuration sets it", async () => {
  const config = await loadChalkConfig({ command: "insert", ...HOMELESS });
  assertEquals(config.logLevel("insert"), "info");
  assertEquals(config.logLevel("docker"), "error");
  const quiet = await loadChalkConfig({
    command: "insert",
    embeddedConfig: 'log_level: "warning"\n',
    ...HOMELESS,
  });
  assertEquals(quiet.logLevel("insert"), "warn");
  assertEquals(quiet.logLevel("docker"), "warn");
});

Deno.test("logLevel keeps a configuration's \"warn\", the schema's own default", async () => {
  for (const layer of ["embeddedConfig", "configFile"] as const) {
    const dir = await tempDir();
    try {
      const file = path.join(dir, "warn.c4m");
      await Deno.writeTextFile(file, 'log_level: "warn"\n');
      const source = layer === "configFile"
        ? { configFile: file }
        : { embeddedConfig: 'log_level: "warn"\n' };
      const config = await loadChalkConfig({ command: "extract", ...source, ...HOMELESS });
      assertEquals(config.logLevel("extract"), "warn", layer);
      assertEquals(config.logLevel("docker"), "warn", layer);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("loadChalkConfig takes the first chalk.c4m on config_path", async () => {
  const home = await tempDir();
  try {
    await Deno.mkdir(path.join(home, ".config/chalk"), { recursive: true });
    await Deno.writeTextFile(path.join(home, ".config/chalk/chalk.c4m"), "virtual_chalk: true\n");
    await Deno.writeTextFile(path.join(home, "chalk.c4m"), "recursive: false\n");
    const logs: string[] = [];
    const config = await loadChalkConfig({
      command: "insert",
      home,
      log: (level, m) => logs.push(`${level}: ${m}`),
    });
    assertEquals(config.virtualChalk, true);
    assertEquals(config.recursive, true, "only the first file found is loaded");
    assertEquals(config.externalConfigPath, path.join(home, ".config/chalk/chalk.c4m"));
    assert(logs.some((l) => l.endsWith(": Found config file")));
    const skipped = await loadChalkConfig({ command: "insert", home, noExternalConfig: true });
    assertEquals(skipped.virtualChalk, false);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("loadChalkConfig reports a missing --config-file", async () => {
  const lines = await loadError({ command: "insert", configFile: "/nonexistent/chalk.c4m" });
  assertEquals(lines, ["/nonexistent/chalk.c4m: could not open configuration file: no such file"]);
});

Deno.test("ChalkConfig exposes env policy, ignore patterns, cache and exec settings", async () => {
  const config = await loadChalkConfig({
    command: "exec",
    embeddedConfig: [
      'env_default_action: "redact"',
      'env_never_show: ["SECRET"]',
      "use_report_cache: false",
      "exec {",
      '  command_name: "/bin/true"',
      "  heartbeat {",
      "    run:  true",
      "    rate: <<2 sec>>",
      "  }",
      "}",
      "",
    ].join("\n"),
    ...HOMELESS,
  });
  assertEquals(config.envPolicy.defaultAction, "redact");
  assertEquals(config.envPolicy.neverShow, ["SECRET"]);
  assertEquals(config.envPolicy.redact, ["AWS_SECRET_ACCESS_KEY"]);
  assert(config.ignorePatterns.includes(".*/\\.git/.*"));
  assertEquals(config.useReportCache, false);
  assertEquals(config.exec.commandName, "/bin/true");
  assertEquals(config.exec.heartbeat.run, true);
  assertEquals(config.exec.heartbeat.rateMs, 2000);
  assertEquals(config.exec.searchPath.at(-1), ".");
});
