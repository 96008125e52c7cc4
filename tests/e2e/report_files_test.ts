/**
 * `chalk __report-files` (hidden; the GitHub Action's `report-path`): the files the loaded
 * configuration appends full reports to, absolute, one per line, nothing when no file sink
 * receives them.
 */
import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import { sandbox } from "./_chalk.ts";

Deno.test("__report-files names chalk.log by default and follows the configuration's file sinks", async () => {
  const sb = await sandbox();
  try {
    const base = await sb.chalk(["__report-files"]);
    assertEquals([base.code, base.stdout, base.stderr], [
      0,
      `${join(sb.home, ".local/chalk/chalk.log")}\n`,
      "",
    ]);

    const config = join(sb.work, "sinks.c4m");
    await Deno.writeTextFile(
      config,
      `sink_config ci_log {
  sink: "file"
  filename: "~/ci-reports.jsonl"
}
sink_config rolling {
  sink: "rotating_log"
  filename: "logs/rolling.jsonl"
  max: <<1mb>>
}
sink_config off {
  enabled: false
  sink: "file"
  filename: "/nowhere/off.jsonl"
}
subscribe("report", "ci_log")
subscribe("report", "rolling")
subscribe("report", "off")
subscribe("version", "ci_log")
unsubscribe("report", "default_out")
`,
    );
    const configured = await sb.chalk(["--config-file", config, "__report-files"]);
    assertEquals(configured.code, 0, configured.stderr);
    assertEquals(configured.stdout.trim().split("\n"), [
      join(sb.home, "ci-reports.jsonl"),
      join(sb.work, "logs/rolling.jsonl"),
    ]);

    await Deno.writeTextFile(config, `unsubscribe("report", "default_out")\n`);
    const none = await sb.chalk(["--config-file", config, "__report-files"]);
    assertEquals([none.code, none.stdout], [0, ""], none.stderr);
  } finally {
    await sb.cleanup();
  }
});
