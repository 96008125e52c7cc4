/**
 * Conformance against ../shared/con4m-corpus/INDEX.md: every listed source file is run through the
 * phase its code names and must give the listed outcome. chalk's files run in chalk's stack built
 * from the corpus in place; the con4m files run alone.
 */

import { assert, assertEquals } from "../_assert.ts";
import * as path from "node:path";
import type { Con4mError } from "../../con4m/errors.ts";
import { tryParseCon4m } from "../../con4m/parser.ts";
import { snapshotStack } from "../../con4m/snapshot.ts";
import { ConfigStack, type StepResult } from "../../con4m/stack.ts";
import {
  CORPUS,
  GETOPTS_PATCH,
  loadChalkLayers,
  newChalkStack,
  readCorpus,
} from "./_chalk_corpus.ts";
import { HAVE_CORPUS, sharedTest } from "../_shared.ts";

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
 * Files that do not conform yet, with the reason (they are reported, not failed; the log says
 * when one starts conforming).
 */
const KNOWN_GAPS: Record<string, string> = {};

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
  const stack = newChalkStack();
  for (const [k, v] of await loadChalkLayers(stack)) layerResults.set(k, v);
  const patch = layerResults.get("getopts-patch")!;
  assert(patch.ok, describe(patch.errors));
  chalkSnapshot = snapshotStack(stack);
}

async function runRow(row: Row, standaloneStack: Map<string, ConfigStack>): Promise<string> {
  const f = row.file;
  const text = readCorpus(f);
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
    const stack = newChalkStack();
    if (f.endsWith(".c42spec")) {
      const r = await stack.loadSpec(text, f);
      return r.ok ? "OK-spec" : `${outcome(r)}: ${describe(r.errors)}`;
    }
    await stack.loadSpec(readCorpus("con4m/builtin-specs/getopts.c42spec"), "getopts.c42spec");
    await stack.loadSpec(GETOPTS_PATCH, "getopts-patch.c42spec");
    const r = await stack.loadConfig(text, f);
    return r.ok ? "OK" : `${outcome(r)}: ${describe(r.errors)}`;
  }
  if (f.startsWith("con4m/tests/")) {
    let stack: ConfigStack;
    if (f.startsWith("con4m/tests/stack/1/")) {
      stack = standaloneStack.get("stack1") ?? newChalkStack();
      standaloneStack.set("stack1", stack);
    } else stack = newChalkStack();
    const r = await stack.loadConfig(text, f, { url: abs });
    const o = outcome(r);
    return o === "OK" ? "OK" : `${o}: ${describe(r.errors)}`;
  }
  // chalk user configs: run after chalk's stack, fully validated.
  const extra = EXTRA_CONTEXT[f] ?? {};
  const env = extra.env ?? {};
  const stack = newChalkStack({
    snapshot: chalkSnapshot,
    hooks: { getEnv: (n) => env[n] ?? Deno.env.get(n) },
  });
  const deps = [...(extra.before ?? [])];
  if (row.after !== undefined) deps.push(path.join(path.dirname(f), row.after));
  for (const dep of deps) {
    const r0 = await stack.loadConfig(readCorpus(dep), dep, { url: path.join(CORPUS, dep) });
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

const rows = HAVE_CORPUS ? readIndex() : [];

sharedTest("con4m conformance: every INDEX.md file gives its listed outcome", {
  needs: "corpus",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
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
  for (const g of gaps) console.log(`  known gap: ${g}: ${KNOWN_GAPS[g]}`);
  for (const f of Object.keys(KNOWN_GAPS)) {
    if (!gaps.includes(f)) console.log(`  ${f} conforms now: remove it from KNOWN_GAPS`);
  }
  assertEquals(bad, []);
});

sharedTest("con4m conformance: chalk's echo-output tests match their .kat files", {
  needs: "corpus",
}, async () => {
  for (const name of ["t1-hello", "t3-attr-basic", "t4-enum", "t5-func", "t7-fwref"]) {
    let out = "";
    const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
    const f = `con4m/tests/basics/${name}.c4m`;
    const r = await stack.loadConfig(readCorpus(f), f);
    assert(r.ok, `${f}: ${describe(r.errors)}`);
    const kat = readCorpus(`con4m/tests/basics/${name}.kat`);
    assertEquals(out.trim(), kat.trim(), f);
  }
});

sharedTest("con4m conformance: stack/1 prints hello three times once written for 0.2.0", {
  needs: "corpus",
}, async () => {
  let out = "";
  const stack = new ConfigStack({ hooks: { writeStderr: (t) => (out += t) } });
  const steps = [
    's := "hello, world!"\nexport s\n',
    readCorpus("con4m/tests/stack/1/2.c4m"),
    readCorpus("con4m/tests/stack/1/3.c4m"),
    readCorpus("con4m/tests/stack/1/4.c4m"),
  ];
  for (const [i, text] of steps.entries()) {
    const r = await stack.loadConfig(text, `${i + 1}.c4m`);
    assert(r.ok, describe(r.errors));
  }
  assertEquals(out.trim(), readCorpus("con4m/tests/stack/1.kat").trim());
});
