/**
 * Builtins that run commands or end the program: `run`, `system`, `quote`, `echo`, `abort`.
 * Commands run through `sh -c` with stderr merged into stdout; they cannot drop setuid privileges
 * (a Deno program is never setuid).
 *
 * @module
 */

import { formatValue } from "../values.ts";
import { argStr } from "./_args.ts";
import { type BuiltinDef, defineBuiltin } from "./builtin_def.ts";
import { errorMessage } from "../../internal/errors.ts";

const TAGS = ["process"];
const def = (name: string, sig: string, impl: BuiltinDef["impl"], doc: string): BuiltinDef =>
  defineBuiltin(name, sig, impl, { doc, tags: TAGS });

/**
 * Run `command` with `sh -c`, stdout and stderr merged in order, in directory `cwd`.
 * Returns the output and the exit code (127 when `sh` cannot be started, 128+n on signal n).
 */
export function runShell(command: string, cwd: string): { output: string; code: number } {
  try {
    const out = new Deno.Command("/bin/sh", {
      args: ["-c", 'exec 2>&1; eval "$1"', "sh", command],
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return { output: new TextDecoder().decode(out.stdout), code: out.code };
  } catch (e) {
    return { output: errorMessage(e), code: 127 };
  }
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
    (a, ctx) => runShell(argStr(a, 0), ctx.host.cwd()).output,
    "Run a shell command; its stdout and stderr merged (exit code discarded).",
  ),
  def(
    "system",
    "func(string) -> tuple[string, int]",
    (a, ctx) => {
      const r = runShell(argStr(a, 0), ctx.host.cwd());
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
