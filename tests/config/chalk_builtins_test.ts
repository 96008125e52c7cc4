/** chalk's builtins act on the environment the caller passes in. */

import { assert, assertEquals } from "../_assert.ts";
import { newChalkHostEnv } from "../../config/base_snapshot.ts";
import type { ConfigLogLevel } from "../../config/chalk_builtins.ts";
import { loadChalkConfig } from "../../config/load_config.ts";
import { SubscriptionTable } from "../../config/subscription_table.ts";

const HOMELESS = { noExternalConfig: true } as const;

Deno.test("SubscriptionTable keeps order and refuses unknown unsubscriptions", () => {
  const t = new SubscriptionTable([["report", "a"], ["report", "a"], ["help", "b"]]);
  assertEquals(t.list(), [["report", "a"], ["help", "b"]]);
  assert(t.unsubscribe("report", "a"));
  assert(!t.unsubscribe("report", "a"));
  assertEquals(t.list(), [["help", "b"]]);
});

Deno.test("subscribe() refuses unknown and disabled sink configs with a log line", async () => {
  const logs: string[] = [];
  const config = await loadChalkConfig({
    command: "insert",
    embeddedConfig: [
      'ok1 := subscribe("report", "nope")',
      'ok2 := subscribe("report", "dump_out")',
      'ok3 := subscribe("audit", "console_err")',
      'if ok1 or ok2 or (not ok3) { error("unexpected subscribe result") }',
      "",
    ].join("\n"),
    log: (level: ConfigLogLevel, m: string) => logs.push(`${level}: ${m}`),
    ...HOMELESS,
  });
  assertEquals(logs, [
    "error: nope: unknown sink configuration while subscribing for topic report",
    "warn: dump_out: sink is not enabled and cannot be subscribed for topic report",
  ]);
  const subs = config.outputConfig().subscriptions;
  assert(subs.some(([t, s]) => t === "audit" && s === "console_err"));
  assert(!subs.some(([, s]) => s === "nope" || s === "dump_out"));
});

Deno.test("command_name, command_argv, version and the log builtins reach the host", async () => {
  const logs: string[] = [];
  await loadChalkConfig({
    command: "extract",
    commandArgv: ["a.bin", "b.bin"],
    embeddedConfig: [
      'info(command_name() + " " + command_argv().join(","))',
      'warn("v=" + version())',
      'trace("t")',
      "",
    ].join("\n"),
    log: (level: ConfigLogLevel, m: string) => logs.push(`${level}: ${m}`),
    ...HOMELESS,
  });
  const env = newChalkHostEnv();
  assertEquals(logs, ["info: extract a.bin,b.bin", `warn: v=${env.version}`, "trace: t"]);
});

Deno.test("copy_report_template_keys adds keys when the template is read", async () => {
  const config = await loadChalkConfig({
    command: "insert",
    embeddedConfig: 'copy_report_template_keys("terminal_rest", "heartbeat")\n',
    ...HOMELESS,
  });
  const rest = config.reportTemplate("terminal_rest");
  for (const k of config.reportTemplate("heartbeat").keys) assert(rest.keys.has(k), k);
  assert(!config.reportTemplate("terminal_insert").keys.has("_EXEC_ID"));
});

Deno.test("auth_headers() builds the headers of an auth_config", async () => {
  const logs: string[] = [];
  await loadChalkConfig({
    command: "insert",
    embeddedConfig: [
      "auth_config basic_one {",
      '  auth:     "basic"',
      '  username: "u"',
      '  password: "p"',
      "}",
      'info(auth_headers("basic_one")["Authorization"])',
      "",
    ].join("\n"),
    log: (level: ConfigLogLevel, m: string) => logs.push(`${level}: ${m}`),
    ...HOMELESS,
  });
  assertEquals(logs, [`info: Basic ${btoa("u:p")}`]);
});
