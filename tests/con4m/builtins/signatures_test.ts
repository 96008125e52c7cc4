/**
 * Builtin signatures are parsed when a stack first looks at them, not when
 * they are defined (con4m/builtins/builtin_def.ts): this test parses every
 * builtin chalk defines, so that a bad one fails here and not in a user's run.
 */
import { assert, assertRejects, assertThrows } from "../../_assert.ts";
import { allBuiltins, newChalkHostEnv } from "../../../config/base_snapshot.ts";
import { BuiltinError, defineBuiltin } from "../../../con4m/builtins/mod.ts";
import { sharedBuiltinType } from "../../../con4m/builtins/builtin_def.ts";
import { ConfigStack } from "../../../con4m/stack.ts";

Deno.test("every builtin chalk defines has a function signature that parses", () => {
  const defs = allBuiltins(newChalkHostEnv());
  assert(defs.length > 150, `only ${defs.length} builtins`);
  for (const def of defs) {
    const t = sharedBuiltinType(def);
    assert(t.kind === "func", `${def.name}: ${def.sig}`);
  }
});

Deno.test("a bad signature is refused when a stack first looks at it", async () => {
  const bad = defineBuiltin("broken", "func(strin) -> bool", () => true);
  const notFunc = defineBuiltin("plain", "func", () => true);
  assertThrows(() => sharedBuiltinType(bad), BuiltinError, "builtin broken: invalid signature");
  assertThrows(() => sharedBuiltinType(notFunc), BuiltinError, "not a function type");
  // Installed without a look; a configuration that calls it meets the same error.
  const stack = new ConfigStack({ builtins: [bad] });
  await assertRejects(
    () => stack.loadConfig('x := broken("a")\n', "t.c4m"),
    BuiltinError,
    "builtin broken: invalid signature",
  );
});
