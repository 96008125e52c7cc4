/** The procfs collector on text samples and on real processes spawned per test. */
import { assert, assertEquals } from "../_assert.ts";
import {
  ancestorArgvs,
  parseCmdline,
  parseMountInfoLine,
  parseProcStat,
  processKeys,
  processRunning,
  ProcStatError,
  readArgv,
  readProcStat,
} from "../../collectors/process.ts";

const STAT_TAIL = "S 1 42 42 0 -1 4194560 100 0 0 0 250 37 12 9 20 0 1 0 123456 0 0";

Deno.test("parseProcStat splits after the last ')' of a comm holding spaces and parens", () => {
  const s = parseProcStat(`42 (a (b) c) ${STAT_TAIL}`);
  assertEquals(s.pid, 42);
  assertEquals(s.name, "a (b) c");
  assertEquals(s.state, "S");
  assertEquals(s.ppid, 1);
  assertEquals(s.pgrp, 42);
  assertEquals(s.utimeTicks, 250);
  assertEquals(s.stimeTicks, 37);
  assertEquals(s.cutimeTicks, 12);
  assertEquals(s.cstimeTicks, 9);
  assertEquals(s.numThreads, 1);
  assertEquals(s.startTicks, 123456);
});

Deno.test("parseProcStat rejects a truncated line with the field count", () => {
  let caught: unknown;
  try {
    parseProcStat("42 (sh) S 1 2", "/proc/42/stat");
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof ProcStatError);
  assert(caught.message.startsWith("/proc/42/stat: 5 fields"), caught.message);
});

Deno.test("parseCmdline drops the trailing NUL and keeps empty arguments", () => {
  assertEquals(parseCmdline("sh\0-c\0\0x\0"), ["sh", "-c", "", "x"]);
  assertEquals(parseCmdline(""), []);
});

Deno.test("parseMountInfoLine keeps optional fields and reads the part after ' - '", () => {
  const m = parseMountInfoLine(
    "36 35 98:0 /mnt1 /mnt2 rw,noatime shared:1 master:2 - ext3 /dev/root rw,errors=continue",
  )!;
  assertEquals(Object.fromEntries(m), {
    mount_id: "36",
    parent_id: "35",
    major: "98",
    minor: "0",
    root: "/mnt1",
    mount_point: "/mnt2",
    options: "rw,noatime",
    tags: "shared:1 master:2",
    fs_type: "ext3",
    source: "/dev/root",
    super: "rw,errors=continue",
  });
  assertEquals(parseMountInfoLine("not a mount line"), undefined);
});

async function withSleeper(
  fn: (child: Deno.ChildProcess, dir: string) => Promise<void> | void,
): Promise<void> {
  const dir = await Deno.realPath(await Deno.makeTempDir({ prefix: "chalk_proc_" }));
  const child = new Deno.Command("sh", {
    args: ["-c", "umask 027; exec sleep 30", "ignored"],
    cwd: dir,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    // Wait until the shell has exec'd sleep and sleep is asleep.
    const ready = () =>
      readArgv(child.pid)?.[0] === "sleep" && readProcStat(child.pid)?.state === "S";
    for (let i = 0; i < 500 && !ready(); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await fn(child, dir);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
    await child.status;
    await Deno.remove(dir, { recursive: true });
  }
}

async function text(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

Deno.test("processKeys describes a live process as the kernel and coreutils see it", async () => {
  await withSleeper(async (child, dir) => {
    const k = processKeys(child.pid);
    assertEquals(k.get("_PROCESS_PID"), BigInt(child.pid));
    assertEquals(k.get("_PROCESS_PARENT_PID"), BigInt(Deno.pid));
    assertEquals(k.get("_PROCESS_ARGV"), ["sleep", "30"]);
    assertEquals(k.get("_PROCESS_CWD"), dir);
    assertEquals(
      k.get("_PROCESS_EXE_PATH"),
      await Deno.realPath(await text("sh", ["-c", "command -v sleep"])),
    );
    assertEquals(k.get("_PROCESS_COMMAND_NAME"), "sleep");
    assertEquals(k.get("_PROCESS_STATE"), "Sleeping");
    assertEquals(k.get("_PROCESS_UMASK"), 0o027n);
    const uid = BigInt(await text("id", ["-u"]));
    assertEquals(k.get("_PROCESS_UID"), [uid, uid, uid, uid]);
    const gid = BigInt(await text("id", ["-g"]));
    assertEquals((k.get("_PROCESS_GID") as bigint[])[0], gid);
    assertEquals(k.get("_PROCESS_SECCOMP_STATUS"), "disabled");
    const fds = k.get("_PROCESS_FD_INFO") as Map<string, Map<string, unknown>>;
    assertEquals([...fds.keys()].slice(0, 3), ["0", "1", "2"]);
    assertEquals(fds.get("0")?.get("path"), "/dev/null");
    const mounts = k.get("_PROCESS_MOUNT_INFO") as Map<string, unknown>[];
    assert(mounts.some((m) => m.get("mount_point") === "/"), "no root mount");
    const start = k.get("_PROCESS_START_TIME") as number;
    const uptime = Number((await Deno.readTextFile("/proc/uptime")).split(" ")[0]);
    assert(start > 0 && start <= uptime, `start ${start} uptime ${uptime}`);
    assert((k.get("_PROCESS_DETAIL") as Map<string, unknown>).get("name") === "sleep");
  });
});

Deno.test("processRunning tells a live process from a gone or recycled one", async () => {
  let pid = 0;
  let ticks = 0;
  await withSleeper((child) => {
    pid = child.pid;
    ticks = readProcStat(pid)!.startTicks;
    assert(processRunning(pid, ticks));
    assert(!processRunning(pid, ticks + 1), "a different start time is another process");
  });
  assert(!processRunning(pid, ticks), "reaped process still counted as running");
  assertEquals(processKeys(pid).size, 0);
});

Deno.test("ancestorArgvs lists this test process first for its child", async () => {
  await withSleeper((child) => {
    const ancestors = ancestorArgvs(child.pid);
    assertEquals(ancestors[0], readArgv(Deno.pid));
    assert(ancestors.length >= 2, "the test runner has a parent too");
  });
});
