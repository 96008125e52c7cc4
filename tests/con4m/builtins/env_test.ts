import { assert, assertStrictEquals } from "../../_assert.ts";
import type { Con4mDict } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

Deno.test('env reads a variable and gives "" when unset', () => {
  Deno.env.set("CON4M_TEST_ENV_A", "alpha");
  Deno.env.delete("CON4M_TEST_ENV_MISSING");
  assertStrictEquals(callSync("env", "func(string) -> string", ["CON4M_TEST_ENV_A"]), "alpha");
  assertStrictEquals(callSync("env", "func(string) -> string", ["CON4M_TEST_ENV_MISSING"]), "");
});

Deno.test("env_exists is true for a set but empty variable", () => {
  Deno.env.set("CON4M_TEST_ENV_EMPTY", "");
  Deno.env.delete("CON4M_TEST_ENV_MISSING");
  assertStrictEquals(
    callSync("env_exists", "func(string) -> bool", ["CON4M_TEST_ENV_EMPTY"]),
    true,
  );
  assertStrictEquals(
    callSync("env_exists", "func(string) -> bool", ["CON4M_TEST_ENV_MISSING"]),
    false,
  );
});

Deno.test("env() returns the whole environment as a dict", () => {
  Deno.env.set("CON4M_TEST_ENV_B", "beta");
  const d = callSync("env", "func() -> dict[string, string]", []) as Con4mDict;
  assertStrictEquals(d.get("CON4M_TEST_ENV_B"), "beta");
  assertStrictEquals(d.get("PATH"), Deno.env.get("PATH"));
});

Deno.test("set_env sets a variable and reports failure on an invalid name", () => {
  assertStrictEquals(
    callSync("set_env", "func(string, string) -> bool", ["CON4M_TEST_ENV_C", "gamma"]),
    true,
  );
  assertStrictEquals(Deno.env.get("CON4M_TEST_ENV_C"), "gamma");
  assertStrictEquals(callSync("set_env", "func(string, string) -> bool", ["BAD=NAME", "x"]), false);
  assert(!Deno.env.has("BAD"));
});

Deno.test("env builtins go through the host hooks", () => {
  const host = { getEnv: (n: string) => (n === "ONLY" ? "here" : undefined) };
  assertStrictEquals(callSync("env", "func(string) -> string", ["ONLY"], { host }), "here");
  assertStrictEquals(callSync("env_exists", "func(string) -> bool", ["PATH"], { host }), false);
});
