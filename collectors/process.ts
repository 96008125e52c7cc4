/**
 * Facts about a running process read from `/proc/<pid>` (the original's
 * procfs plugin): the `_PROCESS_*` run-time artifact keys of the
 * exec'd workload and the `_OP_ANCESTOR_ARGVS` host key.
 *
 * Times come from `/proc/<pid>/stat` in clock ticks and are reported as
 * float seconds (USER_HZ is 100 on every Linux ABI chalk-ts targets).
 * `_PROCESS_START_TIME` is seconds since boot, as the kernel counts it.
 * Every reader tolerates a vanished process: missing files leave keys out.
 */
import type { MarkDict, MarkValue } from "../codecs/mark_value.ts";
import { readTextIfAny } from "../internal/read_text_if_any.ts";

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ). */
export const CLOCK_TICKS = 100;

const STATES: Record<string, string> = {
  R: "Running",
  S: "Sleeping",
  D: "Waiting",
  Z: "Zombie",
  T: "Stopped",
  t: "Tracing stop",
  X: "Dead",
  x: "Dead",
  K: "Wakekill",
  W: "Waking",
  P: "Parked",
  I: "Idle",
};

const SECCOMP: Record<string, string> = { "0": "disabled", "1": "strict", "2": "filter" };

/** The fields of `/proc/<pid>/stat` that chalk reports. */
export interface ProcStat {
  pid: number;
  /** `comm`, without the parentheses. */
  name: string;
  /** The one-letter state code. */
  state: string;
  ppid: number;
  pgrp: number;
  sid: number;
  ttyNr: number;
  tpgid: number;
  utimeTicks: number;
  stimeTicks: number;
  cutimeTicks: number;
  cstimeTicks: number;
  priority: number;
  nice: number;
  numThreads: number;
  /** Start time in clock ticks after boot: with the pid, identifies one process. */
  startTicks: number;
}

/** A `/proc/<pid>/stat` line that does not have the kernel's shape. */
export class ProcStatError extends Error {
  constructor(source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = "ProcStatError";
  }
}

/**
 * Parses one `/proc/<pid>/stat` line. `comm` may hold spaces and
 * parentheses, so the fields after it are split after the last `)`.
 *
 * @example
 * ```ts
 * parseProcStat("42 (sh) S 1 42 42 0 -1 0 0 0 0 0 5 3 0 0 20 0 1 0 1234 0 0", "stat").ppid; // 1
 * ```
 */
export function parseProcStat(line: string, source = "stat"): ProcStat {
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  if (open < 0 || close < open) throw new ProcStatError(source, "no '(comm)' field");
  const rest = line.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state); starttime is field 22, so rest[19].
  if (rest.length < 20) {
    throw new ProcStatError(source, `${rest.length + 2} fields, expected at least 22`);
  }
  const n = (i: number): number => {
    const v = Number(rest[i]);
    if (!Number.isFinite(v)) throw new ProcStatError(source, `field ${i + 3} is not a number`);
    return v;
  };
  return {
    pid: Number(line.slice(0, open).trim()),
    name: line.slice(open + 1, close),
    state: rest[0],
    ppid: n(1),
    pgrp: n(2),
    sid: n(3),
    ttyNr: n(4),
    tpgid: n(5),
    utimeTicks: n(11),
    stimeTicks: n(12),
    cutimeTicks: n(13),
    cstimeTicks: n(14),
    priority: n(15),
    nice: n(16),
    numThreads: n(17),
    startTicks: n(19),
  };
}

/** Parses `Key:\tvalue` lines (`status`, `fdinfo/N`) into an ordered record. */
export function parseKeyValueLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const i = line.indexOf(":");
    if (i < 0) continue;
    out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

/** Splits `/proc/<pid>/cmdline` (NUL-separated, NUL-terminated) into argv. */
export function parseCmdline(text: string): string[] {
  if (text === "") return [];
  const parts = text.split("\0");
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

/** One line of `/proc/<pid>/mountinfo` as chalk reports it (all values strings). */
export function parseMountInfoLine(line: string): MarkDict | undefined {
  const sep = line.indexOf(" - ");
  if (sep < 0) return undefined;
  const head = line.slice(0, sep).split(" ");
  const tail = line.slice(sep + 3).split(" ");
  if (head.length < 6 || tail.length < 3) return undefined;
  const [major, minor] = head[2].split(":");
  const out: MarkDict = new Map();
  out.set("mount_id", head[0]);
  out.set("parent_id", head[1]);
  if (major !== undefined && minor !== undefined) {
    out.set("major", major);
    out.set("minor", minor);
  }
  out.set("root", head[3]);
  out.set("mount_point", head[4]);
  out.set("options", head[5]);
  out.set("tags", head.slice(6).join(" "));
  out.set("fs_type", tail[0]);
  out.set("source", tail[1]);
  out.set("super", tail.slice(2).join(" "));
  return out;
}

function readLink(path: string): string | undefined {
  try {
    return Deno.readLinkSync(path);
  } catch {
    return undefined;
  }
}

/** The stat fields of a live process; undefined when it is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  const text = readTextIfAny(`/proc/${pid}/stat`);
  if (text === undefined) return undefined;
  try {
    return parseProcStat(text.trim(), `/proc/${pid}/stat`);
  } catch {
    return undefined;
  }
}

/**
 * True while process `pid` exists, is not a zombie, and (when given) still
 * has start time `startTicks`: a recycled pid is another process.
 */
export function processRunning(pid: number, startTicks?: number): boolean {
  const stat = readProcStat(pid);
  if (!stat) return false;
  if (stat.state === "Z" || stat.state === "X" || stat.state === "x") return false;
  return startTicks === undefined || stat.startTicks === startTicks;
}

/** argv of process `pid` from `/proc/<pid>/cmdline`; undefined when unreadable. */
export function readArgv(pid: number): string[] | undefined {
  const text = readTextIfAny(`/proc/${pid}/cmdline`);
  return text === undefined ? undefined : parseCmdline(text);
}

function ints(text: string): bigint[] {
  return text.split(/\s+/).filter((s) => /^\d+$/.test(s)).map((s) => BigInt(s));
}

function seconds(ticks: number): number {
  return ticks / CLOCK_TICKS;
}

function fdInfo(pid: number): MarkDict | undefined {
  let names: string[];
  try {
    names = [...Deno.readDirSync(`/proc/${pid}/fdinfo`)].map((e) => e.name)
      .filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
  } catch {
    return undefined;
  }
  const out: MarkDict = new Map();
  for (const fd of names) {
    const text = readTextIfAny(`/proc/${pid}/fdinfo/${fd}`);
    if (text === undefined) continue;
    const entry: MarkDict = new Map(parseKeyValueLines(text));
    const target = readLink(`/proc/${pid}/fd/${fd}`);
    if (target !== undefined) entry.set("path", target);
    out.set(fd, entry);
  }
  return out;
}

function mountInfo(pid: number): MarkValue[] | undefined {
  const text = readTextIfAny(`/proc/${pid}/mountinfo`);
  if (text === undefined) return undefined;
  const out: MarkValue[] = [];
  for (const line of text.split("\n")) {
    const m = parseMountInfoLine(line);
    if (m) out.push(m);
  }
  return out;
}

/** `/proc/<pid>/status` as key → value; undefined when the process is gone. */
function readStatus(pid: number | "self"): Map<string, string> | undefined {
  const text = readTextIfAny(`/proc/${pid}/status`);
  return text === undefined ? undefined : parseKeyValueLines(text);
}

/** Fields of `status` copied as text into `_PROCESS_DETAIL`. */
const STATUS_DETAIL = [["Umask", "umask"], ["Uid", "uid"], ["Gid", "gid"], [
  "FDSize",
  "fdsize",
]] as const;

/** The `_PROCESS_*` keys read from a process's `status` file. */
function statusKeys(status: Map<string, string>): MarkDict {
  const keys: MarkDict = new Map();
  const umask = status.get("Umask");
  if (umask !== undefined && /^[0-7]+$/.test(umask)) {
    keys.set("_PROCESS_UMASK", BigInt(parseInt(umask, 8)));
  }
  const uid = status.get("Uid");
  if (uid !== undefined) keys.set("_PROCESS_UID", ints(uid));
  const gid = status.get("Gid");
  if (gid !== undefined) keys.set("_PROCESS_GID", ints(gid));
  const fdSize = status.get("FDSize");
  if (fdSize !== undefined && /^\d+$/.test(fdSize)) {
    keys.set("_PROCESS_NUM_FD_SIZE", BigInt(fdSize));
  }
  const groups = status.get("Groups");
  if (groups !== undefined) keys.set("_PROCESS_GROUPS", ints(groups));
  const seccomp = status.get("Seccomp");
  if (seccomp !== undefined) {
    keys.set("_PROCESS_SECCOMP_STATUS", SECCOMP[seccomp] ?? "unknown");
  }
  return keys;
}

/**
 * The `_PROCESS_*` keys a program keeps across execve from the process that
 * runs it (this one): umask, groups, seccomp mode, and UID / GID unless the
 * program is set-user-ID / set-group-ID. What chalk knows of a workload that
 * ended before it could be looked at.
 */
export function inheritedProcessKeys(program: string): MarkDict {
  const status = readStatus("self");
  if (status === undefined) return new Map();
  const keys = statusKeys(status);
  keys.delete("_PROCESS_NUM_FD_SIZE");
  let mode = 0;
  try {
    mode = Deno.statSync(program).mode ?? 0;
  } catch {
    // unreadable: its set-ID bits are unknown, so are its IDs
    mode = 0o6000;
  }
  if (mode & 0o4000) keys.delete("_PROCESS_UID");
  if (mode & 0o2000) keys.delete("_PROCESS_GID");
  return keys;
}

/**
 * The `_PROCESS_*` keys of process `pid`. Empty when the process is gone;
 * a process that ends half-way leaves out the keys read after its end.
 * `_PROCESS_UMASK` is the umask's value (0o022 → 18).
 */
export function processKeys(pid: number): MarkDict {
  const keys: MarkDict = new Map();
  const stat = readProcStat(pid);
  if (!stat) return keys;
  const state = STATES[stat.state] ?? stat.state;
  keys.set("_PROCESS_PID", BigInt(pid));
  keys.set("_PROCESS_PARENT_PID", BigInt(stat.ppid));
  keys.set("_PROCESS_PGID", BigInt(stat.pgrp));
  keys.set("_PROCESS_START_TIME", seconds(stat.startTicks));
  keys.set("_PROCESS_UTIME", seconds(stat.utimeTicks));
  keys.set("_PROCESS_STIME", seconds(stat.stimeTicks));
  keys.set("_PROCESS_CHILDREN_UTIME", seconds(stat.cutimeTicks));
  keys.set("_PROCESS_CHILDREN_STIME", seconds(stat.cstimeTicks));
  keys.set("_PROCESS_STATE", state);
  // _PROCESS_DETAIL: everything as strings, as the procfs plugin reports it.
  const detail: MarkDict = new Map<string, MarkValue>([
    ["name", stat.name],
    ["state", state],
    ["ppid", String(stat.ppid)],
    ["pgrp", String(stat.pgrp)],
    ["sid", String(stat.sid)],
    ["tty_nr", String(stat.ttyNr)],
    ["tpgid", String(stat.tpgid)],
    ["user_time", String(seconds(stat.utimeTicks))],
    ["system_time", String(seconds(stat.stimeTicks))],
    ["child_utime", String(seconds(stat.cutimeTicks))],
    ["child_stime", String(seconds(stat.cstimeTicks))],
    ["priority", String(stat.priority)],
    ["nice", String(stat.nice)],
    ["num_threads", String(stat.numThreads)],
    ["runtime", String(seconds(stat.startTicks))],
  ]);

  const status = readStatus(pid);
  if (status !== undefined) {
    for (const [k, v] of statusKeys(status)) keys.set(k, v);
    for (const [k, name] of STATUS_DETAIL) {
      const v = status.get(k);
      if (v !== undefined) detail.set(name, v);
    }
  }

  const argv = readArgv(pid);
  if (argv !== undefined && argv.length > 0) keys.set("_PROCESS_ARGV", argv);
  const cwd = readLink(`/proc/${pid}/cwd`);
  if (cwd !== undefined) keys.set("_PROCESS_CWD", cwd);
  const exe = readLink(`/proc/${pid}/exe`);
  if (exe !== undefined) keys.set("_PROCESS_EXE_PATH", exe);
  const comm = readTextIfAny(`/proc/${pid}/comm`)?.trim();
  if (comm) keys.set("_PROCESS_COMMAND_NAME", comm);
  const fds = fdInfo(pid);
  if (fds !== undefined) keys.set("_PROCESS_FD_INFO", fds);
  const mounts = mountInfo(pid);
  if (mounts !== undefined) keys.set("_PROCESS_MOUNT_INFO", mounts);
  if (argv !== undefined) detail.set("argv", JSON.stringify(argv));
  if (comm) detail.set("command", comm);
  if (cwd !== undefined) detail.set("cwd", cwd);
  if (exe !== undefined) detail.set("path", exe);
  keys.set("_PROCESS_DETAIL", detail);
  return keys;
}

/**
 * `_OP_ANCESTOR_ARGVS`: the argv of each ancestor of `pid`, nearest first,
 * up to and including PID 1 (or the first ancestor that cannot be read).
 */
export function ancestorArgvs(pid: number): string[][] {
  const out: string[][] = [];
  const seen = new Set<number>([pid]);
  let current = readProcStat(pid)?.ppid ?? 0;
  while (current > 0 && !seen.has(current)) {
    seen.add(current);
    const argv = readArgv(current);
    const stat = readProcStat(current);
    if (argv === undefined || !stat) break;
    out.push(argv);
    current = stat.ppid;
  }
  return out;
}
