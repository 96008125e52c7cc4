/**
 * `chalk exec --chalk-as-parent` (docs/exec.md) through the built program: the
 * workload is chalk's child, signals are forwarded, chalk exits with the
 * workload's status, and as PID 1 it reaps orphaned zombies.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, ROOT, run, sandbox } from "../e2e/_chalk.ts";
import { canUnshare, firstChalk, ofOperation, readLog, startChalk } from "./_exec.ts";

const PARENT = ["exec", "--chalk-as-parent"];

Deno.test("exec as parent exits with the workload's status: 0, 1 and 137 (SIGKILL)", async () => {
  const sb = await sandbox();
  try {
    for (const [script, code] of [["exit 0", 0], ["exit 1", 1], ["kill -9 $$", 137]] as const) {
      const r = await sb.chalk([...PARENT, "--", "sh", "-c", script]);
      assertEquals(r.code, code, `${script}: ${r.stderr}`);
    }
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec as parent passes dashed argv and stdin through", async () => {
  const sb = await sandbox();
  try {
    const r = await sb.chalk([
      ...PARENT,
      "--",
      "sh",
      "-c",
      'printf "%s|" "$@"; tr a-z A-Z',
      "0",
      "-x",
      "--y",
    ], {
      stdin: "abc\n",
    });
    assertEquals([r.code, r.stdout], [0, "-x|--y|ABC\n"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec as parent forwards SIGTERM, SIGUSR1 and SIGHUP to the workload", async () => {
  const sb = await sandbox();
  try {
    const s = startChalk(sb, [
      ...PARENT,
      "--",
      "sh",
      "-c",
      'trap "echo usr1" USR1; trap "echo hup" HUP; trap "echo term; exit 42" TERM; ' +
      "echo ready; while :; do sleep 0.05; done",
    ]);
    await s.waitForStdout("ready");
    Deno.kill(s.child.pid, "SIGUSR1");
    await s.waitForStdout("usr1");
    Deno.kill(s.child.pid, "SIGHUP");
    await s.waitForStdout("hup");
    Deno.kill(s.child.pid, "SIGTERM");
    const r = await s.finish();
    assertEquals([r.code, r.stdout], [42, "ready\nusr1\nhup\nterm\n"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec as parent reports its child and delivers before exiting", async () => {
  const sb = await sandbox();
  try {
    const s = startChalk(sb, [...PARENT, "--", "sh", "-c", "echo $$"]);
    const r = await s.finish();
    const workloadPid = Number(r.stdout.trim());
    assert(workloadPid !== s.child.pid, "the workload is a child, not chalk itself");
    // The report is written before chalk exits, even for a workload that ends at once.
    const exec = ofOperation(readLog(sb.home), "exec");
    assertEquals(exec.length, 1);
    assertEquals(firstChalk(exec[0])._PROCESS_PID, workloadPid);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("exec as parent heartbeats until the workload ends, then exits", async () => {
  const sb = await sandbox();
  try {
    const t0 = Date.now();
    const r = await sb.chalk([
      ...PARENT,
      "--heartbeat",
      "--heartbeat-rate",
      "100ms",
      "--",
      "sleep",
      "0.8",
    ]);
    const took = Date.now() - t0;
    assertEquals(r.code, 0);
    assert(took < 5000, `chalk lingered ${took} ms after its workload`);
    const log = readLog(sb.home);
    const exec = ofOperation(log, "exec")[0];
    const beats = ofOperation(log, "heartbeat");
    assert(beats.length >= 3, `${beats.length} beats`);
    beats.forEach((b, i) => {
      assertEquals(b._HEARTBEAT_COUNT, i + 1);
      assertEquals(b._EXEC_ID, exec._EXEC_ID);
    });
    await new Promise((res) => setTimeout(res, 300));
    assertEquals(ofOperation(readLog(sb.home), "heartbeat").length, beats.length);
  } finally {
    await sb.cleanup();
  }
});

const ORPHANS = 'for i in 1 2 3; do sh -c "sleep 0.1 & exit 0"; done; ' +
  `exec "${Deno.execPath()}" run -A "${join(ROOT, "fixtures", "exec", "zombie_count.ts")}" 1500`;

Deno.test({
  name: "exec as PID 1 parent reaps orphaned zombies (default mode leaves them)",
  ignore: !canUnshare(),
  fn: async () => {
    const sb = await sandbox();
    try {
      const ns = ["--pid", "--fork", "--mount-proc", CHALK];
      const parent = await run("unshare", [...ns, ...PARENT, "--", "sh", "-c", ORPHANS], {
        cwd: sb.work,
        env: sb.env,
      });
      assertEquals([parent.code, parent.stdout], [0, "zombies=0\n"], parent.stderr);
      // Control: the workload as PID 1 does not reap, so the orphans stay zombies.
      const control = await run("unshare", [...ns, "exec", "--", "sh", "-c", ORPHANS], {
        cwd: sb.work,
        env: sb.env,
      });
      const n = Number(/zombies=(\d+)/.exec(control.stdout)?.[1]);
      assert(n >= 3, `control left ${control.stdout}`);
    } finally {
      await sb.cleanup();
    }
  },
});

function hasScript(): boolean {
  try {
    return new Deno.Command("script", { args: ["--version"] }).outputSync().success;
  } catch {
    return false;
  }
}

/** Runs `chalk exec --chalk-as-parent -- WORKLOAD` on a pseudo-terminal, types Ctrl-C after "ready". */
async function ctrlC(workload: string): Promise<string> {
  const sb = await sandbox();
  try {
    // util-linux `script` runs chalk on a pseudo-terminal fed by our pipe.
    const child = new Deno.Command("script", {
      args: ["-qfec", `exec ${CHALK} exec --chalk-as-parent -- ${workload}`, "/dev/null"],
      cwd: sb.work,
      env: sb.env,
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("ready")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    await writer.write(new Uint8Array([3]));
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    await writer.close().catch(() => {});
    await child.status;
    return out;
  } finally {
    await sb.cleanup();
  }
}

const TRAP = join(ROOT, "fixtures", "exec", "trap_int.sh");

Deno.test({
  name: "exec as parent on a terminal lets Ctrl-C reach the workload once",
  ignore: !hasScript(),
  fn: async () => {
    const out = await ctrlC(TRAP);
    // The terminal echoes "^C" just before the trap's line.
    assertEquals(out.match(/INT\r?\n/g)?.length, 1, out);
    assert(out.includes("done"), out);
  },
});

Deno.test({
  name: "exec as parent in the terminal's foreground leaves Ctrl-C to the terminal",
  ignore: !hasScript(),
  fn: async () => {
    // A workload in its own session does not get the terminal's SIGINT, so it sees
    // whether chalk forwarded one: it must not have (the terminal already sent it).
    const out = await ctrlC(`setsid -w sh ${TRAP}`);
    assert(out.includes("done"), out);
    assertEquals(out.match(/INT\r?\n/g), null, out);
  },
});
