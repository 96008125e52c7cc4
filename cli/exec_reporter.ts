/**
 * The detached reporter of `chalk exec` (commands-runtime §8.2, D13): a
 * second chalk process, started as the hidden command `__exec-report <job>`
 * just before chalk execs the workload. It learns that the exec happened
 * when its stdin pipe reaches EOF (chalk's write end is close-on-exec), or
 * that it failed when chalk writes `cancel`. It then sleeps the initial
 * time, collects (the program's mark or `/chalk.json`, the `_PROCESS_*`
 * keys of the workload PID, host keys, `_EXEC_ID`), publishes the `exec`
 * report, heartbeats while the workload lives, and exits.
 *
 * A workload that is already gone when the reporter looks still gets its
 * report: the `_PROCESS_*` keys then come from what chalk knew before the
 * exec (PID, argv, program path, cwd) and `_PROCESS_STATE` is "Dead".
 */
import { basename } from "node:path";
import type { MarkDict } from "../codecs/mark_value.ts";
import { parseMarkJson } from "../codecs/mark_json.ts";
import { isMarkDict } from "../codecs/mark_value.ts";
import {
  ancestorArgvs,
  processKeys,
  processRunning,
  readArgv,
  readProcStat,
} from "../collectors/process.ts";
import { adoptOrphans, claimJob, releaseJob } from "./exec_spool.ts";
import type { InvocationFacts } from "../collectors/host.ts";
import { sha256Hex } from "./file_io.ts";
import { type OperationTally, publishReports } from "./reporting.ts";
import type { RunContext } from "./run_context.ts";
import { scanArtifact } from "./scan.ts";
import { markProblem } from "./validate_mark.ts";
import { type SelfInfo, selfInfo } from "./self_path.ts";
import { lowerPriority } from "./exec_ffi.ts";
import { runHeartbeats } from "./heartbeat.ts";

/** Environment variable: JSON array of argv words that start the chalk runtime. */
export const RUNTIME_ENV = "CHALK_TS_RUNTIME";
/** The hidden command that runs the reporter. */
export const REPORTER_COMMAND = "__exec-report";
/** Where a wrapped container keeps its image's mark (commands-runtime §7.6). */
export const CONTAINER_MARK_PATH = "/chalk.json";

/** Everything the reporter needs, passed as one JSON argument. */
export interface ExecJob {
  execId: string;
  /** The workload's PID (chalk's own before the exec). */
  pid: number;
  /** Start time of that PID in clock ticks: execve keeps it, a recycled PID does not. */
  startTicks: number;
  /** The resolved program path (the first candidate). */
  program: string;
  /** Every candidate path, in the order chalk tries them (when more than one). */
  candidates?: string[];
  /** The workload's argv (argv[0] is `program`). */
  argv: string[];
  cwd: string;
  initialSleepMs: number;
  heartbeat: { run: boolean; rateMs: number; nice?: number };
  /** When the chalk invocation started (ms since the epoch). */
  started: number;
  /** chalk's parent before the exec (for `_OP_ANCESTOR_ARGVS` when the workload is gone). */
  ppid?: number;
  /** The exec spool folder holding this job (exec_spool.ts), when spooled. */
  spool?: string;
  /** chalk's global flags (`--config-file`, ...), given to the reporter too. */
  chalkArgs?: string[];
  /** The chalk invocation, for `_OP_ARGV` and friends. */
  facts: {
    selfPath: string;
    args: string[];
    flags: string[];
    commandArgs: string[];
    version: string;
    commit?: string;
  };
}

/** The reporter's job argument is not what chalk exec writes. */
export class ExecJobError extends Error {
  constructor(reason: string) {
    super(`${REPORTER_COMMAND}: bad job argument: ${reason}`);
    this.name = "ExecJobError";
  }
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

/** Parses and checks the job argument. */
export function parseJob(text: string): ExecJob {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ExecJobError((e as Error).message);
  }
  const need = (ok: boolean, field: string) => {
    if (!ok) throw new ExecJobError(`field '${field}' is missing or has the wrong type`);
  };
  need(typeof v === "object" && v !== null, "(root)");
  need(typeof v.execId === "string", "execId");
  need(Number.isInteger(v.pid) && (v.pid as number) > 0, "pid");
  need(typeof v.startTicks === "number", "startTicks");
  need(typeof v.program === "string", "program");
  need(isStrings(v.argv), "argv");
  need(v.candidates === undefined || isStrings(v.candidates), "candidates");
  need(typeof v.cwd === "string", "cwd");
  need(typeof v.initialSleepMs === "number", "initialSleepMs");
  const hb = v.heartbeat as Record<string, unknown> | undefined;
  need(typeof hb?.run === "boolean" && typeof hb?.rateMs === "number", "heartbeat");
  need(typeof v.started === "number", "started");
  const f = v.facts as Record<string, unknown> | undefined;
  need(
    typeof f?.selfPath === "string" && isStrings(f?.args) && isStrings(f?.flags) &&
      isStrings(f?.commandArgs) && typeof f?.version === "string",
    "facts",
  );
  return v as unknown as ExecJob;
}

/**
 * The argv words that start this chalk program again: `$CHALK_TS_RUNTIME`
 * when set (entrypoint wrapping), else the compiled binary itself, else
 * `deno run -A [--ext=js] <bundle or mod.ts>`.
 */
export function selfCommand(
  env: Readonly<Record<string, string>> = Deno.env.toObject(),
  self: SelfInfo = selfInfo(),
): string[] {
  const runtime = env[RUNTIME_ENV];
  if (runtime !== undefined) {
    try {
      const words = JSON.parse(runtime);
      if (isStrings(words) && words.length > 0) return words;
    } catch {
      // fall through: an unusable value is ignored
    }
  }
  if (self.kind === "compiled") return [self.path];
  if (self.kind === "source") return [Deno.execPath(), "run", "-A", self.path];
  return [Deno.execPath(), "run", "-A", "--ext=js", self.path];
}

/**
 * V8 flags for the reporter: a 1 MB young generation. V8 otherwise grows
 * it to 16 MB over the first thousand or so heartbeats, which shows as
 * ~10 MB of RSS growth; capped, RSS stays within a few MB of its start.
 */
export function reporterV8Flags(existing: string | undefined): string {
  const cap = "--max-semi-space-size=1";
  return existing ? `${existing},${cap}` : cap;
}

/** A started reporter. */
export interface ReporterHandle {
  /** Tells the reporter which candidate chalk is about to exec (an index into the job's). */
  trying(index: number): Promise<void>;
  /** Tells the reporter that the exec failed: it exits without reporting. */
  cancel(): Promise<void>;
}

const SHELL = "/bin/sh";

function hasShell(): boolean {
  try {
    return Deno.statSync(SHELL).isFile;
  } catch {
    return false;
  }
}

/**
 * Starts the reporter for `job`. Where `/bin/sh` exists it runs the
 * reporter in the background and exits, so the reporter is not the
 * workload's child (a workload that waits for all its children would
 * otherwise wait for the reporter). Returns undefined (after an error
 * line) when it cannot start: the workload still runs.
 */
export async function startReporter(
  ctx: RunContext,
  job: ExecJob,
): Promise<ReporterHandle | undefined> {
  const words = [...selfCommand(), ...job.chalkArgs ?? [], REPORTER_COMMAND, JSON.stringify(job)];
  const viaShell = hasShell();
  // An asynchronous list of a non-interactive shell reads /dev/null unless redirected:
  // keep the pipe as the reporter's stdin through fd 3.
  const [cmd, ...args] = viaShell
    ? [SHELL, "-c", 'exec 3<&0; "$@" <&3 3<&- &', "sh", ...words]
    : words;
  try {
    const child = new Deno.Command(cmd, {
      args,
      env: { DENO_V8_FLAGS: reporterV8Flags(Deno.env.get("DENO_V8_FLAGS")) },
      stdin: "piped",
      stdout: "null",
      stderr: "null",
      detached: true,
    }).spawn();
    if (viaShell) await child.status;
    else child.unref();
    const writer = child.stdin.getWriter();
    const encoder = new TextEncoder();
    return {
      trying: async (index) => {
        try {
          await writer.write(encoder.encode(`try ${index}\n`));
        } catch {
          // the reporter is gone: it cannot be told
        }
      },
      cancel: async () => {
        try {
          await writer.write(encoder.encode("cancel\n"));
          await writer.close();
        } catch {
          // the reporter is gone: nothing to cancel
        }
      },
    };
  } catch (e) {
    ctx.log.error(
      `Chalk could not fork process for metadata collection. No chalk reports will be sent. (${
        (e as Error).message
      })`,
    );
    return undefined;
  }
}

/**
 * What chalk said on the reporter's stdin before the exec: `try <i>` per
 * candidate attempted, `cancel` when all failed. End-of-file comes with the
 * exec (chalk's end of the pipe is close-on-exec).
 */
export function parseExecProtocol(text: string): { ran: boolean; candidate: number } {
  let candidate = 0;
  for (const line of text.split("\n")) {
    const m = /^try (\d+)$/.exec(line.trim());
    if (m) candidate = Number(m[1]);
  }
  return { ran: !text.split("\n").some((l) => l.trim() === "cancel"), candidate };
}

/** Reads stdin to its end (the exec, or chalk's end) and interprets it. */
async function execOutcome(): Promise<{ ran: boolean; candidate: number }> {
  const buf = new Uint8Array(256);
  const decoder = new TextDecoder();
  let seen = "";
  while (true) {
    const n = await Deno.stdin.read(buf);
    if (n === null) return parseExecProtocol(seen);
    seen += decoder.decode(buf.subarray(0, n), { stream: true });
  }
}

/** The docker container ID a mount table names (`.../docker/containers/<id>/...`), if any. */
export function containerIdFromMountInfo(text: string): string | undefined {
  return /\/docker\/containers\/([0-9a-f]{12,64})/.exec(text)?.[1];
}

function containerId(mountInfoPath: string): string | undefined {
  try {
    return containerIdFromMountInfo(Deno.readTextFileSync(mountInfoPath));
  } catch {
    return undefined;
  }
}

/** The exec artifact before its process keys: the mark data, path and type. */
export interface ExecArtifact {
  data: MarkDict;
  marked: boolean;
}

/** Collects the program's mark: `/chalk.json` in a wrapped container, else the file's own. */
export function collectExecArtifact(
  program: string,
  log: RunContext["log"],
  paths: { containerMark: string; mountInfo: string } = {
    containerMark: CONTAINER_MARK_PATH,
    mountInfo: "/proc/self/mountinfo",
  },
): ExecArtifact {
  const data: MarkDict = new Map();
  let marked = false;
  let containerMark: Uint8Array | undefined;
  try {
    containerMark = Deno.readFileSync(paths.containerMark);
  } catch {
    containerMark = undefined;
  }
  if (containerMark) {
    log.info(`Found chalk mark in ${paths.containerMark}`);
    try {
      const { value } = parseMarkJson(containerMark, 0);
      if (isMarkDict(value)) {
        for (const [k, v] of value) if (k !== "MAGIC") data.set(k, v);
        marked = true;
      }
    } catch (e) {
      log.error(`${paths.containerMark}: ${(e as Error).message}`);
    }
    const id = containerId(paths.mountInfo);
    data.set("_OP_ARTIFACT_PATH", program);
    data.set("_OP_ARTIFACT_TYPE", id ? "Docker Container" : "Docker Image");
    if (id) data.set("_INSTANCE_CONTAINER_ID", id);
    return { data, marked };
  }
  try {
    const scanned = scanArtifact(program, false);
    if (scanned?.found) {
      for (const [k, v] of scanned.found.mark) if (k !== "MAGIC") data.set(k, v);
      const problem = markProblem(
        scanned.found.mark,
        sha256Hex(scanned.codec.unchalkedHashInput(scanned.file.bytes, scanned.facts)),
      );
      data.set("_VALIDATED_METADATA", problem === undefined);
      if (problem) log.error(`${program}: ${problem}`);
      marked = true;
    }
    data.set("_OP_ARTIFACT_PATH", program);
    if (scanned) data.set("_OP_ARTIFACT_TYPE", scanned.type);
    if (scanned) data.set("_CURRENT_HASH", sha256Hex([scanned.file.bytes]));
  } catch (e) {
    log.error(`${program}: ${(e as Error).message}`);
    data.set("_OP_ARTIFACT_PATH", program);
  }
  return { data, marked };
}

/** `_PROCESS_*` of the workload, or what chalk knew before the exec when it is gone. */
export function workloadProcessKeys(
  pid: number,
  startTicks: number,
  known: { argv: readonly string[]; program: string; cwd: string; ppid?: number },
): MarkDict {
  if (processRunning(pid, startTicks)) {
    const keys = processKeys(pid);
    if (keys.size > 0) return keys;
  }
  const keys: MarkDict = new Map();
  keys.set("_PROCESS_PID", BigInt(pid));
  if (known.ppid !== undefined) keys.set("_PROCESS_PARENT_PID", BigInt(known.ppid));
  keys.set("_PROCESS_ARGV", [...known.argv]);
  keys.set("_PROCESS_EXE_PATH", known.program);
  keys.set("_PROCESS_CWD", known.cwd);
  keys.set("_PROCESS_COMMAND_NAME", basename(known.program).slice(0, 15));
  keys.set("_PROCESS_STATE", "Dead");
  return keys;
}

/** Reporting state shared by the exec report and its heartbeats. */
export class ExecSession {
  readonly execId: string;
  readonly #started: number;
  readonly #monoBase: number;
  #lastMono = -1;

  constructor(execId: string, startedMs: number) {
    this.execId = execId;
    this.#started = startedMs;
    this.#monoBase = performance.now() - Math.max(0, Date.now() - startedMs);
  }

  /** Host keys of one report: `_EXEC_ID`, `_SINCE_*`, and for heartbeats `_HEARTBEAT_COUNT`. */
  hostKeys(heartbeat?: number): MarkDict {
    const keys: MarkDict = new Map();
    keys.set("_EXEC_ID", this.execId);
    let mono = Math.round(performance.now() - this.#monoBase);
    if (mono <= this.#lastMono) mono = this.#lastMono + 1;
    this.#lastMono = mono;
    keys.set("_SINCE_TIMESTAMP", BigInt(Math.max(0, Date.now() - this.#started)));
    keys.set("_SINCE_MONOTIME", BigInt(mono));
    if (heartbeat !== undefined) keys.set("_HEARTBEAT_COUNT", BigInt(heartbeat));
    return keys;
  }
}

/** What the exec and heartbeat reports are about. */
export interface ExecTarget {
  pid: number;
  startTicks?: number;
  program: string;
  argv: readonly string[];
  cwd: string;
  /** The parent before the exec, when known. */
  ppid?: number;
}

/** argv of `pid` and of its ancestors, nearest first. */
function ancestorsFrom(pid: number): string[][] {
  const argv = readArgv(pid);
  return argv === undefined ? [] : [argv, ...ancestorArgvs(pid)];
}

/**
 * Publishes the `exec` report about `target`, then heartbeats while
 * `alive()` holds (and `signal` is not aborted), when heartbeats are on.
 */
export async function reportExec(
  ctx: RunContext,
  session: ExecSession,
  target: ExecTarget,
  options: {
    heartbeat: { run: boolean; rateMs: number; nice?: number };
    alive: () => boolean;
    signal?: AbortSignal;
    maxBeats?: number;
    /** Runs once the exec report is published, before any heartbeat. */
    afterExecReport?: () => Promise<void>;
    /** False: leave `_OP_ANCESTOR_ARGVS` out (a report sent by a later run). */
    ancestors?: boolean;
  },
): Promise<number> {
  const artifact = collectExecArtifact(target.program, ctx.log);
  const tally: OperationTally = {
    chalked: artifact.marked ? 1 : 0,
    unmarked: artifact.marked ? [] : [target.program],
  };
  const processOf = () =>
    workloadProcessKeys(target.pid, target.startTicks ?? readStart(target.pid), target);
  const first: MarkDict = new Map([...artifact.data, ...processOf()]);
  const host = session.hostKeys();
  const gone = target.ppid !== undefined && readProcStat(target.pid) === undefined;
  if (options.ancestors !== false) {
    host.set("_OP_ANCESTOR_ARGVS", gone ? ancestorsFrom(target.ppid!) : ancestorArgvs(target.pid));
  }
  await publishReports(ctx, "exec", host, [first], tally);
  await options.afterExecReport?.();
  if (!options.heartbeat.run) return 0;
  lowerPriority(options.heartbeat.nice ?? 5);
  // Re-read /proc only when the heartbeat template reports process keys.
  const wantsProcess = [...ctx.template(heartbeatTemplate(ctx)).keys].some((k) =>
    k.startsWith("_PROCESS_")
  );
  return await runHeartbeats({
    rateMs: options.heartbeat.rateMs,
    alive: options.alive,
    signal: options.signal,
    maxBeats: options.maxBeats,
    beat: async (count) => {
      const data: MarkDict = wantsProcess
        ? new Map([...artifact.data, ...processOf()])
        : artifact.data;
      await publishReports(ctx, "heartbeat", session.hostKeys(count), [data], tally);
    },
  });
}

function readStart(pid: number): number {
  return readProcStat(pid)?.startTicks ?? -1;
}

function heartbeatTemplate(ctx: RunContext): string {
  return ctx.output.outconf["heartbeat"]?.reportTemplate ?? "report_default";
}

function jobContext(ctx: RunContext, job: ExecJob): RunContext {
  // The reporter's own configuration (the same one: chalk passed its flags on) filters _ENV.
  const facts: InvocationFacts = {
    ...job.facts,
    started: new Date(job.started),
    envPolicy: ctx.facts.envPolicy,
  };
  return { ...ctx, command: "exec", facts };
}

/** Publishes the exec reports that dead reporters left in the spool. */
async function deliverOrphans(ctx: RunContext, dir: string): Promise<void> {
  for (const orphan of adoptOrphans(dir)) {
    let job: ExecJob;
    try {
      job = parseJob(orphan.text);
    } catch (e) {
      ctx.log.error(`${orphan.path}: ${(e as Error).message}`);
      releaseJob(orphan.path);
      continue;
    }
    await reportExec(jobContext(ctx, job), new ExecSession(job.execId, job.started), job, {
      heartbeat: { run: false, rateMs: 0 },
      alive: () => false,
      ancestors: false,
    });
    releaseJob(orphan.path);
  }
}

/** Runs the reporter (the `__exec-report` command). */
export async function runExecReporter(ctx: RunContext, args: readonly string[]): Promise<void> {
  const job = parseJob(args[0] ?? "");
  const claimed = job.spool === undefined ? undefined : claimJob(job.spool, job.execId);
  // Spooled but not claimable: a later run adopted the job and reports it.
  if (job.spool !== undefined && claimed === undefined) return;
  const outcome = await execOutcome();
  if (!outcome.ran) {
    releaseJob(claimed);
    return;
  }
  const program = job.candidates?.[outcome.candidate] ?? job.program;
  await new Promise((r) => setTimeout(r, job.initialSleepMs));
  const target = { ...job, program, argv: [program, ...job.argv.slice(1)] };
  await reportExec(jobContext(ctx, job), new ExecSession(job.execId, job.started), target, {
    heartbeat: job.heartbeat,
    alive: () => processRunning(job.pid, job.startTicks),
    afterExecReport: async () => {
      releaseJob(claimed);
      if (job.spool !== undefined) await deliverOrphans(ctx, job.spool);
    },
  });
}
