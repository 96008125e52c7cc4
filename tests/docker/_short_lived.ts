/**
 * Short-lived workloads in wrapped containers (docs/exec.md, "Short-lived workloads in
 * containers"): a wrapped image whose workload exits at once, run with `docker run --rm` many
 * times; each run must have delivered its exec report to the server or printed chalk's
 * warning line. Shared by tests/docker/short_lived_test.ts (a few runs) and
 * bench/short_lived_bench.ts (100 runs).
 */
import { join } from "node:path";
import { run } from "../e2e/_chalk.ts";
import { startServer } from "../server/_server.ts";
import { removeImages } from "./_docker.ts";
import { loadedChalk, postConfig, scriptContext } from "./_wrap.ts";

type Json = Record<string, unknown>;

/**
 * The warning chalk prints when the report was not delivered: before the workload started
 * (`chalk exec` as PID 1), or before the workload ended (the native init, `docker.wrap_init`).
 */
export const UNDELIVERED =
  /^warn: +exec: the (report was not sent before the workload started|workload ended before its report was delivered)/m;

/** What the runs gave. */
export interface ShortLivedResult {
  runs: number;
  /** Runs whose exec report reached the server. */
  delivered: number;
  /** Runs that printed the warning line. */
  warned: number;
  /** Runs that did neither: silently lost (must be none). */
  silent: string[];
  /** Wall time of each `docker run`, ms. */
  ms: number[];
}

/**
 * Builds a wrapped image (`fs2-short-lived-*`) reporting to a fresh server, runs it `runs`
 * times with `docker run --rm`, and tells which runs were delivered or warned.
 */
export async function shortLivedRuns(
  work: string,
  env: Record<string, string>,
  runs: number,
  extraConfig = "",
): Promise<ShortLivedResult> {
  const dir = join(work, "server");
  await Deno.mkdir(dir, { recursive: true });
  const server = await startServer({ dir });
  const tag = `fs2-short-lived-${crypto.randomUUID().slice(0, 8)}:latest`;
  try {
    const chalk = await loadedChalk(work, postConfig(server.url, extraConfig), env);
    const ctx = await scriptContext(work, "once.sh", "#!/bin/sh\nexit 0\n");
    const built = await run(chalk, ["docker", "build", "-q", "-t", tag, "."], { cwd: ctx, env });
    if (built.code !== 0) throw new Error(`build failed: ${built.stderr}`);
    const warnedRuns = new Set<string>();
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const name = `run-${i}`;
      const t0 = performance.now();
      const r = await run("docker", ["run", "--rm", "--network=host", tag, name]);
      ms.push(performance.now() - t0);
      if (r.code !== 0) throw new Error(`${name}: exit ${r.code}: ${r.stderr}`);
      if (UNDELIVERED.test(r.stderr)) warnedRuns.add(name);
    }
    // A warned run's reporter may still have delivered: the server is the judge, so wait a
    // little for stragglers before counting.
    await new Promise((res) => setTimeout(res, 1000));
    const reported = new Set<string>();
    for (const report of await server.getJson<Json[]>("/execs")) {
      const argv = ((report._CHALKS as Json[] | undefined)?.[0]?._PROCESS_ARGV ?? []) as string[];
      const name = argv.find((a) => a.startsWith("run-"));
      if (name) reported.add(name);
    }
    const names = Array.from({ length: runs }, (_, i) => `run-${i}`);
    return {
      runs,
      delivered: names.filter((n) => reported.has(n)).length,
      warned: warnedRuns.size,
      silent: names.filter((n) => !reported.has(n) && !warnedRuns.has(n)),
      ms,
    };
  } finally {
    await removeImages(tag);
    await server.stop();
  }
}
