import { assertEquals } from "../_assert.ts";
import { Buffer } from "node:buffer";
import { fromHex, hexByTable, toHex } from "../../internal/hex.ts";

Deno.test("toHex writes every byte value as two lower-case digits, as Buffer does", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  assertEquals(toHex(all), Buffer.from(all).toString("hex"));
  assertEquals(toHex(new Uint8Array()), "");
  assertEquals(fromHex(toHex(all)), all);
});

Deno.test("the table used where the runtime has no native toHex writes the same text", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
  assertEquals(hexByTable(all), Buffer.from(all).toString("hex"));
  const digest = crypto.getRandomValues(new Uint8Array(32));
  assertEquals(hexByTable(digest), toHex(digest));
  assertEquals(hexByTable(new Uint8Array()), "");
});
