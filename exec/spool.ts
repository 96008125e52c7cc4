/**
 * The exec spool: what keeps an exec report from being silently lost when
 * the reporter dies before publishing (a PID-1 workload that exits at once
 * takes its whole PID namespace, reporter included, with it).
 *
 * Before execve, chalk writes the reporter's job to
 * `~/.local/chalk/exec-pending/<execId>.job`. The reporter claims it by
 * renaming it to `<execId>.<pid>.<startTicks>.claimed` and removes it once
 * the exec report was published. Any later reporter adopts the jobs whose
 * claimer is gone (or that nobody claimed within ten seconds) and
 * publishes their exec reports, built from what chalk knew before the exec.
 * Delivery is at-least-once: a reporter killed between publishing and
 * removing its file gets its report sent again.
 */
import { join } from "../internal/posix_path.ts";
import { processRunning, readProcStat } from "../collectors/process.ts";

/** How long an unclaimed job waits for its own reporter (which claims it as it starts). */
export const UNCLAIMED_GRACE_MS = 10_000;

/** The spool folder under `home`, or undefined without a home. */
export function spoolDir(home: string | undefined = Deno.env.get("HOME")): string | undefined {
  return home ? join(home, ".local", "chalk", "exec-pending") : undefined;
}

/** Writes a job before the exec; its path, or undefined when the spool is unusable. */
export function spoolJob(dir: string, execId: string, jobText: string): string | undefined {
  try {
    Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `${execId}.job`);
    Deno.writeTextFileSync(path, jobText, { mode: 0o600 });
    return path;
  } catch {
    return undefined;
  }
}

/**
 * Claims this reporter's own job: the claimed path, or undefined when it
 * is not there (another run adopted it: that run reports it).
 */
export function claimJob(dir: string, execId: string): string | undefined {
  const self = readProcStat(Deno.pid);
  const to = join(dir, `${execId}.${Deno.pid}.${self?.startTicks ?? 0}.claimed`);
  try {
    Deno.renameSync(join(dir, `${execId}.job`), to);
    return to;
  } catch {
    return undefined;
  }
}

/** Removes a claimed job once its report is published. */
export function releaseJob(path: string | undefined): void {
  if (path === undefined) return;
  try {
    Deno.removeSync(path);
  } catch {
    // already gone
  }
}

/** A job left behind by a reporter that did not finish. */
export interface OrphanJob {
  /** The claimed file (now this process's): release it after publishing. */
  path: string;
  text: string;
}

/** Claims every orphaned job of the spool for this process. */
export function adoptOrphans(dir: string, now = Date.now()): OrphanJob[] {
  let names: string[];
  try {
    names = [...Deno.readDirSync(dir)].filter((e) => e.isFile).map((e) => e.name);
  } catch {
    return [];
  }
  const self = readProcStat(Deno.pid);
  const out: OrphanJob[] = [];
  for (const name of names) {
    const claimed = /^([0-9a-f]+)\.(\d+)\.(\d+)\.claimed$/.exec(name);
    const unclaimed = /^([0-9a-f]+)\.job$/.exec(name);
    const from = join(dir, name);
    if (claimed) {
      if (processRunning(Number(claimed[2]), Number(claimed[3]))) continue;
    } else if (unclaimed) {
      try {
        const age = now - (Deno.statSync(from).mtime?.getTime() ?? now);
        if (age < UNCLAIMED_GRACE_MS) continue;
      } catch {
        continue;
      }
    } else continue;
    const id = (claimed ?? unclaimed)![1];
    const to = join(dir, `${id}.${Deno.pid}.${self?.startTicks ?? 0}.claimed`);
    try {
      Deno.renameSync(from, to);
      out.push({ path: to, text: Deno.readTextFileSync(to) });
    } catch {
      // another run adopted it first
    }
  }
  return out;
}
