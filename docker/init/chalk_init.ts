/**
 * chalk's native init for wrapped containers (docs/exec.md, "The native init";
 * `docker.wrap_init`): a 3 KB static executable, built from `chalk_init.c` and kept in the
 * program, that starts the workload before chalk's runtime loads. Pure: the bytes and the
 * argv words that start it.
 *
 * @module
 */
import { INIT_REPORT_COMMAND } from "../../internal/container_contract.ts";
import { CHALK_INIT_X86_64 } from "./chalk_init.generated.ts";

/** Ten characters the init overwrites with the workload's PID (zero-padded) before the reporter starts. */
export const PID_SLOT = "0000000000";

/** The init for a Deno architecture (`Deno.build.arch`); undefined where none is built. */
export function initBinary(arch: string): Uint8Array | undefined {
  if (arch !== "x86_64") return undefined;
  return Uint8Array.from(atob(CHALK_INIT_X86_64), (c) => c.charCodeAt(0));
}

/** How the init waits for the exec report once the workload has ended. */
export interface InitWait {
  /** `exec.report_wait`, in ms. */
  ms: number;
  /** No warning line when the report was not delivered (`log_level: "none"`). */
  quiet: boolean;
}

/**
 * The ENTRYPOINT words before the workload's own: the init, its wait, the reporter's argv
 * (chalk's runtime and the hidden command with the PID slot), then `--`; docker appends the
 * image's CMD after the words the caller adds.
 */
export function initEntrypoint(
  initPath: string,
  runtimeArgv: readonly string[],
  wait: InitWait,
): string[] {
  const ms = Math.max(0, Math.min(Math.round(wait.ms), 999_999_999));
  return [
    initPath,
    `${ms}${wait.quiet ? "q" : ""}`,
    ...runtimeArgv,
    INIT_REPORT_COMMAND,
    PID_SLOT,
    "--",
  ];
}
