/**
 * `chalk exec` in its default mode (docs/decisions.md,
 * "exec keeps the workload's PID"), driven through the built program with real
 * workloads: the workload replaces chalk (same PID, stdio, signals, exit
 * status) and the detached reporter logs the exec report.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, ROOT, type Sandbox, sandbox } from "../e2e/_chalk.ts";
import { readArgv } from "../../collectors/process.ts";
import {
  firstChalk,
  ofOperation,
  readLog,
  startChalk,
  waitForLog,
  waitForReporterExit,
} from "./_exec.ts";

const FIXTURES = join(ROOT, "fixtures", "exec");

/** Where the sandbox's PATH finds the program `name` (as chalk's own lookup does). */
function which(sb: Sandbox, name: string): string {
  for (const dir of sb.env.PATH.split(":")) {
    try {
      if ((Deno.statSync(join(dir, name)).mode! & 0o111) !== 0) return join(dir, name);
    } catch {
      // not here
    }
  }
  throw new Error(`${name} not on PATH`);
}

Deno.test("exec passes argv words starting with dashes to the workload verbatim", async () => {
  const sb = await sandbox();
  try {
    // With `--` and without: `-l` and `--trace` are chalk flags before `exec`, not after it.
    const a = await sb.chalk(["exec", "--", "printf", "%s|", "-a", "--b", "--", "-l", ""]);
    assertEquals([a.code, a.stdout], [0, "-a|--b|--|-l||"]);
    const b = await sb.chalk(["exec", "printf", "%s|", "-l", "--trace", "x y"]);
    assertEquals([b.code, b.stdout], [0, "-l|--trace|x y|"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec ends with the workload's own exit status: 0, 1 and 137 (SIGKILL)", async () => {
  const sb = await sandbox();
  try {
    for (const [script, code] of [["exit 0", 0], ["exit 1", 1], ["kill -9 $$", 137]] as const) {
      const r = await sb.chalk(["exec", "--", "sh", "-c", script]);
      assertEquals(r.code, code, `${script}: ${r.stderr}`);
    }
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec hands stdin, stdout and stderr to the workload", async () => {
  const sb = await sandbox();
  try {
    const r = await sb.chalk(["exec", "--", "sh", "-c", "tr a-z A-Z; echo err >&2"], {
      stdin: "hello\nworld\n",
    });
    assertEquals([r.code, r.stdout, r.stderr], [0, "HELLO\nWORLD\n", "err\n"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec keeps chalk's PID for the workload and reports it", async () => {
  const sb = await sandbox();
  try {
    // The workload waits on stdin until the report is in, so it is alive when collected.
    const s = startChalk(sb, ["exec", "--", "sh", "-c", "echo $$; read x || :", "name", "-x"]);
    const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
    const r = await s.finish();
    assertEquals([r.code, r.stdout.trim()], [0, String(s.child.pid)]);
    const report = ofOperation(log, "exec")[0];
    const chalk = firstChalk(report);
    assertEquals(chalk._PROCESS_PID, s.child.pid);
    assertEquals(chalk._PROCESS_PARENT_PID, Deno.pid);
    assertEquals(chalk._PROCESS_ARGV, [
      which(sb, "sh"),
      "-c",
      "echo $$; read x || :",
      "name",
      "-x",
    ]);
    assertEquals(chalk._PROCESS_CWD, await Deno.realPath(sb.work));
    assertEquals(chalk._OP_ARTIFACT_PATH, which(sb, "sh"));
    assertEquals(chalk._PROCESS_STATE, "Sleeping");
    assertEquals((chalk._PROCESS_UID as number[]).length, 4);
    assertMatch(report._EXEC_ID as string, /^[0-9a-f]{16}$/);
    assertEquals(report._OP_ARGV, [
      CHALK,
      "exec",
      "--",
      "sh",
      "-c",
      "echo $$; read x || :",
      "name",
      "-x",
    ]);
    // The nearest ancestor of the workload is this test process.
    assertEquals((report._OP_ANCESTOR_ARGVS as string[][])[0], readArgv(Deno.pid));
    assertEquals(report._OP_UNMARKED_COUNT, 1);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec resets the signal dispositions and mask Deno leaves behind", async () => {
  const sb = await sandbox();
  try {
    // This test process is a Deno process too: SIGPIPE (bit 13) is ignored here.
    const own = /SigIgn:\s*([0-9a-f]+)/.exec(await Deno.readTextFile("/proc/self/status"))![1];
    assert((BigInt(`0x${own}`) & (1n << 12n)) !== 0n, "control: Deno ignores SIGPIPE");
    const r = await sb.chalk(["exec", "--", "grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"]);
    assertEquals(r.stdout, "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
    // The visible effect: `yes` dies of SIGPIPE quietly instead of failing on EPIPE.
    const p = await sb.chalk(["exec", "--", "sh", "-c", "yes | head -n 1"]);
    assertEquals([p.code, p.stdout, p.stderr], [0, "y\n", ""]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec leaves SIGTERM to the workload's own handler", async () => {
  const sb = await sandbox();
  try {
    const s = startChalk(sb, [
      "exec",
      "--",
      "sh",
      "-c",
      'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.05; done',
    ]);
    await s.waitForStdout("ready");
    Deno.kill(s.child.pid, "SIGTERM");
    const r = await s.finish();
    assertEquals([r.code, r.stdout], [42, "ready\ngot-term\n"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec reports the mark of a chalked program", async () => {
  const sb = await sandbox();
  try {
    const script = join(sb.work, "hi.sh");
    await Deno.copyFile(join(FIXTURES, "hi.sh"), script);
    await Deno.chmod(script, 0o755);
    const ins = await sb.chalk(["insert", "hi.sh"]);
    assertEquals(ins.code, 0, ins.stderr);
    const chalkId = (JSON.parse(ins.stdout)[0]._CHALKS[0].CHALK_ID) as string;
    const r = await sb.chalk(["exec", "--exec-command-name", "./hi.sh", "--", "-n", "a b"]);
    assertEquals([r.code, r.stdout], [0, "hi from the workload: -n|a b|\n"]);
    const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
    const chalk = firstChalk(ofOperation(log, "exec")[0]);
    assertEquals(chalk.CHALK_ID, chalkId);
    assertEquals(chalk._OP_ARTIFACT_PATH, script);
    assertEquals(chalk._OP_ARTIFACT_TYPE, "sh");
    assertEquals(chalk._VALIDATED_METADATA, true);
    assertEquals(ofOperation(log, "exec")[0]._OP_CHALK_COUNT, 1);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec starts its reporter with CHALK_TS_RUNTIME and hides it from the workload", async () => {
  const sb = await sandbox();
  try {
    const marker = join(sb.work, "runtime-used");
    const runtime = JSON.stringify([
      "/bin/sh",
      join(FIXTURES, "runtime_marker.sh"),
      marker,
      Deno.execPath(),
      "run",
      "-A",
      CHALK,
    ]);
    const r = await startChalk(sb, [
      "exec",
      "--",
      "sh",
      "-c",
      'echo "${CHALK_TS_RUNTIME-unset} $MY_VAR"',
    ], { env: { CHALK_TS_RUNTIME: runtime, MY_VAR: "a b=c" } }).finish();
    // The rest of the environment is the workload's, unchanged.
    assertEquals(r.stdout, "unset a b=c\n");
    await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
    assert((await Deno.stat(marker)).isFile, "the reporter did not start through the runtime");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec fails with exit 1 when the program is missing or cannot be exec'd", async () => {
  const sb = await sandbox();
  try {
    const missing = await sb.chalk(["exec", "--", "no-such-program-here"]);
    assertEquals(missing.code, 1);
    assertMatch(missing.stderr, /No executable named 'no-such-program-here' found in your path/);
    const none = await sb.chalk(["exec"]);
    assertEquals(none.code, 1);
    // The tutorial's pitfall: a script without `#!` is not executable by execve.
    const bad = join(sb.work, "noshebang.sh");
    await Deno.writeTextFile(bad, "echo never\n", { mode: 0o755 });
    const r = await sb.chalk(["exec", "--", "./noshebang.sh"]);
    assertEquals(r.code, 1);
    assertMatch(r.stderr, /when execing '.*noshebang.sh': Exec format error/);
    assertMatch(r.stderr, /exec could not find a working executable to run/);
    // The reporter was told: no exec report for a workload that never ran, nothing spooled.
    await new Promise((res) => setTimeout(res, 1500));
    assertEquals(ofOperation(readLog(sb.home), "exec").length, 0);
    const pending = join(sb.home, ".local", "chalk", "exec-pending");
    assertEquals([...Deno.readDirSync(pending)].length, 0);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec refuses a bad duration flag as a usage error: exit 2, workload not run", async () => {
  const sb = await sandbox();
  try {
    const marker = join(sb.work, "ran");
    for (const flags of [["--heartbeat-rate", "abc"], ["--report-wait", "xyz"]]) {
      for (const mode of [[], ["--chalk-as-parent"]]) {
        const r = await sb.chalk(["exec", ...mode, ...flags, "--", "touch", marker]);
        assertEquals(r.code, 2, `${flags} ${mode}: ${r.stderr}`);
        assertEquals(
          r.stderr.split("\n").filter((l) => l.startsWith("error:")),
          [`error: ${flags[0]}: '${flags[1]}' is not ${
            flags[0] === "--report-wait" ? "a" : "a positive"
          } duration (e.g. 20s, 500ms)`],
        );
        assertEquals(await Deno.stat(marker).then(() => true, () => false), false);
      }
    }
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec still reports a workload that exits at once", async () => {
  const sb = await sandbox();
  try {
    const s = startChalk(sb, ["exec", "--", "true"]);
    assertEquals((await s.finish()).code, 0);
    const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
    const chalk = firstChalk(ofOperation(log, "exec")[0]);
    assertEquals(chalk._PROCESS_PID, s.child.pid);
    assertEquals(chalk._PROCESS_ARGV, [which(sb, "true")]);
    assertEquals(chalk._OP_ARTIFACT_PATH, which(sb, "true"));
    // Published: the spool is empty again.
    const pending = join(sb.home, ".local", "chalk", "exec-pending");
    await waitForLog(sb.home, () => [...Deno.readDirSync(pending)].length === 0);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec heartbeats with increasing counts and the exec id until the workload ends", async () => {
  const sb = await sandbox();
  try {
    const r = await sb.chalk([
      "exec",
      "--heartbeat",
      "--heartbeat-rate",
      "100ms",
      "--",
      "sleep",
      "2",
    ]);
    assertEquals(r.code, 0);
    const ended = Date.now();
    const log = await waitForLog(sb.home, (l) => ofOperation(l, "heartbeat").length >= 3);
    // The reporter stops after the workload: once it has exited, the count is final.
    await waitForReporterExit(ofOperation(log, "exec")[0]._EXEC_ID as string);
    const final = readLog(sb.home);
    const exec = ofOperation(log, "exec")[0];
    const beats = ofOperation(final, "heartbeat");
    // At most one per 100 ms of a 2 s workload, plus one under way.
    assert(beats.length >= 3 && beats.length <= 21, `${beats.length} beats`);
    beats.forEach((b, i) => {
      assertEquals(b._HEARTBEAT_COUNT, i + 1);
      assertEquals(b._EXEC_ID, exec._EXEC_ID);
      if (i > 0) {
        assert((b._SINCE_MONOTIME as number) > (beats[i - 1]._SINCE_MONOTIME as number));
        assert((b._SINCE_TIMESTAMP as number) >= (beats[i - 1]._SINCE_TIMESTAMP as number));
      }
    });
    // No beat long after the workload ended (one may have been under way).
    const last = beats[beats.length - 1]._TIMESTAMP as number;
    assert(last < ended + 1000, `a beat ${last - ended} ms after the workload ended`);
    // The heartbeat template: identity and timing only.
    assertEquals(Object.keys(beats[0]).sort(), [
      "_ACTION_ID",
      "_DATETIME",
      "_EXEC_ID",
      "_HEARTBEAT_COUNT",
      "_OPERATION",
      "_SINCE_MONOTIME",
      "_SINCE_TIMESTAMP",
      "_TIMESTAMP",
    ]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec tries the next program on the path when one cannot be exec'd", async () => {
  const base = await Deno.makeTempDir({ prefix: "chalk_exec_path_" });
  const sb = await sandbox({
    PATH: `${base}/a:${base}/b:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
  });
  try {
    await Deno.mkdir(join(base, "a"));
    await Deno.mkdir(join(base, "b"));
    await Deno.writeTextFile(join(base, "a", "tool"), "no shebang\n", { mode: 0o755 });
    await Deno.writeTextFile(join(base, "b", "tool"), '#!/bin/sh\necho from-b "$@"\n', {
      mode: 0o755,
    });
    const r = await sb.chalk(["exec", "--", "tool", "-q"]);
    assertEquals([r.code, r.stdout], [0, "from-b -q\n"]);
    assertMatch(r.stderr, /when execing '.*\/a\/tool': Exec format error/);
    const log = await waitForLog(sb.home, (l) => ofOperation(l, "exec").length === 1);
    assertEquals(
      firstChalk(ofOperation(log, "exec")[0])._OP_ARTIFACT_PATH,
      join(base, "b", "tool"),
    );
  } finally {
    await sb.cleanup();
    await Deno.remove(base, { recursive: true });
  }
});
