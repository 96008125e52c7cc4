/** applyDelta on hand-built deltas, valid and invalid. */
import { assertEquals, assertStrictEquals, assertThrows } from "../_assert.ts";
import { applyDelta, DeltaError } from "../../collectors/git_delta.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

Deno.test("applyDelta copies from the base and inserts literal bytes", () => {
  const base = enc("hello, world");
  // source 12, target 13; copy off 0 len 7 ("hello, "); insert "git"; copy off 7 len 3 ("wor")
  const delta = new Uint8Array([12, 13, 0x90, 7, 3, ...enc("git"), 0x91, 7, 3]);
  assertStrictEquals(dec(applyDelta(base, delta)), "hello, gitwor");
});

Deno.test("applyDelta treats a copy size of 0 as 0x10000", () => {
  const base = new Uint8Array(0x10000).map((_, i) => i & 0xff);
  const delta = new Uint8Array([0x80, 0x80, 0x04, 0x80, 0x80, 0x04, 0x80]);
  assertEquals(applyDelta(base, delta), base);
});

Deno.test("applyDelta rejects malformed deltas with DeltaError", () => {
  const base = enc("abc");
  const bad: Uint8Array[] = [
    new Uint8Array([4, 3, 0x90, 0, 3]), // wrong source size
    new Uint8Array([3, 3, 0x90, 1, 3]), // copy beyond base
    new Uint8Array([3, 3, 0x00]), // reserved opcode
    new Uint8Array([3, 3, 5, 0x61]), // truncated insert
    new Uint8Array([3, 4, 0x90, 0, 3]), // short output
    new Uint8Array([3]), // truncated header
  ];
  for (const d of bad) assertThrows(() => applyDelta(base, d), DeltaError);
});
