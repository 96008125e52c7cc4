/**
 * Test helpers that drive the built program (dist/chalk) as a user would:
 * real processes, real files, a private HOME per test.
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
/** The built single-file program. */
export const CHALK = join(ROOT, "dist", "chalk");

/**
 * The folder of the `deno` running the tests. dist/chalk starts through
 * `#!/usr/bin/env -S deno`, and the README's test command runs deno through npx, so `deno`
 * need not be on PATH: this module puts this folder first on the test process's PATH, which
 * the processes the tests start inherit (and {@linkcode sandbox} copies).
 */
export const DENO_BIN_DIR: string = denoBinDir();

function denoBinDir(): string {
  const exe = Deno.execPath();
  if (basename(exe) === "deno") return dirname(exe);
  // A deno binary under another name: a private folder with a `deno` link to it.
  const dir = Deno.makeTempDirSync({ prefix: "chalk-test-deno-" });
  Deno.symlinkSync(exe, join(dir, "deno"));
  return dir;
}

/** `path` (default: this process's PATH) with {@linkcode DENO_BIN_DIR} first. */
export function pathWithDeno(path = Deno.env.get("PATH") ?? "/usr/bin:/bin"): string {
  const rest = path.split(":").filter((d) => d !== "" && d !== DENO_BIN_DIR);
  return [DENO_BIN_DIR, ...rest].join(":");
}

Deno.env.set("PATH", pathWithDeno());

/** What a finished process left behind. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `command`, again after a moment when the kernel says the program is
 * being written (ETXTBSY): a program a test has just copied can be held open
 * for writing a little longer by a process forked meanwhile (CI saw it once
 * on the copy `privateChalk` makes).
 */
async function spawnWhenNotBusy(command: Deno.Command): Promise<Deno.ChildProcess> {
  for (let attempt = 1;; attempt++) {
    try {
      return command.spawn();
    } catch (e) {
      if (attempt >= 5 || !String((e as Error).message).includes("Text file busy")) throw e;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/** Runs a program and collects its output. */
export async function run(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string>; stdin?: string } = {},
): Promise<RunResult> {
  const command = new Deno.Command(cmd, {
    args: [...args],
    cwd: opts.cwd,
    // Hermetic: the child sees exactly the environment the test gives it.
    env: opts.env && { ...opts.env, ...(opts.cwd ? { PWD: opts.cwd } : {}) },
    clearEnv: opts.env !== undefined,
    stdin: opts.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  });
  const child = await spawnWhenNotBusy(command);
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A scratch world: a HOME and a work folder, removed by `cleanup`. */
export interface Sandbox {
  home: string;
  work: string;
  env: Record<string, string>;
  chalk(args: readonly string[], opts?: { cwd?: string; stdin?: string }): Promise<RunResult>;
  cleanup(): Promise<void>;
}

/** Creates a sandbox whose chalk runs with a private HOME. */
export async function sandbox(extraEnv: Record<string, string> = {}): Promise<Sandbox> {
  const base = await Deno.makeTempDir({ prefix: "chalk-e2e-" });
  const home = join(base, "home");
  const work = join(base, "work");
  await Deno.mkdir(home);
  await Deno.mkdir(work);
  const env = {
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    USER: "tester",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Test Author",
    GIT_AUTHOR_EMAIL: "author@example.com",
    GIT_COMMITTER_NAME: "Test Committer",
    GIT_COMMITTER_EMAIL: "committer@example.com",
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
    ...extraEnv,
  };
  return {
    home,
    work,
    env,
    chalk: (args, opts = {}) => run(CHALK, args, { cwd: opts.cwd ?? work, env, stdin: opts.stdin }),
    cleanup: async () => {
      await waitForProcessesOf(home);
      await Deno.remove(base, { recursive: true });
    },
  };
}

/**
 * Waits (at most `timeoutMs`) until no process runs with `HOME=home`: a
 * detached reporter of `chalk exec` outlives the command and may still be
 * writing its log there when the test ends.
 */
export async function waitForProcessesOf(home: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (processesWithHome(home).length > 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

function processesWithHome(home: string): number[] {
  const needle = `\0HOME=${home}\0`;
  const out: number[] = [];
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name) || Number(e.name) === Deno.pid) continue;
    try {
      if (`\0${Deno.readTextFileSync(`/proc/${e.name}/environ`)}`.includes(needle)) {
        out.push(Number(e.name));
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return out;
}

/** Runs a command that must succeed; returns its stdout. */
export async function must(
  cmd: string,
  args: readonly string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** `git init` + one commit of everything in `dir`, on branch main. */
export async function gitCommitAll(dir: string, env: Record<string, string>): Promise<string> {
  await must("git", ["-c", "init.defaultBranch=main", "init", "-q"], { cwd: dir, env });
  await must("git", ["add", "-A"], { cwd: dir, env });
  await must("git", ["commit", "-q", "-m", "Chalk demo 1"], { cwd: dir, env });
  return (await must("git", ["rev-parse", "HEAD"], { cwd: dir, env })).trim();
}

/** Parses chalk's stdout summary: a JSON array of reports. */
export function parseReports(stdout: string): Record<string, unknown>[] {
  const parsed = JSON.parse(stdout);
  if (!Array.isArray(parsed)) {
    throw new Error(`stdout is not a JSON array: ${stdout.slice(0, 200)}`);
  }
  return parsed;
}

/** SHA-256 hex of a file, computed by coreutils (an independent reference). */
export async function sha256sum(path: string): Promise<string> {
  return (await must("sha256sum", [path])).split(" ")[0];
}

/** A copy of dist/chalk at `<dir>/bin/chalk` (mode 0755) that a test may reconfigure. */
export async function privateChalk(dir: string): Promise<string> {
  const bin = join(dir, "bin");
  await Deno.mkdir(bin, { recursive: true });
  const chalk = join(bin, "chalk");
  await Deno.copyFile(CHALK, chalk);
  await Deno.chmod(chalk, 0o755);
  return chalk;
}

/** The `error:` lines of a run's stderr. */
export function errorLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => l.startsWith("error:"));
}

/**
 * Compiles `dir`/`name`: a program holding `mb` MB of initialised data (one 1, then zeros), so
 * that marking it reads, hashes and writes that much; it exits 0.
 */
export async function bigProgram(dir: string, name: string, mb: number): Promise<string> {
  const src = join(dir, `${name}.c`);
  await Deno.writeTextFile(
    src,
    `static volatile const char blob[${mb}L << 20] = {1};\nint main(void) { return blob[0] - 1; }\n`,
  );
  const out = join(dir, name);
  await must("cc", ["-o", out, src]);
  await Deno.remove(src);
  return out;
}
