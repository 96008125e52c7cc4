/**
 * `chalk exec --chalk-as-parent` (`exec.chalk_as_parent`; docs/exec.md,
 * "`--chalk-as-parent`"): chalk spawns the workload with its own stdio,
 * forwards every signal it can catch to it, reports about it (exec report,
 * heartbeats), reaps orphaned zombies when it is PID 1, and ends with the
 * workload's status (128 + signal number when a signal killed it).
 */
import type { MarkDict } from "../codecs/mark_value.ts";
import { inheritedProcessKeys, processKeys, readProcStat } from "../collectors/process.ts";
import { inForegroundOfTerminal, reapChild } from "./ffi.ts";
import { ExecSession } from "./session.ts";
import { reportExec } from "./report_exec.ts";
import type { ExecSettings } from "./settings.ts";
import type { RunContext } from "../ops/run_context.ts";
import { sleep } from "./heartbeat.ts";
import { SpawnError, spawnWorkload, waitForChild } from "./spawn_workload.ts";
import { workloadArgv, workloadEnvBytes } from "./workload.ts";
import {
  disarmInspectorSignal,
  restartWithUsr1Blocked,
  usr1Blocked,
  waitForBlockedUsr1,
} from "../internal/inspector_signal.ts";

/** Signals chalk passes on to the workload (the job-control ones stay chalk's own). */
export const FORWARDED_SIGNALS: readonly Deno.Signal[] = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGTERM",
  "SIGUSR1",
  "SIGUSR2",
  "SIGWINCH",
  "SIGALRM",
  "SIGPIPE",
  "SIGVTALRM",
  "SIGPROF",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGPWR",
  "SIGURG",
];

/**
 * Signals a terminal sends to its whole foreground process group, the
 * workload included: forwarding them too would deliver them twice.
 */
export const TERMINAL_SIGNALS: ReadonlySet<Deno.Signal> = new Set([
  "SIGINT",
  "SIGQUIT",
  "SIGWINCH",
  "SIGHUP",
]);

/** Reaps every zombie child of this process except `keep`; returns how many. */
export function reapOrphans(keep: number): number {
  let reaped = 0;
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync("/proc")];
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e.name)) continue;
    const pid = Number(e.name);
    if (pid === keep) continue;
    const stat = readProcStat(pid);
    if (stat?.ppid === Deno.pid && stat.state === "Z" && reapChild(pid)) reaped++;
  }
  return reaped;
}

/** What to run and how to report it. */
export interface ParentLaunch {
  /** Candidate paths, tried in order until one starts. */
  programs: readonly string[];
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  settings: ExecSettings;
  execId: string;
  reporting: boolean;
}

/**
 * Forwards chalk's signals to the workload. It listens before the workload
 * is spawned: a signal in between would otherwise end chalk, not the
 * workload, so such signals wait and are delivered once it exists.
 */
class SignalRelay {
  #child: number | undefined;
  readonly #early: Deno.Signal[] = [];
  readonly #listeners: [Deno.Signal, () => void][] = [];

  constructor() {
    for (const sig of FORWARDED_SIGNALS) {
      if (sig !== "SIGUSR1") this.listen(sig, () => this.#forward(sig));
      // A runtime handler for SIGUSR1 would let Deno open its inspector: chalk blocks it and
      // waits for it apart (internal/inspector_signal.ts). If it could not restart blocking
      // it, SIGUSR1 keeps its default action rather than opening the inspector.
      else if (usr1Blocked()) void waitForBlockedUsr1(() => this.#forward(sig));
      else disarmInspectorSignal();
    }
  }

  /** Adds a listener that `close` removes; signals Deno cannot catch keep their default. */
  listen(sig: Deno.Signal, handler: () => void): void {
    try {
      Deno.addSignalListener(sig, handler);
      this.#listeners.push([sig, handler]);
    } catch {
      // a signal this platform does not let Deno catch: it keeps its default action
    }
  }

  /** The workload exists: deliver what arrived before it, then forward as signals come. */
  attach(child: number): void {
    this.#child = child;
    for (const sig of this.#early.splice(0)) this.#forward(sig);
  }

  close(): void {
    for (const [sig, handler] of this.#listeners) Deno.removeSignalListener(sig, handler);
  }

  #forward(sig: Deno.Signal): void {
    // From the terminal, the workload (same process group) got it already.
    if (TERMINAL_SIGNALS.has(sig) && inForegroundOfTerminal()) return;
    if (this.#child === undefined) {
      this.#early.push(sig);
      return;
    }
    try {
      Deno.kill(this.#child, sig);
    } catch {
      // already gone
    }
  }
}

/** A started workload: its process, its program, and its `_PROCESS_*` keys read at once. */
interface Spawned {
  pid: number;
  program: string;
  early: MarkDict;
}

/** Spawns the first candidate that starts; undefined (after error lines) when none does. */
function spawnFirst(
  ctx: RunContext,
  launch: ParentLaunch,
): Spawned | undefined {
  const envp = workloadEnvBytes(launch.env);
  for (const candidate of launch.programs) {
    try {
      const argv = workloadArgv(candidate, launch.args);
      const pid = spawnWorkload(candidate, argv, envp);
      // Read at once: a workload that exits at once is still a zombie here (chalk reaps it
      // only in waitForChild), with its IDs readable.
      const early = processKeys(pid);
      return {
        pid,
        program: candidate,
        early: early.size > 0 ? early : inheritedProcessKeys(candidate),
      };
    } catch (e) {
      if (!(e instanceof SpawnError)) throw e;
      ctx.log.error(`Chalk: ${e.message}`);
    }
  }
  return undefined;
}

/** Reports about the running workload (exec report, heartbeats) until `ended` aborts. */
async function reportWhileRunning(
  ctx: RunContext,
  launch: ParentLaunch,
  workload: Spawned,
  ended: AbortSignal,
): Promise<void> {
  try {
    await sleep(launch.settings.initialSleepMs, ended);
    const session = new ExecSession(launch.execId, ctx.facts.started.getTime());
    const pid = workload.pid;
    await reportExec(ctx, session, {
      pid,
      startTicks: readProcStat(pid)?.startTicks,
      program: workload.program,
      argv: [workload.program, ...launch.args],
      cwd: Deno.cwd(),
      ppid: Deno.pid,
      early: workload.early,
    }, {
      heartbeat: launch.settings.heartbeat,
      alive: () => !ended.aborted,
      signal: ended,
    });
  } catch (e) {
    ctx.log.error(`exec report: ${(e as Error).message}`);
  }
}

/** Runs the workload as chalk's child; resolves to chalk's exit status. */
export async function runAsParent(ctx: RunContext, launch: ParentLaunch): Promise<number> {
  // Returns at once when `--chalk-as-parent` already restarted chalk (cli/main.ts).
  restartWithUsr1Blocked();
  const relay = new SignalRelay();
  const workload = spawnFirst(ctx, launch);
  if (!workload) {
    relay.close();
    ctx.log.error("Chalk: exec could not find a working executable to run.");
    return 1;
  }
  relay.attach(workload.pid);
  const pid = workload.pid;
  const pidOne = Deno.pid === 1;
  let reaper: ReturnType<typeof setInterval> | undefined;
  if (pidOne) {
    relay.listen("SIGCHLD", () => reapOrphans(pid));
    reaper = setInterval(() => reapOrphans(pid), 1000);
  }
  const ended = new AbortController();
  const reporting = launch.reporting
    ? reportWhileRunning(ctx, launch, workload, ended.signal)
    : Promise.resolve();
  const end = await waitForChild(pid);
  ended.abort();
  await reporting;
  if (reaper !== undefined) clearInterval(reaper);
  relay.close();
  if (pidOne) reapOrphans(pid);
  return end.code;
}
