import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import {
  BuiltinError,
  jsonLinesToValue,
  jsonToValue,
  valueToJson,
} from "../../../con4m/builtins/mod.ts";
import { parseType } from "../../../con4m/types.ts";
import { callbackValue, Con4mDict, typespecValue, valuesEqual } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

Deno.test("jsonToValue keeps int vs float, big ints and member order", () => {
  const v = jsonToValue('{"2": 1, "1": 1.0, "big": 9223372036854775807, "huge": 1e400, "n": null}');
  assert(v instanceof Con4mDict);
  assertEquals([...v.keys()], ["2", "1", "big", "huge", "n"]);
  assertStrictEquals(v.get("2"), 1n);
  assertStrictEquals(v.get("1"), 1);
  assertStrictEquals(v.get("big"), 9223372036854775807n);
  assertStrictEquals(v.get("huge"), Infinity);
  assertStrictEquals(v.get("n"), null);
  assertStrictEquals(jsonToValue("18446744073709551616"), 18446744073709551616);
});

Deno.test("jsonToValue decodes nested values and string escapes", () => {
  const v = jsonToValue(' [ {"a": [true, false, -0.5e1]}, "\\u00e9\\n\\ud83d\\ude00", [] ] ');
  assert(
    valuesEqual(v, [new Con4mDict([["a", [true, false, -5]]]), "é\n😀", []]),
  );
});

Deno.test("jsonToValue rejects malformed JSON with a BuiltinError", () => {
  for (const bad of ["", "{", '{"a" 1}', "[1,]", "01", '"\u0001"', "tru", "1 2", "{a:1}"]) {
    assertThrows(() => jsonToValue(bad), BuiltinError, bad);
  }
  assertThrows(() => jsonToValue("[".repeat(1000)), /nesting too deep/);
});

Deno.test("valueToJson writes compact JSON and keeps floats as floats", () => {
  const d = new Con4mDict([["a", [1n, 2.5, 3.0]], ["b", 'x"y'], ["c", null], [7n, true]]);
  assertStrictEquals(valueToJson(d), '{"a":[1,2.5,3.0],"b":"x\\"y","c":null,"7":true}');
  assertStrictEquals(valueToJson(NaN), "null");
  assertStrictEquals(valueToJson(typespecValue(parseType("list[int]"))), '"list[int]"');
  assertStrictEquals(valueToJson(callbackValue("f")), '"func f"');
});

Deno.test("to_json and parse_json round-trip (the secret scanner's double dance)", () => {
  const items = [new Con4mDict([["Raw", "k"], ["Line", 3n], ["Score", 0.25]])];
  const text = callSync("to_json", "func(`x) -> string", [items]) as string;
  const back = callSync("parse_json", "func(string) -> `x", [text]);
  assert(valuesEqual(back!, items));
  assertStrictEquals(valueToJson(back!), text);
});

Deno.test("parse_jsonl parses one document per line", () => {
  const out = callSync("parse_jsonl", "func(string) -> `x", ['{"a":1}\n\n{"a":2}\n']);
  assert(valuesEqual(out!, [new Con4mDict([["a", 1n]]), new Con4mDict([["a", 2n]])]));
  assertEquals(jsonLinesToValue(""), []);
  assertThrows(
    () => callSync("parse_jsonl", "func(string) -> `x", ['{"a":1}\nnot json']),
    BuiltinError,
  );
});

Deno.test("parse_json errors name the problem and the offset", () => {
  assertThrows(
    () => callSync("parse_json", "func(string) -> `x", ['{"a": }']),
    /Could not parse JSON: unexpected '}' at offset 6/,
  );
});

Deno.test("parse_json of an empty or blank text is an empty dict (chalk's profile.c4m default)", () => {
  for (const text of ["", "  \n"]) {
    const out = callSync("parse_json", "func(string) -> `x", [text]);
    assert(out instanceof Con4mDict && out.size === 0, JSON.stringify(text));
  }
  assertThrows(
    () => callSync("parse_json", "func(string) -> `x", ["{"]),
    "broken JSON still fails",
  );
});
