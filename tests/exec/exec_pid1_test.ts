/**
 * `chalk exec` as PID 1 of a PID namespace (a container's situation), with
 * util-linux `unshare` as root: the workload keeps PID 1; its exec report is delivered before
 * the workload starts, or chalk says in one line that it was not (docs/exec.md, "Short-lived
 * workloads in containers"); and with `--report-wait 0`, a report whose reporter died with the
 * namespace is delivered by a later run.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
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
  name: "with --report-wait 0, the report of a PID 1 that exits at once is spooled for later",
  ignore: !canUnshare(),
  fn: async () => {
    const sb = await sandbox();
    try {
      const r = await run("unshare", [...NS, "exec", "--report-wait", "0", "--", "true"], {
        cwd: sb.work,
        env: sb.env,
      });
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

Deno.test({
  name: "as PID 1, exec delivers its report before the workload starts",
  ignore: !canUnshare(),
  fn: async () => {
    const sb = await sandbox();
    try {
      // The workload looks at the log as it starts: the report is there already. (A wait this
      // long is never reached here, even on a loaded machine; the default is 1 s.)
      const r = await run("unshare", [
        ...NS,
        "exec",
        "--report-wait",
        "20s",
        "--",
        "sh",
        "-c",
        `grep -c '"_OPERATION" *: *"exec"' "$HOME/.local/chalk/chalk.log"`,
      ], { cwd: sb.work, env: sb.env });
      assertEquals([r.code, r.stdout, r.stderr], [0, "1\n", ""]);
      const exec = ofOperation(readLog(sb.home), "exec");
      assertEquals(exec.length, 1);
      const chalk = firstChalk(exec[0]);
      assertEquals(chalk._PROCESS_PID, 1);
      assertEquals((chalk._PROCESS_ARGV as string[])[1], "-c");
      assert(String(chalk._PROCESS_EXE_PATH).endsWith("/sh"), String(chalk._PROCESS_EXE_PATH));
      assertEquals(chalk._PROCESS_STATE, undefined, "no state: it had not started");
      const pending = join(sb.home, ".local", "chalk", "exec-pending");
      assertEquals([...Deno.readDirSync(pending)].map((e) => e.name), []);
    } finally {
      await sb.cleanup();
    }
  },
});

Deno.test({
  name: "as PID 1, a report not delivered within exec.report_wait is told in one line",
  ignore: !canUnshare(),
  fn: async () => {
    const sb = await sandbox();
    // A sink that answers after 3 s: the report cannot be delivered within 300 ms.
    const slow = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      await req.arrayBuffer();
      await new Promise((res) => setTimeout(res, 3000));
      return new Response("ok");
    });
    try {
      const conf = join(sb.work, "slow.c4m");
      await Deno.writeTextFile(
        conf,
        `sink_config slow { sink: "post"\n uri: "http://127.0.0.1:${slow.addr.port}/report" }\n` +
          `subscribe("report", "slow")\n`,
      );
      const late = await run("unshare", [
        ...NS,
        "--config-file",
        conf,
        "exec",
        "--report-wait",
        "300ms",
        "--",
        "true",
      ], { cwd: sb.work, env: sb.env });
      assertEquals(late.code, 0);
      const lines = late.stderr.trim().split("\n");
      assertEquals(lines.length, 1, late.stderr);
      assertMatch(
        lines[0],
        /^warn: +exec: the report was not sent before the workload started \(not delivered within 300 ms\)/,
      );

      // The configuration's exec.report_wait (the full path, which evaluates it first).
      const configured = join(sb.work, "slow-wait.c4m");
      await Deno.writeTextFile(
        configured,
        (await Deno.readTextFile(conf)) + "exec.report_wait: <<250 msec>>\n",
      );
      const waited = await run("unshare", [
        ...NS,
        "--config-file",
        configured,
        "exec",
        "--",
        "true",
      ], {
        cwd: sb.work,
        env: sb.env,
      });
      assertEquals(waited.code, 0);
      const warned = waited.stderr.split("\n").filter((l) => l.startsWith("warn:"));
      assertEquals(warned.length, 1, waited.stderr);
      assertMatch(warned[0], /\(not delivered within 250 ms\)/);

      // A sink that fails says why: here the log file's folder cannot be made.
      const home = join(sb.work, "home");
      await Deno.mkdir(home);
      await Deno.writeTextFile(join(home, ".local"), "a file, not a folder\n");
      const failed = await run("unshare", [...NS, "exec", "--", "true"], {
        cwd: sb.work,
        env: { ...sb.env, HOME: home },
      });
      assertEquals(failed.code, 0);
      assertEquals(failed.stderr.trim().split("\n").length, 1, failed.stderr);
      assertMatch(failed.stderr, /^warn: +exec: the report was not sent .*sink conf default_out: /);
      // --log-level none asks for silence.
      const quiet = await run("unshare", [...NS, "--log-level", "none", "exec", "--", "true"], {
        cwd: sb.work,
        env: { ...sb.env, HOME: home },
      });
      assertEquals([quiet.code, quiet.stderr], [0, ""]);
    } finally {
      await slow.shutdown();
      await sb.cleanup();
    }
  },
});
