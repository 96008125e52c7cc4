/**
 * Builtins that run commands or end the program: `run`, `system`, `quote`, `echo`, `abort`.
 * Commands run through `sh -c` with stderr merged into stdout; they cannot drop setuid privileges
 * (a Deno program is never setuid).
 *
 * @module
 */

import { formatValue } from "../values.ts";
import { argStr } from "./_args.ts";
import {
  type BuiltinContext,
  type BuiltinDef,
  BuiltinError,
  defineBuiltin,
} from "./builtin_def.ts";
import { errorMessage } from "../../internal/errors.ts";

const TAGS = ["process"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/**
 * Run `command` with `sh -c`, stdout and stderr merged in order, in directory `cwd`.
 * Returns the output and the exit code (127 when `sh` cannot be started, 128+n on signal n).
 * With `timeoutMs`, coreutils' `timeout` kills the command's whole process group then (a
 * background child would otherwise keep the output pipe, and chalk, waiting); `timedOut` says
 * it did. Without `timeout` on the system the command runs unbounded.
 */
export function runShell(
  command: string,
  cwd: string,
  timeoutMs = Infinity,
): { output: string; code: number; timedOut: boolean } {
  const sh = ["/bin/sh", "-c", 'exec 2>&1; eval "$1"', "sh", command];
  const bounded = Number.isFinite(timeoutMs)
    ? ["timeout", "-s", "KILL", (Math.max(timeoutMs, 1) / 1000).toFixed(3), ...sh]
    : sh;
  try {
    const out = spawnSync(bounded, cwd);
    // `timeout` exits 137 when it had to kill.
    const timedOut = bounded !== sh && out.code === 137;
    return { output: new TextDecoder().decode(out.stdout), code: out.code, timedOut };
  } catch (e) {
    if (bounded !== sh && e instanceof Deno.errors.NotFound) return runShell(command, cwd);
    return { output: errorMessage(e), code: 127, timedOut: false };
  }
}

function spawnSync(argv: readonly string[], cwd: string): Deno.CommandOutput {
  return new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).outputSync();
}

/** Runs a `run`/`system` command within what is left of the evaluation's time. */
function runBudgeted(command: string, ctx: BuiltinContext): { output: string; code: number } {
  const r = runShell(command, ctx.host.cwd(), ctx.budget?.remainingMs());
  // 137 is also what a command killed by anyone else returns: only the deadline counts here.
  if (r.timedOut && (ctx.budget?.remainingMs() ?? 1) <= 0) {
    throw new BuiltinError("the command was killed when the time ran out");
  }
  return r;
}

const SHELL_SAFE = /^[A-Za-z0-9_\-./:=@%+]+$/;

/** Quote a string for a POSIX shell (unchanged when it needs no quoting). */
export function shellQuote(s: string): string {
  if (s === "") return "''";
  if (SHELL_SAFE.test(s)) return s;
  return `'${s.replaceAll("'", `'"'"'`)}'`;
}

/** The process builtins. */
export const PROCESS_BUILTINS: readonly BuiltinDef[] = [
  def(
    "run",
    "func(string) -> string",
    (a, ctx) => runBudgeted(argStr(a, 0), ctx).output,
    "Run a shell command; its stdout and stderr merged (exit code discarded).",
  ),
  def(
    "system",
    "func(string) -> tuple[string, int]",
    (a, ctx) => {
      const r = runBudgeted(argStr(a, 0), ctx);
      return [r.output, BigInt(r.code)];
    },
    "Run a shell command; (merged output, exit code).",
  ),
  def("quote", "func(string) -> string", (a) => shellQuote(argStr(a, 0)), "Shell-quote."),
  def(
    "echo",
    "func(*`a)",
    (a, ctx) => {
      const parts = a.map((v, i) => formatValue(v, ctx.argTypes[i]));
      ctx.host.writeStderr(parts.join(" ") + "\n");
      return undefined;
    },
    "Print the arguments as by $(), separated by spaces, with a newline, to stderr.",
  ),
  def(
    "abort",
    "func(string)",
    (a, ctx) => {
      ctx.host.writeStderr(argStr(a, 0) + "\n");
      return ctx.host.exit(1);
    },
    "Print the message to stderr and exit with status 1.",
  ),
];
