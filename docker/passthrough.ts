/**
 * Running docker with the user's terminal (docs/decisions.md,
 * "Docker: do no harm"): stdio inherited, never buffered, signals forwarded,
 * docker's exit status returned. Optionally replays bytes on stdin (a
 * Dockerfile read from `-f -`).
 */

const FORWARDED: Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
/** The signals that end a run (chalk's and the user's), as a shell's Ctrl-C, kill and hangup. */
export const TERMINATING_SIGNALS: readonly Deno.Signal[] = ["SIGINT", "SIGTERM", "SIGHUP"];
/** Signal numbers, for 128 + n exit statuses. */
export const SIGNAL_NUMBERS: Partial<Record<Deno.Signal, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGTERM: 15,
};

/** Exit status of a finished child: its code, or 128 + signal when a signal ended it. */
export function exitStatus(status: Deno.CommandStatus): number {
  if (status.signal) return 128 + (SIGNAL_NUMBERS[status.signal] ?? 0);
  return status.code;
}

/** Options of {@link runInherited}. */
export interface InheritOptions {
  /**
   * Bytes to feed on stdin instead of inheriting it. A promise lets docker start
   * before they exist; when it rejects, docker is killed before it read anything
   * and the rejection is thrown.
   */
  stdin?: Uint8Array | Promise<Uint8Array>;
  env?: Record<string, string>;
  cwd?: string;
  /** Told the child as soon as it runs (to kill it synchronously as chalk exits). */
  spawned?: (child: Deno.ChildProcess) => void;
}

/**
 * Runs `exe args` with inherited stdout/stderr (and stdin unless bytes are
 * given), forwarding termination signals; returns the exit status.
 */
export async function runInherited(
  exe: string,
  args: readonly string[],
  options: InheritOptions = {},
): Promise<number> {
  const child = new Deno.Command(exe, {
    args: [...args],
    stdin: options.stdin ? "piped" : "inherit",
    stdout: "inherit",
    stderr: "inherit",
    env: options.env,
    cwd: options.cwd,
  }).spawn();
  options.spawned?.(child);
  const forwarders = FORWARDED.map((sig) => {
    const f = () => {
      try {
        child.kill(sig);
      } catch {
        // Already gone.
      }
    };
    try {
      Deno.addSignalListener(sig, f);
    } catch {
      return undefined;
    }
    return [sig, f] as const;
  });
  try {
    if (options.stdin) {
      let bytes: Uint8Array;
      try {
        bytes = await options.stdin;
      } catch (e) {
        child.kill("SIGKILL");
        await child.stdin.close().catch(() => {});
        await child.status;
        throw e;
      }
      const w = child.stdin.getWriter();
      try {
        await w.write(bytes);
        await w.close();
      } catch {
        // docker may exit without reading stdin; its status says what happened.
      }
    }
    return exitStatus(await child.status);
  } finally {
    for (const f of forwarders) if (f) Deno.removeSignalListener(f[0], f[1]);
  }
}
