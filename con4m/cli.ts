/**
 * The `con4m` command for people who write configs (issue 3 part 8):
 *
 * ```
 * deno task con4m <parse|check|run> FILE... [--spec SPEC...] [--stub SIG...] [--check LEVEL]
 * ```
 *
 * `parse` stops after the grammar, `check` also type-checks, `run` evaluates the files as
 * layers of one stack, validates them against the specs and prints the attribute tree as
 * JSON. Exit status: 0 fine, 1 config error, 2 usage error. Errors print as
 * `file:line:col: message` with the source line and a caret; never a stack trace.
 *
 * @module
 */

import { type Con4mError, formatCon4mError } from "./errors.ts";
import { Con4mRuntime } from "./runtime.ts";
import { type CheckLevel, ConfigStack, type StopAfter, stubBuiltin } from "./stack.ts";

/** Usage text of the command. */
export const USAGE = `usage: con4m <parse|check|run> FILE... [options]

  parse   stop after the grammar
  check   parse and type-check
  run     evaluate the files as layers, validate, print the attribute tree as JSON

options:
  --spec FILE      load a c42 spec first (repeatable, in order)
  --stub SIG       add a do-nothing host function, e.g. "subscribe(string, string) -> bool"
  --check LEVEL    validation after each config layer: full (default), defaults, none
  -h, --help       show this help

exit status: 0 fine, 1 config error, 2 usage error
`;

/** Where the command writes. */
export interface CliIO {
  /** Standard output. */
  out(text: string): void;
  /** Standard error. */
  err(text: string): void;
  /** Read a file (throws when it cannot be read). */
  readFile(path: string): Promise<string>;
}

/** Parsed command line. */
export interface CliArgs {
  /** Phase to stop after. */
  mode: StopAfter;
  /** Config files, in layer order. */
  files: string[];
  /** Spec files, in order. */
  specs: string[];
  /** Host function stubs. */
  stubs: string[];
  /** Validation level for config layers. */
  check: CheckLevel;
}

/** A command-line mistake (exit status 2). */
export class UsageError extends Error {
  /** The one-line reason. */
  readonly reason: string;

  /** Create an error with a one-line reason. */
  constructor(reason: string) {
    super(reason);
    this.name = "UsageError";
    this.reason = reason;
  }
}

/** Parse the command line; returns "help" for `-h`/`--help`. Throws {@linkcode UsageError}. */
export function parseCliArgs(argv: readonly string[]): CliArgs | "help" {
  const out: CliArgs = { mode: "run", files: [], specs: [], stubs: [], check: "full" };
  let mode: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (flag: string): string => {
      const eq = a.indexOf("=");
      if (eq >= 0) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (a === "-h" || a === "--help") return "help";
    if (a === "--spec" || a.startsWith("--spec=")) out.specs.push(value("--spec"));
    else if (a === "--stub" || a.startsWith("--stub=")) out.stubs.push(value("--stub"));
    else if (a === "--check" || a.startsWith("--check=")) {
      const v = value("--check");
      if (v !== "full" && v !== "defaults" && v !== "none") {
        throw new UsageError(`--check must be full, defaults or none (got '${v}')`);
      }
      out.check = v;
    } else if (a.startsWith("-") && a !== "-") throw new UsageError(`unknown option ${a}`);
    else if (mode === undefined) mode = a;
    else out.files.push(a);
  }
  if (mode === undefined) throw new UsageError("missing command (parse, check or run)");
  if (mode !== "parse" && mode !== "check" && mode !== "run") {
    throw new UsageError(`unknown command '${mode}' (expected parse, check or run)`);
  }
  out.mode = mode;
  if (out.files.length === 0) throw new UsageError("no files given");
  return out;
}

/**
 * The parsed command line, or the exit status when there is nothing more to do: usage
 * printed for `--help` (0) or after a usage error (2). `usage` is the text to print.
 */
export function parseOrExit(argv: readonly string[], io: CliIO, usage = USAGE): CliArgs | number {
  try {
    const args = parseCliArgs(argv);
    if (args !== "help") return args;
    io.out(usage);
    return 0;
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`con4m: ${err.reason}\n${usage}`);
    return 2;
  }
}

function report(io: CliIO, errors: readonly Con4mError[], sources: Map<string, string>): void {
  for (const e of errors) io.err(formatCon4mError(e, { source: sources.get(e.file) }) + "\n");
}

/**
 * Run the command with `argv` (without the program name); returns the exit status.
 *
 * @example
 * ```ts
 * const code = await runCli(["run", "my.c4m", "--spec", "my.c42spec"]);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO = denoIO()): Promise<number> {
  const args = parseOrExit(argv, io);
  if (typeof args === "number") return args;
  const sources = new Map<string, string>();
  for (const f of [...args.specs, ...args.files]) {
    try {
      sources.set(f, await io.readFile(f));
    } catch {
      io.err(`con4m: cannot read ${f}\n`);
      return 2;
    }
  }
  const stack = new ConfigStack();
  try {
    for (const s of args.stubs) stack.addBuiltin(stubBuiltin(s));
  } catch (err) {
    io.err(`con4m: bad --stub signature: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  let failed = false;
  try {
    for (const s of args.specs) {
      const r = await stack.loadSpec(sources.get(s)!, s, { stopAfter: args.mode });
      if (!r.ok) {
        report(io, r.errors, sources);
        return 1;
      }
    }
    for (const f of args.files) {
      const r = await stack.loadConfig(sources.get(f)!, f, {
        stopAfter: args.mode,
        check: args.check,
      });
      if (!r.ok) {
        report(io, r.errors, sources);
        failed = true;
        if (args.mode === "run") break;
      } else if (args.mode !== "run") io.out(`${f}: ok\n`);
    }
  } catch (err) {
    io.err(`con4m: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  if (failed) return 1;
  if (args.mode === "run") {
    io.out(JSON.stringify(new Con4mRuntime(stack).toJson(), null, 2) + "\n");
  }
  return 0;
}

/** IO backed by this process. */
export function denoIO(): CliIO {
  const enc = new TextEncoder();
  const write = (w: { writeSync(b: Uint8Array): number }, text: string): void => {
    let b = enc.encode(text);
    while (b.length > 0) b = b.subarray(w.writeSync(b));
  };
  return {
    out: (t) => write(Deno.stdout, t),
    err: (t) => write(Deno.stderr, t),
    readFile: (p) => Deno.readTextFile(p),
  };
}

if (import.meta.main) {
  Deno.exit(await runCli(Deno.args));
}
