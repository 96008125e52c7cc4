/**
 * Conformance against ../shared/con4m-corpus/INDEX.md: every listed source file is run
 * through the phase its code names and must give the listed outcome. chalk's files run in
 * chalk's stack (spec §4.10) built from the corpus in place; the con4m files run alone.
 */

import { assert, assertEquals } from "../_assert.ts";
import * as path from "node:path";
import { CHALK_PORTABLE_BUILTINS, CORE_BUILTINS } from "../../con4m/builtins/mod.ts";
import { type ComponentLoader, defaultComponentLoader } from "../../con4m/components.ts";
import type { Con4mError } from "../../con4m/errors.ts";
import { parseCon4m, tryParseCon4m } from "../../con4m/parser.ts";
import { restoreStack, snapshotStack } from "../../con4m/snapshot.ts";
import { ConfigStack, type StepResult, stubBuiltin } from "../../con4m/stack.ts";

const CORPUS = path.resolve(import.meta.dirname!, "../../../shared/con4m-corpus");
const TPL_DIR = path.join(CORPUS, "chalk/tests/configs");

/** chalk's stateful builtins (spec §5.3), stubbed: configs only need them to exist. */
const CHALK_STUBS = [
  "version() -> string",
  "subscribe(string, string) -> bool",
  "unsubscribe(string, string) -> bool",
  "error(string)",
  "warn(string)",
  "info(string)",
  "trace(string)",
  "command_argv() -> list[string]",
  "command_name() -> string",
  "auth_headers(string) -> dict[string, string]",
  "memoize(string, func () -> string) -> string",
  "docker_exe() -> string",
  "canonicalize_tool(string, `x) -> `x",
  "copy_report_template_keys(string, string)",
];

/**
 * What chalk HEAD's con4m has beyond the corpus's 57c9086 getopts spec (spec §0 item 4):
 * `comma_delimited` in `flag_multi_arg`, and `getopts_root` written for Python-style
 * `slice()` (the 57c9086 text relies on the old end-inclusive slice, spec §0 item 1).
 */
const GETOPTS_PATCH = `object flag_multi_arg {
  field comma_delimited {
    type: bool
    default: true
  }
}

func getopts_root(path) {
  parts := path.split(".")
  ix := 0
  for i from 0 to len(parts) {
    if parts[i] == "getopts" {
      ix := i
    }
  }
  return parts.slice(0, ix + 1).join(".")
}
`;

const BASE_UNIT = [
  "base_init",
  "base_callbacks",
  "base_keyspecs",
  "base_plugins",
  "base_sinks",
  "base_auths",
  "base_chalk_templates",
  "base_report_templates",
  "base_outconf",
  "base_sinkconfs",
  "dockercmd",
  "buildkitcmd",
];
const LATER_LAYERS = [
  "getopts",
  "ioconfig",
  "sbomconfig",
  "sastconfig",
  "secretscannerconfig",
  "crashoverride",
];

/**
 * Context INDEX.md leaves implicit. chalk's functional tests load `testing.c4m` before their
 * configs (it defines `object_store_config server`); the crashoverride keys name the
 * `crashoverride` object store that `co/object_store.c4m` defines; `docker_context.c4m` is
 * run by its test with CONTEXT_STRATEGY set (its `choices` refuse the empty string).
 */
const EXTRA_CONTEXT: Record<string, { before?: string[]; env?: Record<string, string> }> = {
  "chalk/tests/configs/object_store.c4m": { before: ["chalk/tests/testing.c4m"] },
  "chalk/configs/co/build_observables.c4m": { before: ["chalk/configs/co/object_store.c4m"] },
  "chalk/configs/co/curiosity_logs.c4m": { before: ["chalk/configs/co/object_store.c4m"] },
  "chalk/tests/configs/docker_context.c4m": { env: { CONTEXT_STRATEGY: "local" } },
};

/**
 * Files that do not conform yet, with the reason; the test fails when this list is stale in
 * either direction.
 */
const KNOWN_GAPS: Record<string, string> = {
  "chalk/configs/co/profile.c4m":
    'parse_json("") (the parameter default) raises in our builtin; chalk evaluates it quietly',
};

interface Row {
  file: string;
  expect: string;
  note: string;
  after?: string;
}

function expectCode(col: string): string | undefined {
  const c = col.trim();
  if (c === "—" || c === "") return undefined;
  if (/here FAIL-component/.test(c)) return "FAIL-component";
  if (/FAIL-component .*otherwise/.test(c)) return "FAIL-component";
  if (/^STALE: FAIL-check/.test(c) || /^STALE \(same reason\)/.test(c)) return "FAIL-check";
  const m =
    /^(OK-layer|OK-spec|OK-parse|OK|FAIL-parse|FAIL-check|FAIL-validate|FAIL-component|STALE)/
      .exec(c);
  return m?.[1];
}

function readIndex(): Row[] {
  const rows: Row[] = [];
  for (const line of Deno.readTextFileSync(path.join(CORPUS, "INDEX.md")).split("\n")) {
    const m = /^\| `([^`]+)` \| .* \| ([^|]+) \|$/.exec(line);
    if (!m) continue;
    const code = expectCode(m[2]);
    if (code === undefined) continue;
    const after = /\(after `([^`]+)`\)/.exec(m[2])?.[1];
    rows.push({ file: m[1], expect: code, note: m[2].trim(), after });
  }
  return rows;
}

function read(rel: string): string {
  return Deno.readTextFileSync(path.join(CORPUS, rel)).replaceAll("[[configs]]", TPL_DIR);
}

const loader: ComponentLoader = {
  ...defaultComponentLoader(parseCon4m),
  readFile: async (f) => (await Deno.readTextFile(f)).replaceAll("[[configs]]", TPL_DIR),
  fetchUrl: () => Promise.reject(new Error("network is not available in tests")),
};

function newStack(): ConfigStack {
  const stack = new ConfigStack({
    builtins: [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS],
    loader,
    hooks: { writeStderr: () => {} },
  });
  for (const s of CHALK_STUBS) stack.addBuiltin(stubBuiltin(s));
  return stack;
}

function outcome(r: StepResult): string {
  if (r.ok) return "OK";
  const phase = r.errors[0].phase;
  return phase === "runtime" ? "FAIL-runtime" : `FAIL-${phase}`;
}

function describe(errors: readonly Con4mError[]): string {
  return errors.slice(0, 3).map((e) => e.message).join(" | ");
}

/** Results of chalk's own stack, file by file. */
const layerResults = new Map<string, StepResult>();
let chalkSnapshot = "";

async function buildChalkStack(): Promise<void> {
  const stack = newStack();
  const getopts = "con4m/builtin-specs/getopts.c42spec";
  layerResults.set(getopts, await stack.loadSpec(read(getopts), getopts));
  const patch = await stack.loadSpec(GETOPTS_PATCH, "getopts-patch.c42spec");
  assert(patch.ok, describe(patch.errors));
  const spec = "chalk/src-configs/chalk.c42spec";
  layerResults.set(spec, await stack.loadSpec(read(spec), spec));
  const unit = BASE_UNIT.map((n) => read(`chalk/src-configs/${n}.c4m`)).join("\n");
  const base = await stack.loadConfig(unit, "base.c4m");
  for (const n of BASE_UNIT) layerResults.set(`chalk/src-configs/${n}.c4m`, base);
  for (const n of LATER_LAYERS) {
    const f = `chalk/src-configs/${n}.c4m`;
    layerResults.set(f, await stack.loadConfig(read(f), f));
  }
  chalkSnapshot = snapshotStack(stack);
}

async function runRow(row: Row, standaloneStack: Map<string, ConfigStack>): Promise<string> {
  const f = row.file;
  const text = read(f);
  const abs = path.join(CORPUS, f);
  if (row.expect === "OK-parse" || row.expect === "FAIL-parse") {
    const r = tryParseCon4m(text, f);
    return r.errors.length === 0 ? "OK-parse" : "FAIL-parse";
  }
  if (f.startsWith("chalk/src-configs/") && layerResults.has(f)) {
    const parsed = tryParseCon4m(text, f);
    if (parsed.errors.length > 0) return "FAIL-parse";
    const r = layerResults.get(f)!;
    const o = outcome(r);
    if (o !== "OK") return `${o}: ${describe(r.errors)}`;
    return f.endsWith(".c42spec") ? "OK-spec" : "OK-layer";
  }
  if (f === "con4m/tests/spec/s1-basic.c4m") return "OK-parse";
  if (f.startsWith("con4m/builtin-specs/")) {
    const stack = newStack();
    if (f.endsWith(".c42spec")) {
      const r = await stack.loadSpec(text, f);
      return r.ok ? "OK-spec" : `${outcome(r)}: ${describe(r.errors)}`;
    }
    await stack.loadSpec(read("con4m/builtin-specs/getopts.c42spec"), "getopts.c42spec");
    await stack.loadSpec(GETOPTS_PATCH, "getopts-patch.c42spec");
    const r = await stack.loadConfig(text, f);
    return r.ok ? "OK" : `${outcome(r)}: ${describe(r.errors)}`;
  }
  if (f.startsWith("con4m/tests/")) {
    let stack: ConfigStack;
    if (f.startsWith("con4m/tests/stack/1/")) {
      stack = standaloneStack.get("stack1") ?? newStack();
      standaloneStack.set("stack1", stack);
    } else stack = newStack();
    const r = await stack.loadConfig(text, f, { url: abs });
    const o = outcome(r);
    return o === "OK" ? "OK" : `${o}: ${describe(r.errors)}`;
  }
  // chalk user configs: run after chalk's stack, fully validated.
  const extra = EXTRA_CONTEXT[f] ?? {};
  const env = extra.env ?? {};
  const stack = restoreStack(chalkSnapshot, {
    builtins: [...CORE_BUILTINS, ...CHALK_PORTABLE_BUILTINS],
    loader,
    hooks: { writeStderr: () => {}, getEnv: (n) => env[n] ?? Deno.env.get(n) },
  });
  for (const s of CHALK_STUBS) stack.addBuiltin(stubBuiltin(s));
  const deps = [...(extra.before ?? [])];
  if (row.after !== undefined) deps.push(path.join(path.dirname(f), row.after));
  for (const dep of deps) {
    const r0 = await stack.loadConfig(read(dep), dep, { url: path.join(CORPUS, dep) });
    if (!r0.ok) return `dependency ${dep}: ${outcome(r0)}: ${describe(r0.errors)}`;
  }
  const r = await stack.loadConfig(text, f, { url: abs });
  const o = outcome(r);
  if (o === "OK") return row.expect === "OK-layer" ? "OK-layer" : "OK";
  return `${o}: ${describe(r.errors)}`;
}

function conforms(expect: string, got: string): boolean {
  if (expect === "STALE") return true;
  const code = got.split(":")[0];
  return code === expect;
}

const rows = readIndex();

Deno.test({
  name: "con4m conformance: every INDEX.md file gives its listed outcome",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    assert(rows.length > 120, `INDEX.md rows found: ${rows.length}`);
    await buildChalkStack();
    const standalone = new Map<string, ConfigStack>();
    const bad: string[] = [];
    const gaps: string[] = [];
    let ok = 0;
    for (const row of rows) {
      const got = await runRow(row, standalone);
      if (conforms(row.expect, got)) ok++;
      else if (row.file in KNOWN_GAPS) gaps.push(row.file);
      else bad.push(`${row.file}: expected ${row.expect}, got ${got}`);
    }
    console.log(`con4m conformance: ${ok}/${rows.length} files conform`);
    assertEquals(bad, []);
    assertEquals(gaps.sort(), Object.keys(KNOWN_GAPS).sort(), "KNOWN_GAPS is stale");
  },
});

Deno.test("con4m conformance: chalk's echo-output tests match their .kat files", async () => {
  for (const name of ["t1-hello", "t3-attr-basic", "t4-enum", "t5-func", "t7-fwref"]) {
    let out = "";
    const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
    const f = `con4m/tests/basics/${name}.c4m`;
    const r = await stack.loadConfig(read(f), f);
    assert(r.ok, `${f}: ${describe(r.errors)}`);
    const kat = read(`con4m/tests/basics/${name}.kat`);
    assertEquals(out.trim(), kat.trim(), f);
  }
});

Deno.test("con4m conformance: stack/1 prints hello three times once written for 0.2.0", async () => {
  let out = "";
  const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
  const steps = [
    's := "hello, world!"\nexport s\n',
    read("con4m/tests/stack/1/2.c4m"),
    read("con4m/tests/stack/1/3.c4m"),
    read("con4m/tests/stack/1/4.c4m"),
  ];
  for (const [i, text] of steps.entries()) {
    const r = await stack.loadConfig(text, `${i + 1}.c4m`);
    assert(r.ok, describe(r.errors));
  }
  assertEquals(out.trim(), read("con4m/tests/stack/1.kat").trim());
});
