/**
 * A wrapped image whose chalk configuration subscribes the command report to
 * `json_console_out`: each `docker run` prints the exec report on the
 * container's stdout, between the workload's lines, and the workload's own
 * output is exactly what it printed.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { run, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable, removeImages } from "./_docker.ts";
import { dockerRun, loadedChalk, WRAP_REPORT_ON_STDOUT } from "./_wrap.ts";

const LINES = 80;

/** busybox sh: numbered lines for about 8 s, long enough for the reporter in the container. */
const SCRIPT = `#!/bin/sh
i=1
while [ $i -le ${LINES} ]; do echo "workload line $i"; sleep 0.1; i=$((i+1)); done
`;

Deno.test({
  name: "a wrapped container prints its exec report on stdout when the report is subscribed there",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const box = await sandbox();
    const ref = `fidelity-wrap-stdout:t${crypto.randomUUID().slice(0, 8)}`;
    try {
      const chalk = await loadedChalk(
        box.work,
        WRAP_REPORT_ON_STDOUT,
        box.env,
      );
      const ctx = join(box.work, "ctx");
      await Deno.mkdir(ctx);
      await Deno.writeTextFile(join(ctx, "lines.sh"), SCRIPT, { mode: 0o755 });
      await Deno.writeTextFile(
        join(ctx, "Dockerfile"),
        'FROM busybox-base\nCOPY lines.sh /lines.sh\nENTRYPOINT ["/lines.sh"]\n',
      );
      const b = await run(chalk, ["docker", "build", "-q", "-t", ref, "."], {
        cwd: ctx,
        env: box.env,
      });
      assertEquals(b.code, 0, b.stderr);

      const r = await dockerRun([ref]);
      assertEquals(r.code, 0, r.stderr);
      const lines = r.stdout.split("\n");
      assertEquals(lines.pop(), "");
      const workload = lines.filter((l) => l.startsWith("workload line "));
      assertEquals(workload, Array.from({ length: LINES }, (_, i) => `workload line ${i + 1}`));
      const rest = lines.filter((l) => !l.startsWith("workload line ")).join("\n");
      const reports = JSON.parse(rest) as Record<string, unknown>[];
      assertEquals(reports.map((x) => x._OPERATION), ["exec"]);
      const chalkEntry = (reports[0]._CHALKS as Record<string, unknown>[])[0];
      assertEquals([chalkEntry._PROCESS_PID, chalkEntry._OP_ARTIFACT_PATH], [1, "/lines.sh"]);
      // The report came while the workload was still printing, not after it.
      const first = r.stdout.indexOf("[\n");
      assert(first < r.stdout.indexOf(`workload line ${LINES}\n`), r.stdout);
    } finally {
      await removeImages(ref);
      await box.cleanup();
    }
  },
});
