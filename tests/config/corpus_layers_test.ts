/**
 * The original chalk's own configuration files (marked OK-layer in
 * ../shared/con4m-corpus/INDEX.md) run, in chalk's layer order, over chalk-ts's schema
 * (config/getopts.c42spec + config/chalk.c42spec) with chalk-ts's builtins, and every layer
 * passes full validation. The files are read in place.
 */

import * as path from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import type { Con4mError } from "../../con4m/errors.ts";
import { newChalkHostEnv } from "../../config/base_snapshot.ts";
import { BASE_UNIT, CORPUS, LATER_LAYERS } from "../con4m/_chalk_corpus.ts";
import { schemaStack } from "../../scripts/base_config.ts";
import { sharedTest } from "../_shared.ts";

const BASE_FILES = BASE_UNIT.map((n) => `chalk/src-configs/${n}.c4m`);
const LATER = LATER_LAYERS.map((n) => `chalk/src-configs/${n}.c4m`);

interface Row {
  file: string;
  after?: string;
}

function okLayerRows(): Row[] {
  const rows: Row[] = [];
  for (const line of Deno.readTextFileSync(path.join(CORPUS, "INDEX.md")).split("\n")) {
    const m = /^\| `([^`]+)` \| .* \| (OK-layer[^|]*) \|$/.exec(line);
    if (!m) continue;
    const after = /\(after `([^`]+)`\)/.exec(m[2])?.[1];
    rows.push(after === undefined ? { file: m[1] } : { file: m[1], after });
  }
  return rows;
}

function read(rel: string): string {
  return Deno.readTextFileSync(path.join(CORPUS, rel));
}

function describe(errors: readonly Con4mError[]): string {
  return errors.slice(0, 3).map((e) => e.message).join(" | ");
}

sharedTest("chalk's OK-layer corpus files validate fully over chalk-ts's schema", {
  needs: "corpus",
}, async () => {
  const rows = okLayerRows();
  assertEquals(rows.length, 20, "INDEX.md lists 20 OK-layer files");
  const listed = new Set(rows.map((r) => r.file));
  for (const f of [...BASE_FILES, ...LATER]) assert(listed.has(f), `${f} is an OK-layer row`);

  const env = newChalkHostEnv({ commandName: "insert" });
  const stack = await schemaStack(env);
  const results = new Map<string, string>();
  const base = await stack.loadConfig(BASE_FILES.map(read).join("\n"), "base.c4m");
  for (const f of BASE_FILES) results.set(f, base.ok ? "ok" : describe(base.errors));
  for (const f of LATER) {
    const r = await stack.loadConfig(read(f), f);
    results.set(f, r.ok ? "ok" : describe(r.errors));
  }
  for (const row of rows.filter((r) => !results.has(r.file))) {
    const dep = path.join(path.dirname(row.file), row.after ?? "");
    if (row.after !== undefined) {
      const r0 = await stack.loadConfig(read(dep), dep);
      assert(r0.ok, `${dep}: ${describe(r0.errors)}`);
    }
    const r = await stack.loadConfig(read(row.file), row.file);
    results.set(row.file, r.ok ? "ok" : describe(r.errors));
  }
  const failed = [...results].filter(([, v]) => v !== "ok").map(([f, v]) => `${f}: ${v}`);
  console.log(`corpus layers: ${results.size - failed.length}/${rows.length} validate`);
  assertEquals(failed, []);
  assertEquals(results.size, 20);
  // ioconfig's subscribe() calls reached chalk-ts's subscription table.
  assert(env.subscriptions.has("report", "default_out"));
});

sharedTest("chalk-ts's schema rejects what the corpus base configuration must not contain", {
  needs: "corpus",
}, async () => {
  const stack = await schemaStack(newChalkHostEnv());
  const base = await stack.loadConfig(BASE_FILES.map(read).join("\n"), "base.c4m");
  assert(base.ok, describe(base.errors));
  const bad = await stack.loadConfig(
    'sink_config broken {\n  sink: "carrier_pigeon"\n}\n',
    "bad.c4m",
  );
  assert(!bad.ok, "an unknown sink type is rejected");
  assert(/sink_config\.broken\.sink/.test(bad.errors[0].message), bad.errors[0].message);
});
