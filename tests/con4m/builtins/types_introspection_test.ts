import { assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import type { AttrLookup, HostHooks } from "../../../con4m/builtins/mod.ts";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { parseType, type Type, typeToString } from "../../../con4m/types.ts";
import {
  type CallbackValue,
  callbackValue,
  Con4mDict,
  type Con4mValue,
  type TypespecValue,
  typespecValue,
} from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

/** A tiny attribute tree: dotted path → attribute; sections are the path prefixes. */
function treeHost(attrs: Record<string, [string, Con4mValue | undefined]>): Partial<HostHooks> {
  const paths = Object.keys(attrs);
  const overrides: Array<[string, Con4mValue, string]> = [];
  const children = (path: string): string[] => {
    const pre = path === "" ? "" : path + ".";
    const out: string[] = [];
    for (const p of paths) {
      if (!p.startsWith(pre)) continue;
      const first = p.slice(pre.length).split(".")[0];
      if (!out.includes(first)) out.push(first);
    }
    return out;
  };
  return {
    lookupAttr: (path: string): AttrLookup => {
      const a = attrs[path];
      if (a !== undefined) return { kind: "attr", type: parseType(a[0]), value: a[1] };
      return children(path).length > 0 ? { kind: "section" } : { kind: "missing" };
    },
    sections: (path) =>
      children(path).filter((c) => attrs[path ? `${path}.${c}` : c] === undefined),
    fields: (path) => children(path).filter((c) => attrs[path ? `${path}.${c}` : c] !== undefined),
    addOverride: (path, value, type: Type) => {
      overrides.push([path, value, typeToString(type)]);
      return path in attrs;
    },
    copyObject: (from, to) => from.startsWith("sink.") && !to.includes("."),
    functionExists: (cb: CallbackValue) => cb.name === "defined_fn",
  };
}

const HOST = treeHost({
  "log_level": ["string", "info"],
  "sink.s3.enabled": ["bool", true],
  "sink.s3.uri": ["string", undefined],
  "sink.file.enabled": ["bool", false],
  "keyspec.X.type": ["typespec", typespecValue(parseType("list[string]"))],
  "keyspec.X.value": ["list[string]", ["a"]],
  "keyspec.Y.type": ["typespec", typespecValue(parseType("int"))],
  "keyspec.Y.value": ["list[string]", []],
});

Deno.test("typeof returns the static argument type and typecmp unifies", () => {
  const t = callSync("typeof", "func(`a) -> typespec", [new Con4mDict()], {
    types: ["dict[string, `x]"],
  }) as TypespecValue;
  assertStrictEquals(typeToString(t.type), "dict[string, `x]");
  const cmp = "func(typespec, typespec) -> bool";
  const ts = (s: string) => typespecValue(parseType(s));
  assertStrictEquals(
    callSync("typecmp", cmp, [ts("dict[string, `x]"), ts("dict[string, int]")]),
    true,
  );
  assertStrictEquals(callSync("typecmp", cmp, [ts("list[int]"), ts("list[string]")]), false);
  assertStrictEquals(callSync("typecmp", cmp, [ts("(string) -> bool"), ts("func")]), true);
});

Deno.test("typecmp leaves both types unbound", () => {
  const a = parseType("list[`x]");
  const cmp = "func(typespec, typespec) -> bool";
  assertStrictEquals(
    callSync("typecmp", cmp, [typespecValue(a), typespecValue(parseType("list[int]"))]),
    true,
  );
  assertStrictEquals(typeToString(a), "list[`x]");
});

Deno.test("sections, fields and attr_exists read the host tree", () => {
  assertEquals(callSync("sections", "func(string) -> list[string]", ["sink"], { host: HOST }), [
    "s3",
    "file",
  ]);
  assertEquals(
    callSync("fields", "func(string) -> list[string]", ["sink.s3"], { host: HOST }),
    ["enabled", "uri"],
  );
  assertStrictEquals(
    callSync("attr_exists", "func(string) -> bool", ["sink.s3"], { host: HOST }),
    true,
  );
  assertStrictEquals(
    callSync("attr_exists", "func(string) -> bool", ["log_level"], { host: HOST }),
    true,
  );
  assertStrictEquals(
    callSync("attr_exists", "func(string) -> bool", ["sink.gcs"], { host: HOST }),
    false,
  );
});

Deno.test("attr_get checks the requested type and reports each failure", () => {
  const sig = "func(string, typespec[`t]) -> `t";
  const ts = (s: string) => typespecValue(parseType(s));
  assertStrictEquals(
    callSync("attr_get", sig, ["sink.s3.enabled", ts("bool")], { host: HOST }),
    true,
  );
  assertStrictEquals(callSync("attr_get", sig, ["log_level", ts("`x")], { host: HOST }), "info");
  assertThrows(
    () => callSync("attr_get", sig, ["nope", ts("bool")], { host: HOST }),
    /Field not found: nope/,
  );
  assertThrows(
    () => callSync("attr_get", sig, ["sink.s3", ts("bool")], { host: HOST }),
    /Got a section \(expected attribute\) for: sink.s3/,
  );
  assertThrows(
    () => callSync("attr_get", sig, ["log_level", ts("int")], { host: HOST }),
    /Typecheck failed for: log_level \(attr type: string; passed type: int\)/,
  );
  assertThrows(
    () => callSync("attr_get", sig, ["sink.s3.uri", ts("string")], { host: HOST }),
    BuiltinError,
  );
});

Deno.test("attr_type gives the attribute type or void", () => {
  const sig = "func(string) -> typespec";
  const t = (p: string) =>
    typeToString((callSync("attr_type", sig, [p], { host: HOST }) as TypespecValue).type);
  assertStrictEquals(t("sink.s3.enabled"), "bool");
  assertStrictEquals(t("sink.s3"), "void");
  assertStrictEquals(t("missing.path"), "void");
});

Deno.test("attr_typecmp compares an attribute with a typespec attribute", () => {
  const sig = "func(string, string) -> bool";
  assertStrictEquals(
    callSync("attr_typecmp", sig, ["keyspec.X.value", "keyspec.X.type"], { host: HOST }),
    true,
  );
  assertStrictEquals(
    callSync("attr_typecmp", sig, ["keyspec.Y.value", "keyspec.Y.type"], { host: HOST }),
    false,
  );
  assertStrictEquals(
    callSync("attr_typecmp", sig, ["nope", "keyspec.Y.type"], { host: HOST }),
    false,
  );
  assertThrows(
    () => callSync("attr_typecmp", sig, ["keyspec.X.value", "log_level"], { host: HOST }),
    /is not a typespec/,
  );
});

Deno.test("attr_split splits at the last dot", () => {
  const sig = "func(string) -> tuple[string, string]";
  assertEquals(callSync("attr_split", sig, ["a.b.c"]), ["a.b", "c"]);
  assertEquals(callSync("attr_split", sig, ["c"]), ["", "c"]);
});

Deno.test("function_exists, add_override and copy_object delegate to the host", () => {
  assertStrictEquals(
    callSync("function_exists", "func(func) -> bool", [callbackValue("defined_fn")], {
      host: HOST,
    }),
    true,
  );
  assertStrictEquals(
    callSync("function_exists", "func(func) -> bool", [callbackValue("other")], { host: HOST }),
    false,
  );
  let seen: [string, Con4mValue, string] | undefined;
  const host = {
    ...HOST,
    addOverride: (p: string, v: Con4mValue, t: Type) => {
      seen = [p, v, typeToString(t)];
      return true;
    },
  };
  assertStrictEquals(
    callSync("add_override", "func(string, `t) -> bool", ["artifact_search_path", ["/x"]], {
      host,
      types: ["int", "list[string]"],
    }),
    true,
  );
  assertEquals(seen, ["artifact_search_path", ["/x"], "list[string]"]);
  assertStrictEquals(
    callSync("copy_object", "func(string, string) -> bool", ["sink.s3", "s4"], { host: HOST }),
    true,
  );
  assertStrictEquals(
    callSync("copy_object", "func(string, string) -> bool", ["sink.s3", "a.b"], { host: HOST }),
    false,
  );
});

Deno.test("attribute builtins fail clearly without an attribute tree", () => {
  assertThrows(() => callSync("sections", "func(string) -> list[string]", ["x"]), BuiltinError);
  assertThrows(() => callSync("attr_exists", "func(string) -> bool", ["x"]), BuiltinError);
});
