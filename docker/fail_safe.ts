/**
 * Do no harm (docs/decisions.md, "Docker: do no harm"): when chalk's handling
 * of a docker command fails for any reason, the user's exact command runs again
 * without chalk (with the same stdin bytes when chalk had read them), and its
 * exit status is what chalk returns.
 */
import type { Logger } from "../internal/logger.ts";
import { runInherited } from "./passthrough.ts";
import { errorMessage } from "../internal/errors.ts";

/** The wrapped docker command itself exited non-zero. */
export class WrappedDockerFailed extends Error {
  /** docker's exit status. */
  readonly status: number;

  /** Builds the error naming the docker verb and status. */
  constructor(verb: string, status: number) {
    super(`docker ${verb} failed with exit code ${status}`);
    this.name = "WrappedDockerFailed";
    this.status = status;
  }
}

/** The user's original command, to replay. */
export interface OriginalCommand {
  /** The real docker. */
  exe: string;
  /** The user's arguments, untouched (global flags included). */
  args: readonly string[];
  /** Bytes chalk read from stdin (a Dockerfile given with `-f -`). */
  stdin?: Uint8Array;
}

/**
 * Runs `work`; on any exception logs "docker: retrying without chalk due
 * to: <reason>" and runs the original command instead.
 */
export async function withFailSafe(
  log: Logger,
  original: OriginalCommand,
  work: () => Promise<number>,
): Promise<number> {
  try {
    return await work();
  } catch (e) {
    const reason = errorMessage(e);
    log.error(`docker: retrying without chalk due to: ${reason}`);
    if (log.level === "trace" && e instanceof Error && e.stack) log.trace(e.stack);
    return await runInherited(original.exe, original.args, { stdin: original.stdin });
  }
}
