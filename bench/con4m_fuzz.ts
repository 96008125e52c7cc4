/**
 * Mutation robustness of the con4m pipeline (issue 3): random mutations of the corpus files
 * (byte flips, truncation, deleted and duplicated lines) go through parse, check, evaluate
 * and validate. Every case must end in a value or a reported `Con4mError`; anything thrown
 * past the stack is a crash. Builtins with side effects (writing files, running programs,
 * network, environment changes) are replaced by stubs with the same signatures, `abort()`
 * and `echo` go to hooks, and a statement budget stops runaway loops.
 *
 * ```
 * deno run -A bench/con4m_fuzz.ts [--cases N] [--seed S] [--max-lines L] [--layered M]
 * ```
 *
 * `--layered M` adds M cases that mutate chalk's user configs and load them on top of chalk's
 * stack (built once from the corpus, restored from a snapshot per case) with full validation.
 * Prints one summary line per campaign and exits 1 when any case crashed.
 *
 * @module
 */

import * as path from "node:path";
import { type BuiltinDef, defineBuiltin } from "../con4m/builtins/builtin_def.ts";
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "../con4m/builtins/mod.ts";
import { DEFAULT_EVAL_LIMITS } from "../con4m/budget.ts";
import { Con4mError } from "../con4m/errors.ts";
import { ConfigStack, type StepResult, zeroValue } from "../con4m/stack.ts";
import { snapshotStack } from "../con4m/snapshot.ts";
import { parseType, prune } from "../con4m/types.ts";
import { loadChalkLayers, newChalkStack } from "../tests/con4m/_chalk_corpus.ts";

/** Builtins that change the outside world, run programs, use the network or walk big trees. */
const UNSAFE = new Set([
  "write_file",
  "copy_file",
  "move_file",
  "rm_file",
  "chdir",
  "mkdir",
  "chmod",
  "to_tmp_file",
  "set_env",
  "run",
  "system",
  "url_get",
  "url_get_pinned",
  "url_post",
  "url_post_pinned",
  "external_ip",
  "dir_size",
  "dir_size_under",
  "list_dir",
]);

/** The builtin set used for fuzzing: safe builtins as is, unsafe ones stubbed. */
export function fuzzBuiltins(): BuiltinDef[] {
  return [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS].map((d) => {
    if (!UNSAFE.has(d.name)) return d;
    const t = prune(parseType(d.sig));
    const ret = t.kind === "func" ? t.ret : t;
    return defineBuiltin(d.name, d.sig, () => zeroValue(ret), { tags: ["stub"] });
  });
}

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The mutation kinds. */
export type Mutation = "flip" | "truncate" | "delete-line" | "dup-line";

const PRINTABLE = " \n\t{}[]()<>:=.,;\"'`~!+-*/%#_$0123456789abcdefxyz";

/** Apply one mutation of `kind` to `text` using `rnd`. */
export function mutate(text: string, kind: Mutation, rnd: () => number): string {
  const pick = (n: number): number => Math.floor(rnd() * n);
  switch (kind) {
    case "flip": {
      if (text.length === 0) return "x";
      const i = pick(text.length);
      const ch = rnd() < 0.5
        ? PRINTABLE[pick(PRINTABLE.length)]
        : String.fromCharCode(text.charCodeAt(i) ^ (1 << pick(7)));
      return text.slice(0, i) + ch + text.slice(i + 1);
    }
    case "truncate":
      return text.slice(0, pick(text.length + 1));
    case "delete-line": {
      const lines = text.split("\n");
      lines.splice(pick(lines.length), 1);
      return lines.join("\n");
    }
    case "dup-line": {
      const lines = text.split("\n");
      const i = pick(lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join("\n");
    }
  }
}

/** Outcome counts of a fuzz run. */
export interface FuzzSummary {
  /** Cases run. */
  cases: number;
  /** Cases that evaluated (and validated) without error. */
  ok: number;
  /** Reported errors by phase. */
  errors: Record<string, number>;
  /** Cases that threw something other than a reported error. */
  crashes: { file: string; message: string }[];
}

/** Options of {@linkcode runFuzz}. */
export interface FuzzOptions {
  /** Number of cases (default 10000). */
  cases?: number;
  /** PRNG seed (default 1). */
  seed?: number;
  /** Skip corpus files longer than this many lines (default 400). */
  maxLines?: number;
  /** Step budget per case (default 20000; layered cases: the evaluator's default). */
  maxSteps?: number;
  /** Folders whose con4m files are mutated (default: the corpus in ../shared). */
  roots?: readonly string[];
}

const CORPUS_ROOT = path.resolve(import.meta.dirname!, "../../shared/con4m-corpus");

async function corpusFiles(
  maxLines: number,
  roots: readonly string[] = [CORPUS_ROOT],
): Promise<{ file: string; text: string }[]> {
  const out: { file: string; text: string }[] = [];
  const walk = async (dir: string, root: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const p = path.join(dir, e.name);
      if (e.isDirectory) await walk(p, root);
      else if (/\.(c4m|c42spec)$/.test(e.name)) {
        const text = await Deno.readTextFile(p);
        if (text.split("\n").length <= maxLines) out.push({ file: path.relative(root, p), text });
      }
    }
  };
  for (const root of roots) await walk(root, root);
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

/** Run the fuzz campaign and return the summary. */
export async function runFuzz(opts: FuzzOptions = {}): Promise<FuzzSummary> {
  const cases = opts.cases ?? 10000;
  const rnd = prng(opts.seed ?? 1);
  const files = await corpusFiles(opts.maxLines ?? 400, opts.roots);
  const builtins = fuzzBuiltins();
  const kinds: Mutation[] = ["flip", "truncate", "delete-line", "dup-line"];
  const summary: FuzzSummary = { cases: 0, ok: 0, errors: {}, crashes: [] };
  const noExit = (): never => {
    throw new Con4mError("runtime", "abort() called");
  };
  for (let n = 0; n < cases; n++) {
    const { file, text } = files[Math.floor(rnd() * files.length)];
    let mutated = text;
    const count = 1 + Math.floor(rnd() * 3);
    for (let i = 0; i < count; i++) {
      mutated = mutate(mutated, kinds[Math.floor(rnd() * kinds.length)], rnd);
    }
    const stack = new ConfigStack({
      builtins,
      hooks: { writeStderr: () => {}, exit: noExit },
      loader: {
        readFile: () => Promise.reject(new Error("no components while fuzzing")),
        fetchUrl: () => Promise.reject(new Error("no network while fuzzing")),
        parse: () => {
          throw new Con4mError("component", "no components while fuzzing");
        },
      },
    });
    stack.limits = { ...DEFAULT_EVAL_LIMITS, maxSteps: opts.maxSteps ?? 20000 };
    summary.cases++;
    try {
      const r: StepResult = file.endsWith(".c42spec")
        ? await stack.loadSpec(mutated, file)
        : await stack.loadConfig(mutated, file);
      if (r.ok) summary.ok++;
      else {
        for (const e of r.errors.slice(0, 1)) {
          summary.errors[e.phase] = (summary.errors[e.phase] ?? 0) + 1;
        }
      }
    } catch (err) {
      summary.crashes.push({
        file,
        message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
    }
  }
  return summary;
}

/**
 * Mutated chalk user configs loaded on top of chalk's own stack with full validation (the
 * path `chalk load` takes). Slower per case: each restores the stack from a snapshot.
 */
export async function runLayeredFuzz(opts: FuzzOptions = {}): Promise<FuzzSummary> {
  const cases = opts.cases ?? 200;
  const rnd = prng(opts.seed ?? 1);
  const builtins = fuzzBuiltins();
  const base = newChalkStack({ builtins });
  for (const [f, r] of await loadChalkLayers(base)) {
    if (!r.ok) throw new Error(`chalk stack from the corpus failed at ${f}: ${r.errors[0]}`);
  }
  const snapshot = snapshotStack(base);
  const files = (await corpusFiles(opts.maxLines ?? 400)).filter((f) =>
    /^chalk\/(configs|tests)\//.test(f.file) && f.file.endsWith(".c4m")
  );
  const kinds: Mutation[] = ["flip", "truncate", "delete-line", "dup-line"];
  const summary: FuzzSummary = { cases: 0, ok: 0, errors: {}, crashes: [] };
  for (let n = 0; n < cases; n++) {
    const { file, text } = files[Math.floor(rnd() * files.length)];
    const mutated = mutate(text, kinds[Math.floor(rnd() * kinds.length)], rnd);
    summary.cases++;
    try {
      const stack = newChalkStack({ builtins, snapshot });
      // Steps count the validation by chalk's spec too: keep the evaluator's default here.
      stack.limits = {
        ...DEFAULT_EVAL_LIMITS,
        maxSteps: opts.maxSteps ?? DEFAULT_EVAL_LIMITS.maxSteps,
      };
      const r = await stack.loadConfig(mutated, file);
      if (r.ok) summary.ok++;
      else summary.errors[r.errors[0].phase] = (summary.errors[r.errors[0].phase] ?? 0) + 1;
    } catch (err) {
      summary.crashes.push({
        file,
        message: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      });
    }
  }
  return summary;
}

function report(name: string, s: FuzzSummary, secs: string): void {
  console.log(
    `con4m fuzz (${name}): ${s.cases} cases in ${secs}s: ${s.ok} ok, errors ${
      JSON.stringify(s.errors)
    }, ${s.crashes.length} crashes`,
  );
  for (const c of s.crashes.slice(0, 20)) console.log(`  crash in ${c.file}: ${c.message}`);
}

function flag(args: string[], name: string): number | undefined {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? Number(args[i + 1]) : undefined;
}

if (import.meta.main) {
  let t0 = performance.now();
  const s = await runFuzz({
    cases: flag(Deno.args, "--cases"),
    seed: flag(Deno.args, "--seed"),
    maxLines: flag(Deno.args, "--max-lines"),
  });
  report("files", s, ((performance.now() - t0) / 1000).toFixed(1));
  let crashes = s.crashes.length;
  const layered = flag(Deno.args, "--layered");
  if (layered !== undefined && layered > 0) {
    t0 = performance.now();
    const l = await runLayeredFuzz({ cases: layered, seed: flag(Deno.args, "--seed") });
    report("layered on chalk's stack", l, ((performance.now() - t0) / 1000).toFixed(1));
    crashes += l.crashes.length;
  }
  Deno.exit(crashes > 0 ? 1 : 0);
}
