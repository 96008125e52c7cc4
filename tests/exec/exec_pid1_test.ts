/**
 * `chalk exec` as PID 1 of a PID namespace (a container's situation), with
 * util-linux `unshare` as root: the workload keeps PID 1, and a report whose
 * reporter died with the namespace is delivered by a later run.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, run, sandbox } from "../e2e/_chalk.ts";
import { canUnshare, firstChalk, ofOperation, readLog, waitForLog } from "./_exec.ts";

const NS = ["--pid", "--fork", "--mount-proc", CHALK];

Deno.test({
  name: "exec keeps PID 1 for the workload in a PID namespace",
  ignore: !canUnshare(),
  fn: async () => {
    const sb = await sandbox();
    try {
      const r = await run("unshare", [
        ...NS,
        "exec",
        "--",
        "sh",
        "-c",
        'read pid rest </proc/self/stat; echo "$pid"; sleep 0.6',
      ], { cwd: sb.work, env: sb.env });
      assertEquals([r.code, r.stdout], [0, "1\n"], r.stderr);
      const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
      assertEquals(firstChalk(ofOperation(log, "exec")[0])._PROCESS_PID, 1);
    } finally {
      await sb.cleanup();
    }
  },
});

Deno.test({
  name: "exec report of a PID 1 that exits at once is spooled and sent by the next exec",
  ignore: !canUnshare(),
  fn: async () => {
    const sb = await sandbox();
    try {
      const r = await run("unshare", [...NS, "exec", "--", "true"], { cwd: sb.work, env: sb.env });
      assertEquals(r.code, 0, r.stderr);
      // The namespace died with its PID 1, reporter included: nothing was logged...
      await new Promise((res) => setTimeout(res, 1000));
      assertEquals(ofOperation(readLog(sb.home), "exec").length, 0);
      // ...but the job waits in the spool.
      const pending = join(sb.home, ".local", "chalk", "exec-pending");
      const left = [...Deno.readDirSync(pending)].map((e) => e.name);
      assertEquals(left.length, 1, left.join(","));
      const lostId = left[0].split(".")[0];
      // An unclaimed job is adopted after its grace time: age it past that.
      const old = new Date(Date.now() - 60_000);
      Deno.utimeSync(join(pending, left[0]), old, old);

      const next = await sb.chalk(["exec", "--", "true"]);
      assertEquals(next.code, 0);
      const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 2);
      const lost = ofOperation(log, "exec").find((x) => x._EXEC_ID === lostId);
      assert(lost, `no report with _EXEC_ID ${lostId}`);
      const chalk = firstChalk(lost);
      assertEquals(chalk._PROCESS_PID, 1);
      assertEquals(chalk._PROCESS_STATE, "Dead");
      assertEquals(lost._OP_ANCESTOR_ARGVS, undefined);
      await waitForLog(sb.home, () => [...Deno.readDirSync(pending)].length === 0);
    } finally {
      await sb.cleanup();
    }
  },
});
