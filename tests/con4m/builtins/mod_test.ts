import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import {
  BuiltinError,
  BuiltinRegistry,
  builtinType,
  CHALK_PORTABLE_BUILTINS,
  CORE_BUILTINS,
  defineBuiltin,
  functionDocJson,
} from "../../../con4m/builtins/mod.ts";
import { sharedBuiltinType } from "../../../con4m/builtins/builtin_def.ts";
import { jsonToValue } from "../../../con4m/builtins/json.ts";
import { typeToString, unifies } from "../../../con4m/types.ts";
import { Con4mDict } from "../../../con4m/values.ts";
import { callSync, REGISTRY } from "./_call.ts";
import * as path from "node:path";
import { CORPUS_DIR, REPO_ROOT, sharedTest } from "../../_shared.ts";

Deno.test("CORE_BUILTINS has con4m 0.2.0's 141 signatures plus tmp_dir", () => {
  assertStrictEquals(CORE_BUILTINS.length, 142);
  assertStrictEquals(new Set(CORE_BUILTINS.map((d) => d.name)).size, 126);
});

Deno.test("every builtin signature parses as a function type", () => {
  for (const d of REGISTRY.all()) {
    const t = builtinType(d);
    assertStrictEquals(t.kind, "func", d.name);
    assert(d.sig.startsWith("func("), d.sig);
    assert(d.doc.length > 0, `${d.name} has no doc`);
  }
});

Deno.test("no two overloads of one name unify (calls are never ambiguous)", () => {
  for (const name of REGISTRY.names()) {
    const defs = REGISTRY.overloads(name);
    for (let i = 0; i < defs.length; i++) {
      for (let j = i + 1; j < defs.length; j++) {
        assert(
          !unifies(builtinType(defs[i]), builtinType(defs[j])),
          `${name}: ${defs[i].sig} vs ${defs[j].sig}`,
        );
      }
    }
  }
});

Deno.test("overloaded builtin names have several signatures", () => {
  for (
    const [name, n] of [
      ["len", 3],
      ["contains", 3],
      ["slice", 3],
      ["env", 2],
      ["hex", 2],
      [
        "set",
        2,
      ],
      ["delete", 2],
      ["bool", 5],
    ] as const
  ) {
    assertStrictEquals(REGISTRY.overloads(name).length, n, name);
  }
  assertStrictEquals(
    typeToString(builtinType(REGISTRY.overloads("items")[0])),
    "(dict[`x, `y]) -> list[tuple[`x, `y]]",
  );
});

Deno.test("defineBuiltin accepts signatures with or without func; bad ones are refused when read", () => {
  const a = defineBuiltin("version", "() -> string", () => "0.1.0", { tags: ["chalk"] });
  assertStrictEquals(a.sig, "func() -> string");
  assertStrictEquals(a.async, false);
  assertEquals(a.tags, ["chalk"]);
  const b = defineBuiltin("subscribe", "func(string, string) -> bool", () => true);
  assertStrictEquals(b.sig, "func(string, string) -> bool");
  assertStrictEquals(sharedBuiltinType(b).kind, "func");
  const read = (sig: string) => () => sharedBuiltinType(defineBuiltin("bad", sig, () => true));
  assertThrows(read("func(list[int) -> bool"), /builtin bad: invalid signature/);
  assertThrows(read("func"), /not a function type/);
  assertThrows(read("int"), BuiltinError);
});

Deno.test("BuiltinRegistry groups overloads and refuses exact duplicates", () => {
  const reg = new BuiltinRegistry(CORE_BUILTINS);
  assert(!reg.has("version"));
  reg.add(defineBuiltin("version", "func() -> string", () => "0.1.0"));
  assert(reg.has("version"));
  assertStrictEquals(reg.overloads("slice").length, 3);
  assertEquals(reg.overloads("nope"), []);
  assertThrows(
    () => reg.add(defineBuiltin("len", "func(string) -> int", () => 0n)),
    /duplicate builtin: len/,
  );
  assertStrictEquals(reg.all().length, CORE_BUILTINS.length + 1);
});

Deno.test("function_doc_dump lists every core builtin with its signatures", () => {
  const doc = jsonToValue(callSync("function_doc_dump", "func() -> string", []) as string);
  assert(doc instanceof Con4mDict);
  assertStrictEquals(doc.size, 126);
  const slice = doc.get("slice") as Con4mDict[];
  assertStrictEquals(slice.length, 3);
  assertStrictEquals(slice[0].get("signature"), "func(string, int) -> string");
  assert(functionDocJson([]).startsWith("{"));
});

/** chalk's functions that need chalk's state; chalk defines them itself. */
const CHALK_STATEFUL = new Set([
  "version",
  "subscribe",
  "unsubscribe",
  "error",
  "warn",
  "info",
  "trace",
  "command_argv",
  "command_name",
  "auth_headers",
  "memoize",
  "docker_exe",
  "canonicalize_tool",
  "copy_report_template_keys",
]);
const KEYWORDS = new Set(["if", "elif", "for", "func", "return", "and", "or", "not", "string"]);

/** Names called in the con4m files under `dirs` that no file there defines. */
function calledBuiltins(dirs: readonly string[]): string[] {
  const called = new Set<string>();
  const defined = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of Deno.readDirSync(dir)) {
      // invalid/ fixtures call unknown functions on purpose.
      if (e.isDirectory) {
        if (e.name !== "invalid") walk(path.join(dir, e.name));
      } else if (/\.(c4m|c42spec)$/.test(e.name)) {
        const text = Deno.readTextFileSync(path.join(dir, e.name))
          .replace(/"""[\s\S]*?"""/g, '""')
          .replace(/"(?:\\.|[^"\\\n])*"/g, '""')
          .replace(/(#|\/\/).*/g, "");
        for (const m of text.matchAll(/func\s+([A-Za-z_]\w*)/g)) defined.add(m[1]);
        for (const m of text.matchAll(/([A-Za-z_$][\w]*)\s*\(/g)) called.add(m[1]);
      }
    }
  };
  for (const d of dirs) walk(d);
  return [...called].filter((n) => !defined.has(n) && !KEYWORDS.has(n)).sort();
}

sharedTest("every function the corpus calls is a library builtin or a chalk stateful one", {
  needs: "corpus",
}, () => {
  const builtins = calledBuiltins([CORPUS_DIR]);
  const missing = builtins.filter((n) => !REGISTRY.has(n) && !CHALK_STATEFUL.has(n));
  assertEquals(missing, []);
  const implemented = builtins.filter((n) => REGISTRY.has(n));
  assert(builtins.length >= 79, `${builtins.length} names`);
  assertStrictEquals(
    implemented.length,
    builtins.length - builtins.filter((n) => CHALK_STATEFUL.has(n)).length,
  );
});

Deno.test("every function chalk-ts's own con4m files call is a library builtin or a chalk stateful one", () => {
  const dirs = ["config", "docs/configs", "fixtures/con4m"].map((d) => path.join(REPO_ROOT, d));
  const builtins = calledBuiltins(dirs);
  const missing = builtins.filter((n) => !REGISTRY.has(n) && !CHALK_STATEFUL.has(n));
  assertEquals(missing, []);
  assert(builtins.length >= 20, `only ${builtins.length} names: ${builtins.join(" ")}`);
});

Deno.test("CHALK_PORTABLE_BUILTINS holds chalk's stateless functions", () => {
  assertEquals(CHALK_PORTABLE_BUILTINS.map((d) => d.name).sort(), [
    "binary_sha256",
    "dir_size",
    "dir_size_under",
    "is_jwt_valid",
    "parse_json",
    "parse_jsonl",
    "to_json",
  ]);
});
