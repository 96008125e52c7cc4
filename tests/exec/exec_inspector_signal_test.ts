/**
 * SIGUSR1 must not open Deno's inspector in any chalk process (internal/inspector_signal.ts):
 * Deno 2.9.2+ listens on 127.0.0.1:9229 when `deno run` gets SIGUSR1, and anyone who can
 * connect runs code in chalk. As parent, chalk still passes the signal on to its workload.
 */
import { assert, assertEquals } from "../_assert.ts";
import { sandbox } from "../e2e/_chalk.ts";
import { startChalk } from "./_exec.ts";

/** Inodes of the TCP sockets in LISTEN state (IPv4 and IPv6). */
function listeningInodes(): Set<string> {
  const out = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = Deno.readTextFileSync(file);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols[3] === "0A") out.add(cols[9]);
    }
  }
  return out;
}

/** The listening TCP sockets process `pid` holds. */
function listenersOf(pid: number): string[] {
  const listening = listeningInodes();
  const held: string[] = [];
  for (const e of Deno.readDirSync(`/proc/${pid}/fd`)) {
    try {
      const inode = /^socket:\[(\d+)\]$/.exec(Deno.readLinkSync(`/proc/${pid}/fd/${e.name}`))?.[1];
      if (inode && listening.has(inode)) held.push(inode);
    } catch {
      // closed meanwhile
    }
  }
  return held;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("exec as parent passes SIGUSR1 on and opens no inspector port", async () => {
  const sb = await sandbox();
  try {
    const s = startChalk(sb, [
      "exec",
      "--chalk-as-parent",
      "--",
      "sh",
      "-c",
      'trap "echo usr1" USR1; echo ready; while :; do sleep 0.05; done',
    ]);
    await s.waitForStdout("ready");
    // Deno arms its SIGUSR1 listener half a second after it starts.
    await sleep(1200);
    Deno.kill(s.child.pid, "SIGUSR1");
    await s.waitForStdout("usr1");
    await sleep(300);
    assertEquals(listenersOf(s.child.pid), [], "chalk listens on a TCP port after SIGUSR1");
    Deno.kill(s.child.pid, "SIGTERM");
    const r = await s.finish();
    assert(!r.stderr.includes("Debugger listening"), r.stderr);
    assertEquals(r.stdout, "ready\nusr1\n");
  } finally {
    await sb.cleanup();
  }
});

/** PIDs of the exec reporters running with HOME `home`. */
function reportersOf(home: string): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const argv = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
      const env = Deno.readTextFileSync(`/proc/${e.name}/environ`).split("\0");
      if (argv.includes("__exec-report") && env.includes(`HOME=${home}`)) out.push(Number(e.name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

Deno.test("a long-running chalk (the heartbeat reporter) ends on SIGUSR1, no inspector", async () => {
  const sb = await sandbox();
  try {
    const s = startChalk(sb, [
      "exec",
      "--heartbeat",
      "--heartbeat-rate",
      "1s",
      "--",
      "sleep",
      "30",
    ]);
    let reporters: number[] = [];
    for (let i = 0; i < 100 && reporters.length === 0; i++) {
      await sleep(50);
      reporters = reportersOf(sb.home);
    }
    assertEquals(reporters.length, 1, "one reporter runs");
    const [reporter] = reporters;
    // Past Deno's half second before it arms its SIGUSR1 listener.
    await sleep(1200);
    Deno.kill(reporter, "SIGUSR1");
    for (let i = 0; i < 40 && reportersOf(sb.home).length > 0; i++) await sleep(50);
    assertEquals(reportersOf(sb.home), [], "the reporter ended on SIGUSR1");
    Deno.kill(s.child.pid, "SIGTERM");
    const r = await s.finish();
    assert(!r.stderr.includes("Debugger listening"), r.stderr);
  } finally {
    await sb.cleanup();
  }
});
