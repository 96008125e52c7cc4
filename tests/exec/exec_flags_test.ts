/**
 * chalk's global flags typed after `exec` (as the original's getopts takes
 * them, and as its functional tests call chalk): they are chalk's until the
 * workload's first word or `--`, and they reach the detached reporter.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { sandbox } from "../e2e/_chalk.ts";
import { firstChalk, ofOperation, waitForLog } from "./_exec.ts";

for (const parent of [false, true]) {
  const mode = parent ? " (as parent)" : "";
  Deno.test(`exec --log-level=none --exec-command-name=./uname runs uname and reports${mode}`, async () => {
    const sb = await sandbox();
    try {
      await Deno.copyFile("/usr/bin/uname", join(sb.work, "uname"));
      await Deno.chmod(join(sb.work, "uname"), 0o755);
      const args = ["exec", "--log-level=none", "--exec-command-name=./uname"];
      const r = await sb.chalk(parent ? [...args, "--chalk-as-parent"] : args);
      assertEquals([r.code, r.stdout, r.stderr], [0, "Linux\n", ""]);
      const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
      const chalk = firstChalk(ofOperation(log, "exec")[0]);
      assertEquals(chalk._OP_ARTIFACT_PATH, join(sb.work, "uname"));
      assertEquals(chalk._OP_ARTIFACT_TYPE, "ELF");
      // From the first word that is not a chalk flag on, `--` included, argv is the workload's:
      // `uname -s -- -n` fails on its extra operand.
      const a = await sb.chalk([...args, "-s", "--", "-n"], {});
      assertEquals(a.code, 1, a.stdout);
      const s = await sb.chalk(["exec", "--exec-command-name=./uname", "--trace", "-s"]);
      assertEquals([s.code, s.stdout], [0, "Linux\n"]);
    } finally {
      await sb.cleanup();
    }
  });
}

Deno.test("exec: a --config-file typed after exec is the reporter's configuration too", async () => {
  const sb = await sandbox();
  try {
    const out = join(sb.work, "exec-reports.jsonl");
    const config = join(sb.work, "exec.c4m");
    await Deno.writeTextFile(
      config,
      `sink_config exec_file {\n  sink: "file"\n  filename: ${JSON.stringify(out)}\n}\n` +
        `subscribe("report", "exec_file")\nunsubscribe("report", "default_out")\n`,
    );
    const r = await sb.chalk(["exec", "--config-file", config, "--", "echo", "hi"]);
    assertEquals([r.code, r.stdout], [0, "hi\n"]);
    const end = Date.now() + 15_000;
    let text = "";
    while (!text.includes('"exec"') && Date.now() < end) {
      await new Promise((res) => setTimeout(res, 50));
      text = await Deno.readTextFile(out).catch(() => "");
    }
    const reports = text.trim().split("\n").flatMap((l) => JSON.parse(l));
    assertEquals(reports.map((x: Record<string, unknown>) => x._OPERATION), ["exec"]);
    assert(!(await Deno.stat(join(sb.home, ".local/chalk/chalk.log")).catch(() => false)));
  } finally {
    await sb.cleanup();
  }
});
