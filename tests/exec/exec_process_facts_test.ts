/**
 * The process facts of exec and heartbeat reports, as the original's
 * functional tests check them: a heartbeat's chalk is the exec report's
 * chalk under the same template (process keys included), and a workload
 * that exits at once still has its `_PROCESS_UID`, in both exec modes.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { type Sandbox, sandbox } from "../e2e/_chalk.ts";
import { firstChalk, ofOperation, type Report, waitForLog } from "./_exec.ts";

/** The uid line of this process: [real, effective, saved, filesystem]. */
function ownUids(): number[] {
  const line = Deno.readTextFileSync("/proc/self/status").split("\n")
    .find((l) => l.startsWith("Uid:"))!;
  return line.split(/\s+/).slice(1).filter((s) => s !== "").map(Number);
}

/** A custom report for exec and heartbeat with a small template, to a file. */
async function customReportConfig(sb: Sandbox, out: string): Promise<string> {
  const path = join(sb.work, "hb.c4m");
  await Deno.writeTextFile(
    path,
    `report_template hb_template {
  key._CHALKS.use = true
  key._OPERATION.use = true
  key.CHALK_ID.use = true
  key.ARTIFACT_TYPE.use = true
  key._OP_ARTIFACT_PATH.use = true
  key.HASH.use = true
  key._CURRENT_HASH.use = true
  key._PROCESS_PID.use = true
}
sink_config hb_file {
  sink: "file"
  filename: ${JSON.stringify(out)}
}
custom_report hb_test {
  report_template: "hb_template"
  sink_configs: ["hb_file"]
  use_when: ["exec", "heartbeat"]
}
`,
  );
  return path;
}

function readReports(path: string): Report[] {
  let text = "";
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => l !== "").flatMap((l) => JSON.parse(l));
}

for (const parent of [false, true]) {
  const mode = parent ? " (as parent)" : "";
  Deno.test(`heartbeat chalks equal the exec chalk under the same template${mode}`, async () => {
    const sb = await sandbox();
    try {
      const sleep = join(sb.work, "sleep");
      await Deno.copyFile("/usr/bin/sleep", sleep);
      await Deno.chmod(sleep, 0o755);
      assertEquals((await sb.chalk(["insert", "--log-level=none", "sleep"])).code, 0);
      const out = join(sb.work, "hb.jsonl");
      const config = await customReportConfig(sb, out);
      const args = ["exec", "--config-file", config, "--heartbeat", "--heartbeat-rate", "200ms"];
      const r = await sb.chalk([
        ...args,
        ...(parent ? ["--chalk-as-parent"] : []),
        "--exec-command-name",
        sleep,
        "--",
        "1.5",
      ]);
      assertEquals(r.code, 0, r.stderr);
      await waitForLog(sb.home, () => ofOperation(readReports(out), "heartbeat").length >= 2);
      const reports = readReports(out);
      const exec = firstChalk(ofOperation(reports, "exec")[0]);
      assert(typeof exec._PROCESS_PID === "number", JSON.stringify(exec));
      assertEquals(exec._OP_ARTIFACT_PATH, sleep);
      for (const beat of ofOperation(reports, "heartbeat")) assertEquals(firstChalk(beat), exec);
    } finally {
      await sb.cleanup();
    }
  });

  Deno.test(`a workload that exits at once is reported with its _PROCESS_UID${mode}`, async () => {
    const sb = await sandbox();
    try {
      const r = await sb.chalk(["exec", ...(parent ? ["--chalk-as-parent"] : []), "--", "true"]);
      assertEquals(r.code, 0, r.stderr);
      const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
      const chalk = firstChalk(ofOperation(log, "exec")[0]);
      assertEquals(chalk._PROCESS_UID, ownUids());
      assert(Array.isArray(chalk._PROCESS_GID), JSON.stringify(chalk));
      assert(typeof chalk._PROCESS_PARENT_PID === "number" && chalk._PROCESS_PARENT_PID > 0);
    } finally {
      await sb.cleanup();
    }
  });
}
