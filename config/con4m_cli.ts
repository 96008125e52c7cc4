/**
 * `deno task con4m`: the con4m tool for people who write chalk
 * configurations. Without `--spec`, `check` and `run` load chalk's own
 * schema, base configuration and functions first (as chalk does), so a
 * chalk configuration is checked as chalk will run it: every type error of
 * the file, then (when it types) every schema error, each with its line, the
 * source line, and a suggestion for a misspelled name. With `--spec FILE`
 * or `--bare` it is the plain language tool (`con4m/cli.ts`).
 *
 * ```
 * deno task con4m check my-chalk.c4m
 * ```
 *
 * @module
 */
import { sinkProblems } from "./sink_checks.ts";
import { sinksInUse } from "./sink_use.ts";
import { type CliIO, denoIO, parseOrExit, runCli, USAGE } from "../con4m/cli.ts";
import { type Con4mError, formatCon4mError } from "../con4m/errors.ts";
import type { Program } from "../con4m/ast.ts";
import { newChalkHostEnv, restoreBaseStack } from "./base_snapshot.ts";
import { errorLine } from "./error_location.ts";

/** One error as `file:line:col: message`, then the source line and a caret when known. */
function show(err: Con4mError, file: string, program: Program | undefined, source: string): string {
  const line = errorLine(err, file, program);
  const at = /^[^:]+:(\d+):(\d+): /.exec(line);
  if (!at) return line;
  const placed = { ...err, line: Number(at[1]), col: Number(at[2]), message: line } as Con4mError;
  return formatCon4mError(placed, { source });
}

/** Checks (or runs) one chalk configuration file on top of chalk's base; true when clean. */
async function checkChalkFile(
  file: string,
  source: string,
  mode: "check" | "run",
  io: CliIO,
): Promise<boolean> {
  const typed = (await restoreBaseStack(newChalkHostEnv())).stack;
  const t = await typed.loadConfig(source, file, { stopAfter: "check" });
  let errors = t.errors;
  let program = t.program;
  let runtime: unknown;
  if (t.ok) {
    const { stack, env } = await restoreBaseStack(newChalkHostEnv());
    const r = await stack.loadConfig(source, file, { check: "full" });
    errors = r.errors;
    program = r.program ?? program;
    if (r.ok) {
      const { Con4mRuntime } = await import("../con4m/runtime.ts");
      const rt = new Con4mRuntime(stack);
      // What chalk itself checks next: the values of the sinks the file delivers to.
      errors = sinkProblems(rt, sinksInUse(rt, env.subscriptions.list()));
      if (mode === "run") runtime = rt.toJson();
    }
  }
  for (const e of errors) io.err(show(e, file, program, source) + "\n");
  if (errors.length > 0) {
    io.err(`${file}: ${errors.length} error${errors.length === 1 ? "" : "s"}\n`);
    return false;
  }
  io.out(mode === "run" ? JSON.stringify(runtime, null, 2) + "\n" : `${file}: ok\n`);
  return true;
}

/** Runs the tool; returns the exit status (0 fine, 1 config errors, 2 usage). */
export async function runChalkCon4m(
  argv: readonly string[],
  io: CliIO = denoIO(),
): Promise<number> {
  const bare = argv.includes("--bare");
  const rest = argv.filter((a) => a !== "--bare");
  const usage = USAGE.replace(
    "options:\n",
    "options:\n  --bare           do not load chalk's schema and functions\n",
  );
  const args = parseOrExit(rest, io, usage);
  if (typeof args === "number") return args;
  if (bare || args.specs.length > 0 || args.mode === "parse") return await runCli(rest, io);
  let ok = true;
  for (const file of args.files) {
    let source: string;
    try {
      source = await io.readFile(file);
    } catch {
      io.err(`con4m: cannot read ${file}\n`);
      return 2;
    }
    ok = await checkChalkFile(file, source, args.mode as "check" | "run", io) && ok;
  }
  return ok ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await runChalkCon4m(Deno.args));
}
