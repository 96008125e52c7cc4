import { assert, assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { typeToString } from "../../../con4m/types.ts";
import { Con4mDict, type TypespecValue } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

Deno.test("bool is true for non-zero numbers and non-empty containers", () => {
  assertStrictEquals(callSync("bool", "func(int) -> bool", [0n]), false);
  assertStrictEquals(callSync("bool", "func(int) -> bool", [-3n]), true);
  assertStrictEquals(callSync("bool", "func(float) -> bool", [0.0]), false);
  assertStrictEquals(callSync("bool", "func(float) -> bool", [0.5]), true);
  assertStrictEquals(callSync("bool", "func(string) -> bool", [""]), false);
  assertStrictEquals(callSync("bool", "func(string) -> bool", ["x"]), true);
  assertStrictEquals(callSync("bool", "func(list[`x]) -> bool", [[]]), false);
  assertStrictEquals(callSync("bool", "func(list[`x]) -> bool", [[1n]]), true);
  assertStrictEquals(callSync("bool", "func(dict[`x, `y]) -> bool", [new Con4mDict()]), false);
  assertStrictEquals(
    callSync("bool", "func(dict[`x, `y]) -> bool", [new Con4mDict([["a", 1n]])]),
    true,
  );
});

Deno.test("int truncates floats toward zero and rejects non-finite ones", () => {
  assertStrictEquals(callSync("int", "func(float) -> int", [2.9]), 2n);
  assertStrictEquals(callSync("int", "func(float) -> int", [-2.9]), -2n);
  assertThrows(() => callSync("int", "func(float) -> int", [NaN]), BuiltinError);
  assertThrows(() => callSync("int", "func(float) -> int", [1e30]), BuiltinError);
  assertStrictEquals(callSync("float", "func(int) -> float", [7n]), 7);
  assertStrictEquals(callSync("int", "func(char) -> int", [97n]), 97n);
  assertStrictEquals(callSync("char", "func(int) -> char", [97n]), 97n);
});

Deno.test("$ renders by static type", () => {
  const d = "func(`t) -> string";
  assertStrictEquals(callSync("$", d, [42n], { types: ["int"] }), "42");
  assertStrictEquals(callSync("$", d, [97n], { types: ["char"] }), "a");
  assertStrictEquals(callSync("$", d, ["x"], { types: ["string"] }), "x");
  assertStrictEquals(callSync("$", d, [["x", "y"]], { types: ["list[string]"] }), '["x", "y"]');
  assertStrictEquals(callSync("$", d, [600_000_000n], { types: ["Duration"] }), "10 mins");
  assertStrictEquals(
    callSync("$", d, [new Con4mDict([[1n, true]])], { types: ["dict[int, bool]"] }),
    "{1 : true}",
  );
});

Deno.test("other-literal constructors parse text or fail with the spec messages", () => {
  assertStrictEquals(callSync("Duration", "func(string) -> Duration", ["3 sec"]), 3_000_000n);
  assertStrictEquals(callSync("Size", "func(string) -> Size", ["10mb"]), 10_000_000n);
  assertStrictEquals(callSync("IPAddr", "func(string) -> IPAddr", ["127.0.0.1"]), "127.0.0.1");
  assertStrictEquals(callSync("CIDR", "func(string) -> CIDR", ["10.0.0.0/8"]), "10.0.0.0/8");
  assertStrictEquals(callSync("Date", "func(string) -> Date", ["Jan 7, 2007"]), "2007-01-07");
  assertStrictEquals(callSync("Time", "func(string) -> Time", ["1:02pm"]), "13:02:00");
  assertStrictEquals(
    callSync("DateTime", "func(string) -> DateTime", ["2007-01-07T01:02"]),
    "2007-01-07T01:02:00",
  );
  assertThrows(
    () => callSync("Duration", "func(string) -> Duration", ["soon"]),
    /Invalid duration/,
  );
  assertThrows(
    () => callSync("IPAddr", "func(string) -> IPAddr", ["1.2.3.999"]),
    /Invalid IP address/,
  );
  assertThrows(() => callSync("CIDR", "func(string) -> CIDR", ["1.2.3.4/40"]), /Invalid CIDR spec/);
  assertThrows(() => callSync("Size", "func(string) -> Size", ["lots"]), /Invalid size spec/);
  assertThrows(
    () => callSync("Date", "func(string) -> Date", ["2024-02-30"]),
    /Invalid date syntax/,
  );
  assertThrows(() => callSync("Time", "func(string) -> Time", ["25:00"]), /Invalid time syntax/);
  assertThrows(() => callSync("DateTime", "func(string) -> DateTime", ["x"]), /Invalid date\/time/);
});

Deno.test("to_usec, to_msec and to_sec truncate", () => {
  assertStrictEquals(callSync("to_usec", "func(Duration) -> int", [1_999_999n]), 1_999_999n);
  assertStrictEquals(callSync("to_msec", "func(Duration) -> int", [1_999_999n]), 1999n);
  assertStrictEquals(callSync("to_sec", "func(Duration) -> int", [1_999_999n]), 1n);
});

Deno.test("to_type parses a type and rejects bad syntax", () => {
  const t = callSync("to_type", "func(string) -> typespec", ["(string) -> list[int]"]);
  assert(t !== undefined);
  assertStrictEquals(typeToString((t as TypespecValue).type), "(string) -> list[int]");
  assertThrows(() => callSync("to_type", "func(string) -> typespec", ["list[int"]), BuiltinError);
});

Deno.test("to_chars, to_bytes and to_string convert code points and bytes", () => {
  assertEquals(callSync("to_chars", "func(string) -> list[char]", ["aé"]), [97n, 233n]);
  assertEquals(callSync("to_bytes", "func(string) -> list[char]", ["aé"]), [97n, 0xc3n, 0xa9n]);
  assertStrictEquals(
    callSync("to_string", "func(list[char]) -> string", [[104n, 0x1f600n]]),
    "h😀",
  );
});
