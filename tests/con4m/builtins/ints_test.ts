import { assert, assertNotStrictEquals, assertStrictEquals } from "../../_assert.ts";
import { callSync } from "./_call.ts";

const II = "func(int, int) -> int";

Deno.test("high and low are the int64 limits", () => {
  assertStrictEquals(callSync("high", "func() -> int", []), 9223372036854775807n);
  assertStrictEquals(callSync("low", "func() -> int", []), -9223372036854775808n);
});

Deno.test("rand returns distinct int64 values", () => {
  const seen = new Set<bigint>();
  for (let i = 0; i < 20; i++) {
    const r = callSync("rand", "func() -> int", []) as bigint;
    assert(r >= -(1n << 63n) && r < 1n << 63n);
    seen.add(r);
  }
  assert(seen.size > 18);
});

Deno.test("bit operations work on 64-bit values", () => {
  assertStrictEquals(callSync("bitor", II, [0b1010n, 0b0101n]), 0b1111n);
  assertStrictEquals(callSync("bitand", II, [0b1110n, 0b0111n]), 0b0110n);
  assertStrictEquals(callSync("xor", II, [0b1100n, 0b1010n]), 0b0110n);
  assertStrictEquals(callSync("bitnot", "func(int) -> int", [0n]), -1n);
  assertStrictEquals(callSync("shl", II, [1n, 4n]), 16n);
  assertStrictEquals(callSync("shl", II, [1n, 63n]), -(1n << 63n));
  assertStrictEquals(callSync("shl", II, [1n, 64n]), 0n);
});

Deno.test("shr is a logical shift", () => {
  assertStrictEquals(callSync("shr", II, [256n, 4n]), 16n);
  assertStrictEquals(callSync("shr", II, [-1n, 60n]), 15n);
  assertNotStrictEquals(callSync("shr", II, [-16n, 1n]), -8n);
});
