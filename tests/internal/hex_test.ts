import { assertEquals } from "../_assert.ts";
import { Buffer } from "node:buffer";
import { fromHex, toHex } from "../../internal/hex.ts";

Deno.test("toHex writes every byte value as two lower-case digits, as Buffer does", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assertEquals(toHex(all), Buffer.from(all).toString("hex"));
  assertEquals(toHex(new Uint8Array()), "");
  assertEquals(fromHex(toHex(all)), all);
});
