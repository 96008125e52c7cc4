/**
 * User keys (the original's `conffile` plugin) over real configurations: which keyspecs
 * `userKeySpecs` finds, what `computeUserKey` makes of their values and callbacks, and the base
 * configuration defining none (what lets a run without user layers skip them).
 */
import * as path from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { loadChalkConfig } from "../../config/load_config.ts";
import { computeUserKey, userKeySpecs } from "../../config/user_keys.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { CORPUS_DIR, sharedTest } from "../_shared.ts";

const KEYS = `
keyspec X_TEAM {
  kind:  ChalkTimeHost
  type:  string
  value: "payments"
}
keyspec X_WHERE {
  kind:     ChalkTimeArtifact
  type:     string
  callback: func where
}
keyspec _X_SIZES {
  kind:     RunTimeArtifact
  type:     dict[string, int]
  callback: func sizes
}
keyspec _X_CONTEXTS {
  kind:     RunTimeHost
  type:     list[string]
  callback: func contexts
}
keyspec X_BROKEN {
  kind:     ChalkTimeArtifact
  type:     string
  callback: func broken
}
keyspec X_WRONG_TYPE {
  kind:     ChalkTimeHost
  type:     int
  callback: func wrong
}
keyspec X_DOCUMENTED_ONLY {
  kind: ChalkTimeHost
  type: string
}
func where(path) { return "at " + path }
func sizes(path: string) { return {"path": len(path), "ratio": 3} }
func contexts(dirs) { return split(dirs, ":") }
func broken(path) { return parse_json("{") }
func wrong(dirs) { return "not an int" }
`;

async function withConfig<T>(text: string, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-user-keys-" });
  const file = path.join(dir, "keys.c4m");
  await Deno.writeTextFile(file, text);
  try {
    return await fn(file);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function configWith(text: string) {
  return await withConfig(
    text,
    (configFile) => loadChalkConfig({ command: "insert", configFile, noExternalConfig: true }),
  );
}

Deno.test("the base configuration defines no user key: runs without a user layer skip them", async () => {
  const config = await loadChalkConfig({ command: "insert", noExternalConfig: true });
  assertEquals(config.layers, []);
  // What the fast path assumes, checked the slow way.
  assertEquals(userKeySpecs(new Con4mRuntime(config.stack)), []);
  assertEquals(config.userKeys, []);
});

Deno.test("userKeySpecs finds the keyspecs with a value or a callback, with kind and type", async () => {
  const config = await configWith(KEYS);
  const specs = config.userKeys.map((s) => [s.name, s.kind, s.value !== undefined]);
  assertEquals(specs, [
    ["X_TEAM", "ChalkTimeHost", true],
    ["X_WHERE", "ChalkTimeArtifact", false],
    ["_X_SIZES", "RunTimeArtifact", false],
    ["_X_CONTEXTS", "RunTimeHost", false],
    ["X_BROKEN", "ChalkTimeArtifact", false],
    ["X_WRONG_TYPE", "ChalkTimeHost", false],
  ]);
});

Deno.test("computeUserKey gives values and callback results as mark values, type-checked", async () => {
  const config = await configWith(KEYS);
  const rt = config.runtime;
  const spec = (name: string) => config.userKeys.find((s) => s.name === name)!;
  assertEquals(await computeUserKey(rt, spec("X_TEAM"), "/ignored"), {
    ok: true,
    value: "payments",
  });
  assertEquals(await computeUserKey(rt, spec("X_WHERE"), "/work/ls"), {
    ok: true,
    value: "at /work/ls",
  });
  // Ints stay int64 (bigint), dicts become ordered maps.
  assertEquals(await computeUserKey(rt, spec("_X_SIZES"), "/work/ls"), {
    ok: true,
    value: new Map([["path", 8n], ["ratio", 3n]]),
  });
  assertEquals(await computeUserKey(rt, spec("_X_CONTEXTS"), "/a:/b"), {
    ok: true,
    value: ["/a", "/b"],
  });
});

Deno.test("computeUserKey: a failing callback or a value of the wrong type is a one-line reason", async () => {
  const config = await configWith(KEYS);
  const rt = config.runtime;
  const spec = (name: string) => config.userKeys.find((s) => s.name === name)!;
  const broken = await computeUserKey(rt, spec("X_BROKEN"), "/work/ls");
  assert(!broken.ok);
  assertMatch(broken.reason, /^callback broken failed: \S*\/keys\.c4m:\d+:\d+: .*parse_json/);
  assert(!broken.reason.includes("\n"));
  const wrong = await computeUserKey(rt, spec("X_WRONG_TYPE"), "/work");
  assertEquals(wrong, {
    ok: false,
    reason: 'callback wrong returned "not an int" is not of type int',
  });
});

sharedTest("the corpus's custom_keys.c4m gives its eight keys the original's values", {
  needs: "corpus",
}, async () => {
  const configFile = path.join(CORPUS_DIR, "chalk/tests/configs/custom_keys.c4m");
  const config = await loadChalkConfig({ command: "insert", configFile, noExternalConfig: true });
  const env = Deno.env.get("ENV_VAR") ?? "";
  const values: Record<string, unknown> = {};
  for (const spec of config.userKeys) {
    const r = await computeUserKey(config.runtime, spec, "/work/ls");
    values[spec.name] = r.ok ? r.value : r.reason;
  }
  assertEquals(values, {
    X_REPORT_VALUE: "hello",
    X_REPORT_ENV_VAR: env,
    X_REPORT_CMD: "mars",
    X_REPORT_FUNC: `hello ${env}`,
    X_MARK_VALUE: "hello",
    X_MARK_ENV_VAR: env,
    X_MARK_CMD: "mars",
    X_MARK_FUNC: `hello ${env}`,
  });
});
