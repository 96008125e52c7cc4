/**
 * The `_PROCESS_*` keys of an exec report. A workload that is already gone
 * when the reporter looks still gets its report: the keys then come from
 * what chalk knew (PID, argv, program path, cwd; UID, GID, groups, umask
 * read just after the spawn or inherited across execve) and
 * `_PROCESS_STATE` is "Dead". A report sent before the exec has the same keys, without a
 * state.
 *
 * @module
 */
import { basename } from "../internal/posix_path.ts";
import type { MarkDict } from "../codecs/mark_value.ts";
import { processKeys, processRunning } from "../collectors/process.ts";

/** What chalk knows of a workload without looking at it. */
export interface KnownWorkload {
  argv: readonly string[];
  program: string;
  cwd: string;
  ppid?: number;
  /**
   * `_PROCESS_*` keys gathered early: read just after the spawn (chalk as
   * parent), or inherited across execve (UID, GID, groups, umask).
   */
  early?: MarkDict;
  /** Not started yet (a report sent before the exec): what chalk knows, and no state. */
  notStarted?: boolean;
}

/** `_PROCESS_*` of the workload, or what chalk knew of it when it is gone. */
export function workloadProcessKeys(
  pid: number,
  startTicks: number,
  known: KnownWorkload,
): MarkDict {
  if (!known.notStarted && processRunning(pid, startTicks)) {
    const keys = processKeys(pid);
    if (keys.size > 0) return keys;
  }
  const keys: MarkDict = new Map(known.early);
  keys.set("_PROCESS_PID", BigInt(pid));
  if (known.ppid !== undefined) keys.set("_PROCESS_PARENT_PID", BigInt(known.ppid));
  // A process read as a zombie has no argv, cwd or exe left: chalk knows them.
  keys.set("_PROCESS_ARGV", [...known.argv]);
  keys.set("_PROCESS_EXE_PATH", known.program);
  keys.set("_PROCESS_CWD", known.cwd);
  keys.set("_PROCESS_COMMAND_NAME", basename(known.program).slice(0, 15));
  if (!known.notStarted) keys.set("_PROCESS_STATE", "Dead");
  keys.delete("_PROCESS_DETAIL");
  return keys;
}
