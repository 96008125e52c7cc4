/**
 * What a user sees when a report cannot be delivered, with dist/chalk and a post sink whose
 * server is not there: one warning line (the reason, the sink, where the report waits), the
 * report kept in the state folder, and with `fail_on_undelivered_reports` exit 1. Also the
 * state folder itself: `$XDG_STATE_HOME`, and the old working-folder names by configuration.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, type Sandbox, sandbox } from "./_chalk.ts";
import { closedPort } from "../sinks/_support.ts";
import { TestServer } from "../server/_server.ts";

async function postConfig(box: Sandbox, extra = ""): Promise<string> {
  const path = join(box.home, "post.c4m");
  await Deno.writeTextFile(
    path,
    `sink_config down_post {
  sink: "post"
  uri: "http://127.0.0.1:${closedPort()}/report"
  timeout: 500
}
subscribe("report", "down_post")
${extra}`,
  );
  return path;
}

const exists = (p: string) => Deno.stat(p).then(() => true, () => false);

Deno.test("an undeliverable report is one warning line and waits in the state folder (exit 0)", async () => {
  const box = await sandbox();
  try {
    const config = await postConfig(box);
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const r = await box.chalk(["--config-file", config, "insert", "app"]);
    assertEquals(r.code, 0, r.stderr);
    const cache = join(box.home, ".local/state/chalk/chalk-reports.jsonl");
    // Other warnings (signing not set up) may come too: the delivery is one line of them.
    const warnings = r.stderr.split("\n").filter((l) =>
      l.startsWith("warn:") && !l.includes("Code signing not initialized")
    );
    assertEquals(warnings.length, 1, r.stderr);
    assertMatch(
      warnings[0],
      new RegExp(`\\(sink conf='down_post'\\); report kept in ${cache} for the next run$`),
    );
    assert(await exists(cache));
    assertEquals((await Deno.stat(cache)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(join(box.home, ".local/state/chalk"))).mode! & 0o777, 0o700);
    assertEquals(await exists(join(box.work, "chalk-reports.jsonl")), false);
  } finally {
    await box.cleanup();
  }
});

Deno.test("fail_on_undelivered_reports: an undelivered report fails the command (exit 1), still cached", async () => {
  const box = await sandbox();
  try {
    const config = await postConfig(box, "fail_on_undelivered_reports: true\n");
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const r = await box.chalk(["--config-file", config, "insert", "app"]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(
      r.stderr,
      /error: 1 report delivery failed \(sink conf down_post\); failing the command/,
    );
    assert(await exists(join(box.home, ".local/state/chalk/chalk-reports.jsonl")));
    // The mark itself was written: only the delivery failed.
    const ext = await box.chalk(["--config-file", config, "extract", "app"]);
    assertEquals(ext.code, 1);
    assertMatch(ext.stdout, /"CHALK_ID"/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("the state folder follows $XDG_STATE_HOME; the old ./ names come back by configuration", async () => {
  const box = await sandbox();
  try {
    const xdg = join(box.home, "xdg-state");
    await Deno.writeTextFile(join(box.work, "a.sh"), "#!/bin/sh\necho a\n", { mode: 0o755 });
    const withXdg = await sandbox({ XDG_STATE_HOME: xdg, HOME: box.home });
    const r = await withXdg.chalk(["insert", "--virtual", "a.sh"], { cwd: box.work });
    assertEquals(r.code, 0, r.stderr);
    assert(await exists(join(xdg, "chalk/virtual-chalk.json")));
    await withXdg.cleanup();

    const old = join(box.home, "old.c4m");
    await Deno.writeTextFile(
      old,
      `sink_config virtual_chalk_log {
  sink: "file"
  filename: "./virtual-chalk.json"
}
report_cache_location: "./chalk-reports.jsonl"
`,
    );
    const o = await box.chalk(["--config-file", old, "insert", "--virtual", "a.sh"]);
    assertEquals(o.code, 0, o.stderr);
    assert(await exists(join(box.work, "virtual-chalk.json")));
  } finally {
    await box.cleanup();
  }
});

Deno.test("a post sink's auth_config sends its Authorization header; a bad one fails the load (exit 2)", async () => {
  const box = await sandbox();
  const server = new TestServer();
  await server.start();
  try {
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const config = join(box.home, "auth.c4m");
    const write = (auth: string) =>
      Deno.writeTextFile(
        config,
        `auth_config api {
  auth:     "basic"
  username: "chalk"
  password: "pässword"
}
sink_config reports {
  sink: "post"
  uri:  "${server.url}"
  auth: "${auth}"
}
subscribe("report", "reports")
`,
      );
    await write("api");
    const r = await box.chalk(["--config-file", config, "insert", "app"]);
    assertEquals(r.code, 0, r.stderr);
    assertEquals(server.received.length, 1);
    const sent = server.received[0].headers.get("authorization") ?? "";
    const decoded = new TextDecoder().decode(
      Uint8Array.from(atob(sent.replace(/^Basic /, "")), (c) => c.charCodeAt(0)),
    );
    assertEquals([sent.startsWith("Basic "), decoded], [true, "chalk:pässword"]);

    await write("typo");
    const bad = await box.chalk(["--config-file", config, "extract", "app"]);
    assertEquals(bad.code, 2, bad.stderr);
    assertMatch(
      bad.stderr,
      /^error: .*auth\.c4m:9:3: When checking sink_config\.reports: 'auth' names no auth_config 'typo'$/m,
    );
    assertEquals(server.received.length, 1);
  } finally {
    await server.stop();
    await box.cleanup();
  }
});

/** dist/chalk without a controlling terminal (setsid): what it would put on /dev/tty is on stderr. */
async function chalkNoTty(box: Sandbox, args: string[]) {
  const out = await new Deno.Command("setsid", {
    args: ["-w", CHALK, ...args],
    cwd: box.work,
    env: box.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("a report that neither a sink nor the report cache can keep is printed, not lost", async () => {
  const box = await sandbox();
  try {
    const config = await postConfig(box);
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    // The cache's folder is a file: the cache cannot be written.
    await Deno.writeTextFile(join(box.work, "afile"), "");
    const r = await chalkNoTty(box, [
      "--config-file",
      config,
      "--report-cache-file",
      join(box.work, "afile", "c.jsonl"),
      "insert",
      "app",
    ]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /warn: +report cache disabled: /);
    assertMatch(
      r.stderr,
      /These unpublished reports would be lost; save them to retry later:\n\{ "\$message" : ".*\\"_OPERATION\\" : \\"insert\\"/,
    );
  } finally {
    await box.cleanup();
  }
});

Deno.test("without a report cache, a report no sink took is printed (force_output_on_reporting_fails)", async () => {
  const box = await sandbox();
  try {
    // The post sink alone takes the report (the default log file keeps it otherwise).
    const only = 'unsubscribe("report", "default_out")\n';
    const config = await postConfig(box, only);
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    const r = await chalkNoTty(box, [
      "--config-file",
      config,
      "--no-use-report-cache",
      "extract",
      "app",
    ]);
    assertMatch(
      r.stderr,
      /For topic 'report': no sink took this report and there is no report cache; here it is, to save:\n\[/,
    );
    assertMatch(r.stderr, /"_OPERATION" : "extract"/);
    const off = await postConfig(box, `${only}force_output_on_reporting_fails: false\n`);
    const quiet = await chalkNoTty(box, [
      "--config-file",
      off,
      "--no-use-report-cache",
      "extract",
      "app",
    ]);
    assertMatch(quiet.stderr, /it is lost \(force_output_on_reporting_fails is off\)/);
    assert(!quiet.stderr.includes('"_OPERATION"'), quiet.stderr);
  } finally {
    await box.cleanup();
  }
});
