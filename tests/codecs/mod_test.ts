import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
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
  deepStrictEqual(FILE_CODECS.map((c) => c.name), ["elf", "source"]);
  strictEqual(claim(syntheticElf(100)), "elf");
  strictEqual(claim(new TextEncoder().encode("#!/bin/sh\necho hi\n")), "source");
  strictEqual(claim(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0xff, 0xfe])), undefined);
});

Deno.test("elfCodec hashes and marks a large ELF through views of the input", () => {
  const bytes = syntheticElf(32 << 20);
  strictEqual(elfCodec.detect(bytes, FACTS), "ELF");
  const input = elfCodec.unchalkedHashInput(bytes);
  const copied = input.filter((c) => c.buffer !== bytes.buffer).reduce((n, c) => n + c.length, 0);
  ok(copied < 4096, `only small pieces are copied (${copied} bytes)`);
  const mark = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "BIG" }';
  const chunks = elfCodec.insert(bytes, mark, FACTS);
  const insertCopied = chunks.filter((c) => c.buffer !== bytes.buffer).reduce(
    (n, c) => n + c.length,
    0,
  );
  ok(insertCopied < 4096, `insert copies ${insertCopied} bytes`);
  const marked = concat(chunks);
  const hash = (b: Uint8Array): string => {
    const h = createHash("sha256");
    for (const c of elfCodec.unchalkedHashInput(b)) h.update(c);
    return h.digest("hex");
  };
  strictEqual(hash(marked), hash(bytes));
  strictEqual(elfCodec.findMark(marked)?.mark.get("CHALK_ID"), "BIG");
  strictEqual(sourceCodec.detect(bytes, FACTS), undefined);
});
