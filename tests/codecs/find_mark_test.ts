import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { findJsonStart, findMarkInBytes, indexOfMagic } from "../../codecs/find_mark.ts";
import { EMPTY_MARK } from "../../codecs/mark_value.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("findMarkInBytes finds the placeholder and reports the JSON span", () => {
  const text = `# ${EMPTY_MARK}\n`;
  const found = findMarkInBytes(enc(text));
  deepStrictEqual(found, {
    mark: new Map([["MAGIC", "dadfedabbadabbed"]]),
    start: 2,
    end: 2 + EMPTY_MARK.length,
  });
});

Deno.test("findMarkInBytes accepts spaces but not tabs or newlines before MAGIC", () => {
  strictEqual(findMarkInBytes(enc('{"MAGIC":"dadfedabbadabbed"}'))?.start, 0);
  strictEqual(findMarkInBytes(enc('x{   "MAGIC"   :   "dadfedabbadabbed", "A" : 1}'))?.start, 1);
  strictEqual(findMarkInBytes(enc('{\t"MAGIC" : "dadfedabbadabbed"}')), undefined);
  strictEqual(findMarkInBytes(enc('{\n"MAGIC" : "dadfedabbadabbed"}')), undefined);
  strictEqual(findMarkInBytes(enc('{ "MAGIC"\t: "dadfedabbadabbed"}')), undefined);
  // MAGIC must be the first member.
  strictEqual(findMarkInBytes(enc('{ "A" : 1, "MAGIC" : "dadfedabbadabbed" }')), undefined);
});

Deno.test("findMarkInBytes skips a hit whose JSON is broken and finds the next one", () => {
  const broken = '{ "MAGIC" : "dadfedabbadabbed", "A" : }';
  const good = '{ "MAGIC" : "dadfedabbadabbed", "B" : 2 }';
  const text = `${broken}\nplain dadfedabbadabbed\n${good}`;
  const found = findMarkInBytes(enc(text));
  strictEqual(found?.start, text.indexOf(good));
  strictEqual(found?.end, text.length);
  deepStrictEqual(found?.mark.get("B"), 2n);
  strictEqual(findMarkInBytes(enc(broken)), undefined);
  strictEqual(findMarkInBytes(enc(text), text.lastIndexOf("dadfedabbadabbed") + 1), undefined);
  strictEqual(findMarkInBytes(enc(text), text.indexOf(good))?.start, text.indexOf(good));
});

Deno.test("findJsonStart respects the minimum-position guards at the start of the buffer", () => {
  const bytes = enc('{"MAGIC":"dadfedabbadabbed"}');
  strictEqual(findJsonStart(bytes, 10), 0);
  strictEqual(findJsonStart(enc('"MAGIC":"dadfedabbadabbed"'), 9), -1);
  strictEqual(findJsonStart(enc('C":"dadfedabbadabbed"'), 4), -1);
  strictEqual(findJsonStart(enc("dadfedabbadabbed"), 0), -1);
});

Deno.test("indexOfMagic finds MAGIC by bytes, also in binary data", () => {
  const bytes = new Uint8Array(1000);
  bytes.set(enc("dadfedabbadabbe"), 10); // one byte short
  bytes.set(enc("dadfedabbadabbed"), 900);
  strictEqual(indexOfMagic(bytes, 0), 900);
  strictEqual(indexOfMagic(bytes, 901), -1);
  strictEqual(indexOfMagic(bytes.subarray(0, 915), 0), -1);
});
