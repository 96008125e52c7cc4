import { equal, notEqual, ok } from "node:assert/strict";
import { callSync } from "./_call.ts";

const II = "func(int, int) -> int";

Deno.test("high and low are the int64 limits", () => {
  equal(callSync("high", "func() -> int", []), 9223372036854775807n);
  equal(callSync("low", "func() -> int", []), -9223372036854775808n);
});

Deno.test("rand returns distinct int64 values", () => {
  const seen = new Set<bigint>();
  for (let i = 0; i < 20; i++) {
    const r = callSync("rand", "func() -> int", []) as bigint;
    ok(r >= -(1n << 63n) && r < 1n << 63n);
    seen.add(r);
  }
  ok(seen.size > 18);
});

Deno.test("bit operations work on 64-bit values", () => {
  equal(callSync("bitor", II, [0b1010n, 0b0101n]), 0b1111n);
  equal(callSync("bitand", II, [0b1110n, 0b0111n]), 0b0110n);
  equal(callSync("xor", II, [0b1100n, 0b1010n]), 0b0110n);
  equal(callSync("bitnot", "func(int) -> int", [0n]), -1n);
  equal(callSync("shl", II, [1n, 4n]), 16n);
  equal(callSync("shl", II, [1n, 63n]), -(1n << 63n));
  equal(callSync("shl", II, [1n, 64n]), 0n);
});

Deno.test("shr is a logical shift", () => {
  equal(callSync("shr", II, [256n, 4n]), 16n);
  equal(callSync("shr", II, [-1n, 60n]), 15n);
  notEqual(callSync("shr", II, [-16n, 1n]), -8n);
});
