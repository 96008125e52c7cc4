/**
 * The job `chalk exec` hands its detached reporter: everything the reporter
 * needs to report about the workload, passed as one JSON argument of the
 * hidden command `__exec-report`, or, when large, as `@<file>` (docs/exec.md).
 *
 * @module
 */

/** The hidden command that runs the reporter. */
export const REPORTER_COMMAND = "__exec-report";

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
  /**
   * Set when chalk started the reporter before loading its configuration (the fast path): the
   * reporter got both streams and lets go of those its reports do not use.
   */
  stdioUndecided?: boolean;
  /**
   * Set when chalk waits for the exec report before it execs (PID 1, `exec.report_wait`): the
   * reporter reports at once, from what chalk knows, and says on this inherited descriptor
   * whether the report was delivered (exec/delivery_channel.ts).
   */
  deliveryFd?: number;
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

/**
 * The largest job passed inline. Linux caps one argument at 128 KiB (MAX_ARG_STRLEN) and the
 * job holds the workload's argv about three times: a larger job goes in a file.
 */
export const INLINE_JOB_MAX = 64 * 1024;

/** Starts a job argument that names the file holding the job (JSON never starts with it). */
export const JOB_FILE_MARK = "@";

/**
 * The job text of a reporter's argument: the argument itself, or the contents of the file
 * `@<file>` names, which is removed once read (it is this reporter's alone).
 */
export function resolveJobArgument(arg: string): string {
  if (!arg.startsWith(JOB_FILE_MARK)) return arg;
  const path = arg.slice(JOB_FILE_MARK.length);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    throw new ExecJobError(`${path}: ${(e as Error).message}`);
  }
  try {
    Deno.removeSync(path);
  } catch {
    // removed already: the text is what counts
  }
  return text;
}

/** The reporter's job argument is not what chalk exec writes. */
export class ExecJobError extends Error {
  constructor(reason: string) {
    super(`${REPORTER_COMMAND}: bad job argument: ${reason}`);
    this.name = "ExecJobError";
  }
}

export function isStrings(v: unknown): v is string[] {
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
  need(v.deliveryFd === undefined || Number.isInteger(v.deliveryFd), "deliveryFd");
  const f = v.facts as Record<string, unknown> | undefined;
  need(
    typeof f?.selfPath === "string" && isStrings(f?.args) && isStrings(f?.flags) &&
      isStrings(f?.commandArgs) && typeof f?.version === "string",
    "facts",
  );
  return v as unknown as ExecJob;
}
