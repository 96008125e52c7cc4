import { assertEquals, assertStrictEquals, assertThrows } from "../_assert.ts";
import {
  escapeJsonString,
  formatNimFloat,
  MarkJsonError,
  parseMarkJson,
  writeMarkJson,
  writeMarkValue,
} from "../../codecs/mark_json.ts";
import type { MarkDict, MarkValue } from "../../codecs/mark_value.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const parse = (s: string, start = 0): MarkValue => parseMarkJson(enc(s), start).value;
const dict = (entries: [string, MarkValue][]): MarkDict => new Map(entries);

function errorOffset(text: string | Uint8Array, start = 0): number {
  try {
    parseMarkJson(typeof text === "string" ? enc(text) : text, start);
  } catch (e) {
    if (e instanceof MarkJsonError) {
      assertStrictEquals(e.message.includes("\n"), false);
      return e.offset;
    }
    throw e;
  }
  throw new Error(`no error for ${String(text)}`);
}

Deno.test("writeMarkJson writes the tutorial mark byte-exactly in keyspec order", () => {
  const mark = dict([
    ["METADATA_ID", "YAGZR4-R0X6-6P2S-TFD831"],
    ["PLATFORM_WHEN_CHALKED", "GNU/Linux x86_64"],
    ["CHALK_VERSION", "0.1.1"],
    ["ARTIFACT_TYPE", "ELF"],
    ["MAGIC", "dadfedabbadabbed"],
    ["TIMESTAMP_WHEN_CHALKED", 1690391238484n],
    ["CHALK_ID", "64V66C-V36G-TK8D-HJCSHK"],
    ["DATETIME_WHEN_CHALKED", "2023-07-26T13:07:18.484-04:00"],
  ]);
  assertStrictEquals(
    writeMarkJson(mark),
    '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "64V66C-V36G-TK8D-HJCSHK", ' +
      '"CHALK_VERSION" : "0.1.1", "TIMESTAMP_WHEN_CHALKED" : 1690391238484, ' +
      '"DATETIME_WHEN_CHALKED" : "2023-07-26T13:07:18.484-04:00", "ARTIFACT_TYPE" : "ELF", ' +
      '"PLATFORM_WHEN_CHALKED" : "GNU/Linux x86_64", "METADATA_ID" : "YAGZR4-R0X6-6P2S-TFD831" }',
  );
});

Deno.test("writeMarkJson sorts default-order keys byte-wise and the tail keys by order", () => {
  const mark = dict([
    ["SIGNATURE", "s"],
    ["METADATA_HASH", "h"],
    ["a_lower", 1n],
    ["_UNDERSCORE", 1n],
    ["Z", 1n],
    ["$PRIVATE", 1n],
    ["ERR_INFO", []],
    ["9DIGIT", 1n],
    ["SIGNING", true],
    ["METADATA_ID", "i"],
    ["MAGIC", "dadfedabbadabbed"],
  ]);
  const keys = [...parseMarkJson(enc(writeMarkJson(mark)), 0).value as MarkDict].map(([k]) => k);
  assertEquals(keys, [
    "MAGIC",
    "$PRIVATE",
    "9DIGIT",
    "Z",
    "_UNDERSCORE",
    "a_lower",
    "ERR_INFO",
    "SIGNING",
    "METADATA_HASH",
    "METADATA_ID",
    "SIGNATURE",
  ]);
});

Deno.test("writeMarkJson honours a custom order and keeps nested dicts in insertion order", () => {
  const nested = dict([["z", 1n], ["a", dict([])], ["m", [1n, "x", [], null]]]);
  const mark = dict([["B", nested], ["A", 2.5]]);
  assertStrictEquals(
    writeMarkJson(mark, { order: (k) => (k === "B" ? 0n : 1n) }),
    '{ "B" : { "z" : 1, "a" : {  }, "m" : [1, "x", [], null] }, "A" : 2.5 }',
  );
  assertStrictEquals(writeMarkJson(dict([])), "{  }");
});

Deno.test("writeMarkJson keeps floats and ints apart", () => {
  assertStrictEquals(
    writeMarkJson(dict([["A", 1], ["B", 1n], ["C", -0], ["D", true], ["E", false], ["F", null]])),
    '{ "A" : 1.0, "B" : 1, "C" : -0.0, "D" : true, "E" : false, "F" : null }',
  );
  assertStrictEquals(writeMarkValue(-9223372036854775808n), "-9223372036854775808");
});

Deno.test("escapeJsonString escapes like Nim escapeJson", () => {
  assertStrictEquals(escapeJsonString('a"b\\c/d'), '"a\\"b\\\\c/d"');
  assertStrictEquals(escapeJsonString("\n\b\f\t\r"), '"\\n\\b\\f\\t\\r"');
  assertStrictEquals(escapeJsonString("\x0b"), '"\\u000b"');
  assertStrictEquals(escapeJsonString("\x00\x01\x07"), '"\\u0000\\u0001\\u0007"');
  assertStrictEquals(escapeJsonString("\x0e\x1a\x1f"), '"\\u000E\\u001A\\u001F"');
  assertStrictEquals(escapeJsonString("\x7f é 日本 😀"), '"\x7f é 日本 😀"');
  assertStrictEquals(escapeJsonString(""), '""');
  // A lone surrogate is copied (JSON.stringify would escape it: its quick path must not decide).
  assertStrictEquals(escapeJsonString("a\ud800b"), '"a\ud800b"');
  assertStrictEquals(escapeJsonString("\udc00\n"), '"\udc00\\n"');
});

Deno.test("formatNimFloat prints Nim's shortest round-trip form", () => {
  const cases: [number, string][] = [
    [1, "1.0"],
    [0.5, "0.5"],
    [-2.25, "-2.25"],
    [0.1, "0.1"],
    [0.1 + 0.2, "0.30000000000000004"],
    [1e16, "10000000000000000.0"],
    [1e17, "1e+17"],
    [1.5e17, "1.5e+17"],
    [1e20, "1e+20"],
    [123456789012345680000, "1.2345678901234568e+20"],
    [1e-6, "0.000001"],
    [1.25e-6, "0.00000125"],
    [1e-7, "0.0000001"],
    [1e-8, "1e-8"],
    [1.5e-10, "1.5e-10"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [0, "0.0"],
    [-0, "-0.0"],
    [NaN, "nan"],
    [Infinity, "inf"],
    [-Infinity, "-inf"],
  ];
  for (const [x, s] of cases) assertStrictEquals(formatNimFloat(x), s, `formatNimFloat(${x})`);
});

Deno.test("parseMarkJson keeps int64 exact and int vs float", () => {
  const v = parse(
    '{"MAX":9223372036854775807,"MIN":-9223372036854775808,"BIG":9007199254740993,' +
      '"F":1.0,"E":1e2,"G":-0.5E-3,"Z":-0,"D":1.}',
  ) as MarkDict;
  assertStrictEquals(v.get("MAX"), 9223372036854775807n);
  assertStrictEquals(v.get("MIN"), -9223372036854775808n);
  assertStrictEquals(v.get("BIG"), 9007199254740993n);
  assertStrictEquals(v.get("F"), 1);
  assertStrictEquals(v.get("E"), 100);
  assertStrictEquals(v.get("G"), -0.0005);
  assertStrictEquals(v.get("Z"), 0n);
  assertStrictEquals(v.get("D"), 1);
  assertStrictEquals(
    writeMarkJson(v, { order: () => 0n }),
    '{ "BIG" : 9007199254740993, "D" : 1.0, "E" : 100.0, "F" : 1.0, "G" : -0.0005, ' +
      '"MAX" : 9223372036854775807, "MIN" : -9223372036854775808, "Z" : 0 }',
  );
});

Deno.test("parseMarkJson reads a round trip of writeMarkJson", () => {
  const mark = dict([
    ["MAGIC", "dadfedabbadabbed"],
    ["S", 'tab\there "q" \\ \x01 \x0b é 😀'],
    ["L", [1n, 2.5, [true, null], dict([["k", "v"]])]],
    ["N", dict([])],
  ]);
  const text = writeMarkJson(mark);
  const { value, end } = parseMarkJson(enc(text), 0);
  assertEquals(value, mark);
  assertStrictEquals(end, enc(text).length);
});

Deno.test("parseMarkJson skips leading whitespace only and reports the end offset", () => {
  const bytes = enc('xx \t\r\n{ "A" : [ 1 , 2 ] }  tail');
  const { value, end } = parseMarkJson(bytes, 2);
  assertEquals(value, dict([["A", [1n, 2n]]]));
  assertStrictEquals(end, bytes.length - 6);
});

Deno.test("parseMarkJson decodes escapes and keeps duplicate keys at the first position", () => {
  assertEquals(
    parse('{"a":"\\u0041\\u00e9\\/\\b\\f\\n\\r\\t\\"\\\\","b":1,"a":2}'),
    dict([["a", 2n], ["b", 1n]]),
  );
  assertEquals(parse('"\\ud83d\\ude00"'), "😀");
  assertEquals(parse('"\\u0000"'), "\0");
});

Deno.test("parseMarkJson tolerates a key start that is not a quote after a comma [quirk]", () => {
  assertEquals(parse('{"a":1, xb":2}'), dict([["a", 1n], ["b", 2n]]));
});

Deno.test("parseMarkJson reports the offset of malformed input", () => {
  assertStrictEquals(errorOffset('{"a" 1}'), 5);
  assertStrictEquals(errorOffset('{"a":1 "b":2}'), 7);
  assertStrictEquals(errorOffset('{"a":tru}'), 8);
  assertStrictEquals(errorOffset("[1, 2 3]"), 6);
  assertStrictEquals(errorOffset("--1"), 1);
  assertStrictEquals(errorOffset("1e+"), 3);
  assertStrictEquals(errorOffset("1ex"), 2);
  assertStrictEquals(errorOffset("9223372036854775808"), 0);
  assertStrictEquals(errorOffset("-9223372036854775809"), 0);
  assertStrictEquals(errorOffset('"\\x"'), 2);
  assertStrictEquals(errorOffset('"\\u12G4"'), 5);
  assertStrictEquals(errorOffset('{"a":"unterminated'), 18);
  assertStrictEquals(errorOffset("{"), 1);
  assertStrictEquals(errorOffset("   "), 3);
  assertStrictEquals(errorOffset("@"), 0);
  assertStrictEquals(errorOffset("{x}"), 1);
  assertStrictEquals(errorOffset('{"a":1,}'), 8);
});

Deno.test("parseMarkJson rejects invalid UTF-8 and NUL inside strings", () => {
  assertStrictEquals(errorOffset(new Uint8Array([0x22, 0x61, 0xff, 0x22])), 0);
  assertStrictEquals(errorOffset(new Uint8Array([0x22, 0xe2, 0x82, 0x22])), 0);
  assertStrictEquals(
    errorOffset(new Uint8Array([0x7b, 0x22, 0x61, 0x00, 0x22, 0x3a, 0x31, 0x7d])),
    3,
  );
  assertThrows(() => parseMarkJson(new Uint8Array([0x22, 0xc3, 0x28, 0x22]), 0), MarkJsonError);
});

Deno.test("parseMarkJson refuses absurd nesting instead of overflowing the stack", () => {
  const deep = "[".repeat(100000) + "]".repeat(100000);
  assertThrows(() => parseMarkJson(enc(deep), 0), MarkJsonError);
});

Deno.test("a long list (a report's _CHALKS) is written like a short one, item by item", () => {
  const item = (i: number): MarkValue =>
    new Map<string, MarkValue>([["PATH", `/s${i}.sh`], ["N", BigInt(i)], ["L", [1.5, "x\n"]]]);
  for (const n of [64, 65, 2000]) {
    const list = Array.from({ length: n }, (_, i) => item(i));
    const expected = "[" + list.map((v) => writeMarkValue(v)).join(", ") + "]";
    assertEquals(writeMarkValue(list), expected);
    assertEquals(writeMarkValue(list).startsWith('[{ "PATH" : "/s0.sh", "N" : 0, '), true);
    assertEquals(parseMarkJson(new TextEncoder().encode(expected), 0).value, list);
  }
});
