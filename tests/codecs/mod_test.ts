import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { createHash } from "node:crypto";
import { elfCodec, FILE_CODECS, sourceCodec } from "../../codecs/mod.ts";
import { syntheticElf } from "../../fixtures/codecs/synthetic_elf.ts";

const FACTS = { path: "/w/artifact", executable: true, chalking: true };

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

function claim(bytes: Uint8Array): string | undefined {
  for (const codec of FILE_CODECS) if (codec.detect(bytes, FACTS)) return codec.name;
  return undefined;
}

Deno.test("FILE_CODECS tries elf before source", () => {
  assertEquals(FILE_CODECS.map((c) => c.name), ["elf", "source"]);
  assertStrictEquals(claim(syntheticElf(100)), "elf");
  assertStrictEquals(claim(new TextEncoder().encode("#!/bin/sh\necho hi\n")), "source");
  assertStrictEquals(claim(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe])), undefined);
});

Deno.test("elfCodec hashes and marks a large ELF through views of the input", () => {
  const bytes = syntheticElf(32 << 20);
  assertStrictEquals(elfCodec.detect(bytes, FACTS), "ELF");
  const input = elfCodec.unchalkedHashInput(bytes);
  const copied = input.filter((c) => c.buffer !== bytes.buffer).reduce((n, c) => n + c.length, 0);
  assert(copied < 4096, `only small pieces are copied (${copied} bytes)`);
  const mark = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "BIG" }';
  const chunks = elfCodec.insert(bytes, mark, FACTS);
  const insertCopied = chunks.filter((c) => c.buffer !== bytes.buffer).reduce(
    (n, c) => n + c.length,
    0,
  );
  assert(insertCopied < 4096, `insert copies ${insertCopied} bytes`);
  const marked = concat(chunks);
  const hash = (b: Uint8Array): string => {
    const h = createHash("sha256");
    for (const c of elfCodec.unchalkedHashInput(b)) h.update(c);
    return h.digest("hex");
  };
  assertStrictEquals(hash(marked), hash(bytes));
  assertStrictEquals(elfCodec.findMark(marked)?.mark.get("CHALK_ID"), "BIG");
  assertStrictEquals(sourceCodec.detect(bytes, FACTS), undefined);
});
