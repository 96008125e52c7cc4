import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import {
  type ContentPlan,
  elfCodec,
  FILE_CODECS,
  isSlot,
  sourceCodec,
  wholeView,
} from "../../codecs/mod.ts";
import { hashHex, insertBytes } from "./_in_memory.ts";
import { syntheticElf } from "../../fixtures/codecs/synthetic_elf.ts";

const FACTS = { path: "/w/artifact", executable: true, chalking: true };

function claim(bytes: Uint8Array): string | undefined {
  for (const codec of FILE_CODECS) if (codec.detect(wholeView(bytes), FACTS)) return codec.name;
  return undefined;
}

Deno.test("FILE_CODECS tries Mach-O, zip and bytecode, then elf, then source", () => {
  assertEquals(FILE_CODECS.map((c) => c.name), ["macho", "zip", "python_pyc", "elf", "source"]);
  assertStrictEquals(claim(syntheticElf(100)), "elf");
  assertStrictEquals(claim(new TextEncoder().encode("#!/bin/sh\necho hi\n")), "source");
  assertStrictEquals(claim(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe])), undefined);
});

Deno.test("elfCodec plans a large ELF as ranges of the file plus a few new bytes", () => {
  const bytes = syntheticElf(32 << 20);
  const view = wholeView(bytes);
  assertStrictEquals(elfCodec.detect(view, FACTS), "ELF");
  const newBytes = (plan: ContentPlan): number =>
    plan.reduce((n, p) => n + (p instanceof Uint8Array ? p.length : 0), 0);
  const hashPlan = elfCodec.hashPlan(view);
  assert(newBytes(hashPlan) < 4096, `HASH input holds ${newBytes(hashPlan)} new bytes`);
  const mark = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "BIG" }';
  const insertPlan = elfCodec.insertPlan(view, mark.length, FACTS);
  assert(newBytes(insertPlan) < 4096, `insert writes ${newBytes(insertPlan)} new bytes`);
  assertStrictEquals(insertPlan.filter(isSlot).length, 1, "one mark slot");
  const marked = insertBytes(elfCodec, bytes, mark, FACTS);
  assertStrictEquals(hashHex(elfCodec, marked), hashHex(elfCodec, bytes));
  assertStrictEquals(elfCodec.findMark(wholeView(marked))?.mark.get("CHALK_ID"), "BIG");
  assertStrictEquals(sourceCodec.detect(view, FACTS), undefined);
});
