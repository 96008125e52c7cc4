/**
 * What a start loads before it knows its command (docs/architecture.md, "Start-up"): the
 * modules `cli/main.ts` imports statically, and those the fast paths import, must not reach a
 * node built-in (each costs milliseconds at start in the bundle) nor the con4m evaluator,
 * the sinks, the configuration loader, the docker build planner or the collectors that
 * report. Everything else is imported dynamically, when a command needs it.
 */
import { assertEquals } from "../_assert.ts";
import { dirname, join, relative } from "node:path";
import { fromFileUrl } from "../../internal/posix_path.ts";

const ROOT = dirname(dirname(dirname(fromFileUrl(import.meta.url))));

/** Static imports (not `import type`, not `import()`) of a module's source. */
function staticImports(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out: string[] = [];
  for (const m of code.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?\bfrom\s*"([^"]+)"/gms)) {
    out.push(m[2]);
  }
  for (const m of code.matchAll(/^\s*import\s+"([^"]+)"/gm)) out.push(m[1]);
  return out;
}

/** Every module the static import graph from `entries` reaches (repository-relative). */
function reach(entries: string[]): { modules: Set<string>; external: Set<string> } {
  const modules = new Set<string>();
  const external = new Set<string>();
  const todo = entries.map((e) => join(ROOT, e));
  while (todo.length > 0) {
    const file = todo.pop()!;
    const rel = relative(ROOT, file);
    if (modules.has(rel)) continue;
    modules.add(rel);
    for (const spec of staticImports(Deno.readTextFileSync(file))) {
      if (spec.startsWith(".")) todo.push(join(dirname(file), spec));
      else external.add(spec);
    }
  }
  return { modules, external };
}

const FAST_ENTRIES = [
  "cli/entry.ts",
  "cli/main.ts",
  "cli/fast_exec.ts",
  "docker/fast_passthrough.ts",
];

/**
 * Rooms (or files) a start must not load before it knows it needs them. con4m's literal
 * parser (`other_literals.ts`, durations for `--heartbeat-rate`) is no evaluator and may load.
 */
const FORBIDDEN = [
  /^con4m\/(?!other_literals\.ts)/,
  /^sinks\//,
  /^reports\//,
  /^trust\//,
  /^config\/(?!external_config\.ts)/,
  /^docker\/(docker_build|build_plan|dockerfile_|entrypoint_wrap|chalk_runtime_bundle)/,
  /^collectors\/(host|git|ci|cloud)/,
  /^ops\/(open_run|reporting|run_context|insert|extract|delete|load|scan)\.ts/,
];

Deno.test("the start and the fast paths import no node built-in", () => {
  const { external } = reach(FAST_ENTRIES);
  assertEquals([...external].sort(), []);
});

Deno.test("the start and the fast paths import no configuration, sink or build code", () => {
  const { modules } = reach(FAST_ENTRIES);
  const wrong = [...modules].filter((m) => FORBIDDEN.some((re) => re.test(m))).sort();
  assertEquals(wrong, []);
});

Deno.test("each command's operation is imported only when the command runs", () => {
  const { modules } = reach(["cli/program.ts"]);
  const wrong = [...modules].filter((m) =>
    /^(con4m|sinks|docker|exec)\//.test(m) && !/^exec\/(exec_argv|job|settings)\.ts$/.test(m) &&
    !/^con4m\/other_literals\.ts$/.test(m)
  );
  assertEquals(wrong.sort(), []);
});

/** What the full path of insert, extract, delete and docker build loads at its start. */
const FULL_ENTRIES = [
  "cli/program.ts",
  "ops/open_run.ts",
  "ops/insert.ts",
  "ops/extract.ts",
  "ops/delete.ts",
  "docker/docker_build.ts",
];

Deno.test("the full path parses no con4m text and generates no key unless it must", () => {
  // The base configuration comes from its snapshot: the parser (nearley, moo, the grammar)
  // loads at the first configuration text to parse; jose only for `chalk setup`.
  const { modules, external } = reach(FULL_ENTRIES);
  const wrong = [...modules].filter((m) =>
    /^con4m\/(parser|lexer|grammar\.generated)\.ts$/.test(m)
  );
  assertEquals(wrong, []);
  assertEquals([...external].filter((e) => ["nearley", "moo", "jose"].includes(e)), []);
});
