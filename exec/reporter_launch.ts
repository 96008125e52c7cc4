/**
 * Starting the detached reporter just before chalk execs the workload
 * (docs/exec.md): chalk runs itself again with the hidden command
 * `__exec-report <job>`, detached, with a pipe as stdin that tells it
 * whether the exec happened, and the terminal's stdout/stderr when its
 * reports go there.
 *
 * @module
 */
import type { Logger } from "../internal/logger.ts";
import { type SelfInfo, selfInfo } from "../ops/self_path.ts";
import { RUNTIME_ENV } from "../internal/container_contract.ts";
import { NO_UPDATE_CHECK } from "../internal/quiet_deno.ts";
import { type ExecJob, INLINE_JOB_MAX, isStrings, JOB_FILE_MARK, REPORTER_COMMAND } from "./job.ts";
import { spoolDir } from "./spool.ts";

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

/** Where the reporter's stdout and stderr go. */
export interface ReporterStdio {
  stdout: "inherit" | "null";
  stderr: "inherit" | "null";
}

/**
 * Both streams handed over: for a start that has not loaded its configuration (the fast path,
 * docs/exec.md); the reporter then sends the ones its reports do not use to /dev/null itself.
 */
export const UNDECIDED_STDIO: ReporterStdio = { stdout: "inherit", stderr: "inherit" };

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

/** The job as the reporter's argument, and the file holding it when it is too large to pass inline. */
function jobArgument(job: ExecJob): { arg: string; file?: string } {
  const text = JSON.stringify(job);
  if (new TextEncoder().encode(text).length <= INLINE_JOB_MAX) return { arg: text };
  // The reporter reads the file as it starts and removes it (exec/job.ts).
  for (const dir of [undefined, spoolDir()]) {
    try {
      if (dir !== undefined) Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = Deno.makeTempFileSync({ dir, prefix: "chalk-exec-job-", suffix: ".json" });
      Deno.writeTextFileSync(file, text);
      return { arg: `${JOB_FILE_MARK}${file}`, file };
    } catch {
      // no temporary folder here: try the next
    }
  }
  return { arg: text };
}

/**
 * Starts the reporter for `job`. Where `/bin/sh` exists it runs the
 * reporter in the background and exits, so the reporter is not the
 * workload's child (a workload that waits for all its children would
 * otherwise wait for the reporter). Returns undefined (after an error
 * line) when it cannot start: the workload still runs.
 */
export async function startReporter(
  log: Logger,
  job: ExecJob,
  stdio: ReporterStdio,
): Promise<ReporterHandle | undefined> {
  const { arg, file } = jobArgument(job);
  const words = [...selfCommand(), ...job.chalkArgs ?? [], REPORTER_COMMAND, arg];
  const viaShell = hasShell();
  // An asynchronous list of a non-interactive shell reads /dev/null unless redirected:
  // keep the pipe as the reporter's stdin through fd 3.
  const [cmd, ...args] = viaShell
    ? [SHELL, "-c", 'exec 3<&0; "$@" <&3 3<&- &', "sh", ...words]
    : words;
  try {
    const child = new Deno.Command(cmd, {
      args,
      env: { DENO_V8_FLAGS: reporterV8Flags(Deno.env.get("DENO_V8_FLAGS")), ...NO_UPDATE_CHECK },
      stdin: "piped",
      ...stdio,
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
    if (file !== undefined) Deno.removeSync(file);
    log.error(
      `Chalk could not fork process for metadata collection. No chalk reports will be sent. (${
        (e as Error).message
      })`,
    );
    return undefined;
  }
}
