import { equal, ok } from "node:assert/strict";
import type { Con4mDict } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

Deno.test('env reads a variable and gives "" when unset', () => {
  Deno.env.set("CON4M_TEST_ENV_A", "alpha");
  Deno.env.delete("CON4M_TEST_ENV_MISSING");
  equal(callSync("env", "func(string) -> string", ["CON4M_TEST_ENV_A"]), "alpha");
  equal(callSync("env", "func(string) -> string", ["CON4M_TEST_ENV_MISSING"]), "");
});

Deno.test("env_exists is true for a set but empty variable", () => {
  Deno.env.set("CON4M_TEST_ENV_EMPTY", "");
  Deno.env.delete("CON4M_TEST_ENV_MISSING");
  equal(callSync("env_exists", "func(string) -> bool", ["CON4M_TEST_ENV_EMPTY"]), true);
  equal(callSync("env_exists", "func(string) -> bool", ["CON4M_TEST_ENV_MISSING"]), false);
});

Deno.test("env() returns the whole environment as a dict", () => {
  Deno.env.set("CON4M_TEST_ENV_B", "beta");
  const d = callSync("env", "func() -> dict[string, string]", []) as Con4mDict;
  equal(d.get("CON4M_TEST_ENV_B"), "beta");
  equal(d.get("PATH"), Deno.env.get("PATH"));
});

Deno.test("set_env sets a variable and reports failure on an invalid name", () => {
  equal(callSync("set_env", "func(string, string) -> bool", ["CON4M_TEST_ENV_C", "gamma"]), true);
  equal(Deno.env.get("CON4M_TEST_ENV_C"), "gamma");
  equal(callSync("set_env", "func(string, string) -> bool", ["BAD=NAME", "x"]), false);
  ok(!Deno.env.has("BAD"));
});

Deno.test("env builtins go through the host hooks", () => {
  const host = { getEnv: (n: string) => (n === "ONLY" ? "here" : undefined) };
  equal(callSync("env", "func(string) -> string", ["ONLY"], { host }), "here");
  equal(callSync("env_exists", "func(string) -> bool", ["PATH"], { host }), false);
});
