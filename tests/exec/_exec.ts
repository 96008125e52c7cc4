/**
 * Helpers for the exec tests: spawn the built chalk with a sandbox's
 * environment while keeping the process handle (its PID is the workload's),
 * and wait for the reports the detached reporter writes to the log.
 */
import { join } from "node:path";
import { CHALK, type Sandbox } from "../e2e/_chalk.ts";

/** One report as parsed from `~/.local/chalk/chalk.log`. */
export type Report = Record<string, unknown>;

/** Every report in the sandbox's chalk.log (each line is a one-element array). */
export function readLog(home: string): Report[] {
  let text: string;
  try {
    text = Deno.readTextFileSync(join(home, ".local", "chalk", "chalk.log"));
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => l.trim() !== "").flatMap((l) => JSON.parse(l));
}

/** Polls the log until `done(reports)` holds; fails after `timeoutMs`. */
export async function waitForLog(
  home: string,
  done: (reports: Report[]) => boolean,
  timeoutMs = 15_000,
): Promise<Report[]> {
  const end = Date.now() + timeoutMs;
  while (true) {
    const reports = readLog(home);
    if (done(reports)) return reports;
    if (Date.now() > end) {
      throw new Error(
        `timed out; log holds ${reports.length} reports: ${
          JSON.stringify(reports.map((r) => [r._OPERATION, r._HEARTBEAT_COUNT]))
        }`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Reports of one operation. */
export function ofOperation(reports: Report[], op: string): Report[] {
  return reports.filter((r) => r._OPERATION === op);
}

/** The first `_CHALKS` entry of a report. */
export function firstChalk(report: Report): Record<string, unknown> {
  return (report._CHALKS as Record<string, unknown>[])[0];
}

/** A started chalk process with piped stdio. */
export interface Started {
  child: Deno.ChildProcess;
  /** Resolves when stdout contains `text`; returns all stdout so far. */
  waitForStdout(text: string, timeoutMs?: number): Promise<string>;
  /** Waits for the end: exit code and all output. */
  finish(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** Starts `chalk args` in the sandbox, stdio piped, without waiting for it. */
export function startChalk(
  sb: Sandbox,
  args: readonly string[],
  opts: { cmd?: readonly string[]; env?: Record<string, string> } = {},
): Started {
  const [cmd, ...pre] = opts.cmd ?? [CHALK];
  const child = new Deno.Command(cmd, {
    args: [...pre, ...args],
    cwd: sb.work,
    env: { ...sb.env, PWD: sb.work, ...opts.env },
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let out = "";
  let err = "";
  const dec = new TextDecoder();
  const outDone = child.stdout.pipeTo(
    new WritableStream({ write: (c) => void (out += dec.decode(c, { stream: true })) }),
  );
  const errDone = child.stderr.pipeTo(
    new WritableStream({ write: (c) => void (err += dec.decode(c, { stream: true })) }),
  );
  return {
    child,
    async waitForStdout(text, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (!out.includes(text)) {
        if (Date.now() > end) throw new Error(`no '${text}' on stdout; got '${out}' / '${err}'`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return out;
    },
    async finish() {
      await child.stdin.close().catch(() => {});
      const status = await child.status;
      await outDone;
      await errDone;
      return { code: status.code, stdout: out, stderr: err };
    },
  };
}

/** True when this process may create PID namespaces (root with util-linux `unshare`). */
export function canUnshare(): boolean {
  if (Deno.uid() !== 0) return false;
  try {
    return new Deno.Command("unshare", { args: ["--pid", "--fork", "--mount-proc", "true"] })
      .outputSync().success;
  } catch {
    return false;
  }
}

/** PIDs of running reporters (`__exec-report`) whose job has `_EXEC_ID` `execId`. */
export function reporterPids(execId: string): number[] {
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const argv = Deno.readTextFileSync(`/proc/${e.name}/cmdline`).split("\0");
      if (argv.includes("__exec-report") && argv.some((a) => a.includes(`"${execId}"`))) {
        out.push(Number(e.name));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Waits until the reporter of `execId` has exited; fails after `timeoutMs`. */
export async function waitForReporterExit(execId: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (reporterPids(execId).length > 0) {
    if (Date.now() > end) throw new Error(`reporter of ${execId} still running`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
