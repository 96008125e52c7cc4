import { assertEquals, assertStrictEquals } from "../_assert.ts";
import { wholeView } from "../../codecs/byte_view.ts";
import { findJsonStart, findMarkInBytes, indexOfMagic } from "../../codecs/find_mark.ts";
import { EMPTY_MARK } from "../../codecs/mark_value.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("findMarkInBytes finds the placeholder and reports the JSON span", () => {
  const text = `# ${EMPTY_MARK}\n`;
  const found = findMarkInBytes(enc(text));
  assertEquals(found, {
    mark: new Map([["MAGIC", "dadfedabbadabbed"]]),
    start: 2,
    end: 2 + EMPTY_MARK.length,
  });
});

Deno.test("findMarkInBytes accepts spaces but not tabs or newlines before MAGIC", () => {
  assertStrictEquals(findMarkInBytes(enc('{"MAGIC":"dadfedabbadabbed"}'))?.start, 0);
  assertStrictEquals(
    findMarkInBytes(enc('x{   "MAGIC"   :   "dadfedabbadabbed", "A" : 1}'))?.start,
    1,
  );
  assertStrictEquals(findMarkInBytes(enc('{\t"MAGIC" : "dadfedabbadabbed"}')), undefined);
  assertStrictEquals(findMarkInBytes(enc('{\n"MAGIC" : "dadfedabbadabbed"}')), undefined);
  assertStrictEquals(findMarkInBytes(enc('{ "MAGIC"\t: "dadfedabbadabbed"}')), undefined);
  // MAGIC must be the first member.
  assertStrictEquals(findMarkInBytes(enc('{ "A" : 1, "MAGIC" : "dadfedabbadabbed" }')), undefined);
});

Deno.test("findMarkInBytes skips a hit whose JSON is broken and finds the next one", () => {
  const broken = '{ "MAGIC" : "dadfedabbadabbed", "A" : }';
  const good = '{ "MAGIC" : "dadfedabbadabbed", "B" : 2 }';
  const text = `${broken}\nplain dadfedabbadabbed\n${good}`;
  const found = findMarkInBytes(enc(text));
  assertStrictEquals(found?.start, text.indexOf(good));
  assertStrictEquals(found?.end, text.length);
  assertEquals(found?.mark.get("B"), 2n);
  assertStrictEquals(findMarkInBytes(enc(broken)), undefined);
  assertStrictEquals(
    findMarkInBytes(enc(text), text.lastIndexOf("dadfedabbadabbed") + 1),
    undefined,
  );
  assertStrictEquals(findMarkInBytes(enc(text), text.indexOf(good))?.start, text.indexOf(good));
});

Deno.test("findJsonStart respects the minimum-position guards at the start of the buffer", () => {
  const bytes = enc('{"MAGIC":"dadfedabbadabbed"}');
  assertStrictEquals(findJsonStart(wholeView(bytes), 10), 0);
  assertStrictEquals(findJsonStart(wholeView(enc('"MAGIC":"dadfedabbadabbed"')), 9), -1);
  assertStrictEquals(findJsonStart(wholeView(enc('C":"dadfedabbadabbed"')), 4), -1);
  assertStrictEquals(findJsonStart(wholeView(enc("dadfedabbadabbed")), 0), -1);
});

Deno.test("indexOfMagic finds MAGIC by bytes, also in binary data", () => {
  const bytes = new Uint8Array(1000);
  bytes.set(enc("dadfedabbadabbe"), 10); // one byte short
  bytes.set(enc("dadfedabbadabbed"), 900);
  assertStrictEquals(indexOfMagic(bytes, 0), 900);
  assertStrictEquals(indexOfMagic(bytes, 901), -1);
  assertStrictEquals(indexOfMagic(bytes.subarray(0, 915), 0), -1);
});
