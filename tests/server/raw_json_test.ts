import {
  assert,
  assertEquals,
  assertMatch,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../_assert.ts";
import {
  MAX_JSON_DEPTH,
  parseRawJson,
  RawJsonError,
  rawMember,
  type RawObject,
  rawText,
} from "../../server/raw_json.ts";
import { canonicalJson, objectFromMembers, prettyJson } from "../../server/raw_json_format.ts";

const VALID = [
  "{}",
  "[]",
  ' { "a" : [1, -2.5e+3, true, false, null, "x\\u00e9\\n"] } ',
  '"\\ud83d\\ude00"',
  "0",
  "-0.0E-0",
  '{"a":{"b":{"c":[[]]}}}',
];

Deno.test("parseRawJson accepts what JSON.parse accepts and agrees on values", () => {
  for (const text of VALID) {
    const v = parseRawJson(text);
    assertEquals(JSON.parse(canonicalJson(text, v)), JSON.parse(text), text);
  }
});

const INVALID: [string, RegExp][] = [
  ["", /line 1, column 1: unexpected end of input/],
  ["{", /expected a string key/],
  ['{"a" 1}', /column 6: expected ':'/],
  ["[1,]", /unexpected character "]"/],
  ["[01]", /expected ',' or '\]'/],
  ["[1 2]", /expected ',' or '\]'/],
  ['"abc', /unterminated string/],
  ['"a\tb"', /control character in string/],
  ['"\\x"', /invalid escape/],
  ["-", /invalid number/],
  ["nul", /unexpected character "n"/],
  ["{}\n  x", /line 2, column 3: unexpected text after the JSON value/],
  ["{'a': 1}", /expected a string key/],
];

Deno.test("parseRawJson rejects malformed text with line and column", () => {
  for (const [text, reason] of INVALID) {
    assertThrows(() => parseRawJson(text), (e: unknown) => {
      assert(e instanceof RawJsonError, text);
      assertMatch(e.message, reason, text);
      assertThrows(() => JSON.parse(text));
      return true;
    });
  }
});

Deno.test("parseRawJson refuses nesting deeper than MAX_JSON_DEPTH", () => {
  const deep = "[".repeat(MAX_JSON_DEPTH + 2) + "]".repeat(MAX_JSON_DEPTH + 2);
  assertThrows(() => parseRawJson(deep), /nesting deeper/);
  const ok = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
  assertStrictEquals(parseRawJson(ok).kind, "array");
});

Deno.test("parseRawJson keeps number text and spans exactly", () => {
  const text = '{"big": 18446744073709551615, "f": 1.50, "s": "q\\"x"}';
  const v = parseRawJson(text) as RawObject;
  const big = rawMember(v, "big")!;
  assertStrictEquals(rawText(text, big), "18446744073709551615");
  assertStrictEquals(rawText(text, rawMember(v, "f")!), "1.50");
  const s = rawMember(v, "s")!;
  assertStrictEquals(s.kind === "string" && s.value, 'q"x');
  assertStrictEquals(rawText(text, s), '"q\\"x"');
  assertStrictEquals(rawText(text, v), text);
});

Deno.test("rawMember returns the last duplicate, like JSON.parse", () => {
  const v = parseRawJson('{"a": 1, "a": 2}') as RawObject;
  assertStrictEquals(rawMember(v, "a")?.kind === "number" && rawMember(v, "a")?.end, 15);
  assertStrictEquals(canonicalJson('{"a": 1, "a": 2}', v), '{"a":2}');
});

Deno.test("canonicalJson ignores whitespace, key order and escape spelling", () => {
  const a = '{"b": [1, {"y": 2, "x": "\\u0041"}], "a": 18446744073709551615}';
  const b = '{ "a":18446744073709551615,"b":[ 1,{"x":"A","y":2} ] }';
  assertStrictEquals(canonicalJson(a, parseRawJson(a)), canonicalJson(b, parseRawJson(b)));
  assertStrictEquals(
    canonicalJson(a, parseRawJson(a)),
    '{"a":18446744073709551615,"b":[1,{"x":"A","y":2}]}',
  );
  const c = '{"a": 18446744073709551616}';
  assertNotStrictEquals(canonicalJson(a, parseRawJson(a)), canonicalJson(c, parseRawJson(c)));
});

Deno.test("prettyJson indents and keeps digits", () => {
  const text = '{"n":12345678901234567890,"l":[],"o":{},"a":[1,"x"]}';
  assertStrictEquals(
    prettyJson(text, parseRawJson(text)),
    '{\n  "n": 12345678901234567890,\n  "l": [],\n  "o": {},\n  "a": [\n    1,\n    "x"\n  ]\n}',
  );
});

Deno.test("objectFromMembers copies member values verbatim", () => {
  const text = '{"a": 1.0e5, "b": [ 1 ]}';
  const v = parseRawJson(text) as RawObject;
  assertStrictEquals(
    objectFromMembers(text, [v.members[1], v.members[0]]),
    '{"b": [ 1 ], "a": 1.0e5}',
  );
});
