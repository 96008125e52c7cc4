/**
 * Exec reports subscribed to stdout (the original's test configuration
 * subscribes `report` to `json_console_out`) reach the terminal's stdout, in
 * both exec modes, while the workload's own output stays exactly what it
 * printed; without such a subscription the reporter does not hold stdout.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, type Sandbox, sandbox } from "../e2e/_chalk.ts";

const WORKLOAD_LINES = 200;

/** A workload printing numbered lines for about a second, around the reporter's report. */
const WORKLOAD = [
  "sh",
  "-c",
  `i=1; while [ $i -le ${WORKLOAD_LINES} ]; do echo "workload line $i"; ` +
  `[ $((i % 20)) -eq 0 ] && sleep 0.1; i=$((i+1)); done`,
];

async function consoleConfig(sb: Sandbox, sinkConfig: string): Promise<string> {
  const path = join(sb.work, "console.c4m");
  await Deno.writeTextFile(path, `subscribe("report", "${sinkConfig}")\n`);
  return path;
}

/** Splits stdout into the workload's lines and the reports chalk printed between them. */
function separate(stdout: string): { workload: string[]; reports: Record<string, unknown>[] } {
  const lines = stdout.split("\n");
  assertEquals(lines.pop(), "", "stdout ends with a newline");
  const workload = lines.filter((l) => l.startsWith("workload line "));
  const rest = lines.filter((l) => !l.startsWith("workload line ")).join("\n");
  // What is left is one or more JSON arrays of reports, one after the other.
  const reports: Record<string, unknown>[] = [];
  for (const text of rest.split(/\n(?=\[)/).filter((t) => t.trim() !== "")) {
    reports.push(...JSON.parse(text));
  }
  return { workload, reports };
}

const expected = Array.from({ length: WORKLOAD_LINES }, (_, i) => `workload line ${i + 1}`);

for (const parent of [false, true]) {
  for (const sink of ["json_console_out", "console_out"]) {
    Deno.test(`exec report subscribed to ${sink} reaches stdout${parent ? " (as parent)" : ""}`, async () => {
      const sb = await sandbox();
      try {
        const config = await consoleConfig(sb, sink);
        const mode = parent ? ["--chalk-as-parent"] : [];
        const r = await sb.chalk(["exec", "--config-file", config, ...mode, "--", ...WORKLOAD]);
        assertEquals(r.code, 0, r.stderr);
        const { workload, reports } = separate(r.stdout);
        assertEquals(workload, expected);
        assertEquals(reports.map((x) => x._OPERATION), ["exec"]);
        const chalk = (reports[0]._CHALKS as Record<string, unknown>[])[0];
        assert(String(chalk._OP_ARTIFACT_PATH).endsWith("/sh"), String(chalk._OP_ARTIFACT_PATH));
        assert(typeof chalk._PROCESS_PID === "number");
        // The report also went to the log file, as without the subscription.
        const log = await Deno.readTextFile(join(sb.home, ".local/chalk/chalk.log"));
        assert(log.includes('"_OPERATION" : "exec"'));
      } finally {
        await sb.cleanup();
      }
    });
  }
}

Deno.test("exec's reporter does not hold stdout when no report goes there", async () => {
  const sb = await sandbox();
  try {
    // The workload closes its stdout, then lives on; the reporter heartbeats meanwhile.
    const child = new Deno.Command(CHALK, {
      args: [
        "exec",
        "--heartbeat",
        "--heartbeat-rate",
        "1s",
        "--",
        "sh",
        "-c",
        "echo hi; exec >&-; sleep 4",
      ],
      cwd: sb.work,
      env: sb.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    let exited = false;
    const status = child.status.then((s) => {
      exited = true;
      return s;
    });
    const out = await new Response(child.stdout).text();
    // End-of-file came while the workload (and so the reporter) still ran.
    assertEquals([out, exited], ["hi\n", false]);
    assertEquals((await status).code, 0);
  } finally {
    await sb.cleanup();
  }
});
