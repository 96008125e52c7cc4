/**
 * Every target of issue 15 (fast start, a thin runtime inside containers), measured in one
 * run, each against its baseline in the same script: start-up (`chalk version`, `chalk docker
 * ps`), a wrapped container's first output (the wait for the report on and off, the native
 * init) and the bytes each wrapped image adds, `chalk docker build` (BuildKit and the legacy
 * builder, cold and cached), and 100 short-lived `docker run --rm` (chalk exec as PID 1, then
 * the native init). Needs a running docker (tests/docker/start_docker.sh); takes several
 * minutes.
 *
 * Usage: deno task build && deno run -A bench/fast_start.ts
 */
const here = new URL(".", import.meta.url);
const steps: [string, string[], Record<string, string>][] = [
  ["startup_bench.ts", ["41"], {}],
  ["wrap_startup_bench.ts", [], { BENCH_RUNS: "15" }],
  ["docker_build_bench.ts", [], { BENCH_RUNS: "5" }],
  ["short_lived_bench.ts", ["100"], {}],
  ["short_lived_bench.ts", ["100", "init"], {}],
];
for (const [script, args, env] of steps) {
  console.log(`\n## ${script} ${args.join(" ")}`);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(script, here).pathname, ...args],
    env,
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) console.log(`${script} failed (exit ${out.code})`);
}
