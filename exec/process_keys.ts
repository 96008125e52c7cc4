/**
 * The `_PROCESS_*` keys of an exec report. A workload that is already gone
 * when the reporter looks still gets its report: the keys then come from
 * what chalk knew before the exec (PID, argv, program path, cwd) and
 * `_PROCESS_STATE` is "Dead".
 *
 * @module
 */
import { basename } from "node:path";
import type { MarkDict } from "../codecs/mark_value.ts";
import { processKeys, processRunning } from "../collectors/process.ts";

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
