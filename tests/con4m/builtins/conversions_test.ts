import { deepStrictEqual, equal, ok, throws } from "node:assert/strict";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { typeToString } from "../../../con4m/types.ts";
import { Con4mDict, type TypespecValue } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

Deno.test("bool is true for non-zero numbers and non-empty containers", () => {
  equal(callSync("bool", "func(int) -> bool", [0n]), false);
  equal(callSync("bool", "func(int) -> bool", [-3n]), true);
  equal(callSync("bool", "func(float) -> bool", [0.0]), false);
  equal(callSync("bool", "func(float) -> bool", [0.5]), true);
  equal(callSync("bool", "func(string) -> bool", [""]), false);
  equal(callSync("bool", "func(string) -> bool", ["x"]), true);
  equal(callSync("bool", "func(list[`x]) -> bool", [[]]), false);
  equal(callSync("bool", "func(list[`x]) -> bool", [[1n]]), true);
  equal(callSync("bool", "func(dict[`x, `y]) -> bool", [new Con4mDict()]), false);
  equal(callSync("bool", "func(dict[`x, `y]) -> bool", [new Con4mDict([["a", 1n]])]), true);
});

Deno.test("int truncates floats toward zero and rejects non-finite ones", () => {
  equal(callSync("int", "func(float) -> int", [2.9]), 2n);
  equal(callSync("int", "func(float) -> int", [-2.9]), -2n);
  throws(() => callSync("int", "func(float) -> int", [NaN]), BuiltinError);
  throws(() => callSync("int", "func(float) -> int", [1e30]), BuiltinError);
  equal(callSync("float", "func(int) -> float", [7n]), 7);
  equal(callSync("int", "func(char) -> int", [97n]), 97n);
  equal(callSync("char", "func(int) -> char", [97n]), 97n);
});

Deno.test("$ renders by static type", () => {
  const d = "func(`t) -> string";
  equal(callSync("$", d, [42n], { types: ["int"] }), "42");
  equal(callSync("$", d, [97n], { types: ["char"] }), "a");
  equal(callSync("$", d, ["x"], { types: ["string"] }), "x");
  equal(callSync("$", d, [["x", "y"]], { types: ["list[string]"] }), '["x", "y"]');
  equal(callSync("$", d, [600_000_000n], { types: ["Duration"] }), "10 mins");
  equal(
    callSync("$", d, [new Con4mDict([[1n, true]])], { types: ["dict[int, bool]"] }),
    "{1 : true}",
  );
});

Deno.test("other-literal constructors parse text or fail with the spec messages", () => {
  equal(callSync("Duration", "func(string) -> Duration", ["3 sec"]), 3_000_000n);
  equal(callSync("Size", "func(string) -> Size", ["10mb"]), 10_000_000n);
  equal(callSync("IPAddr", "func(string) -> IPAddr", ["127.0.0.1"]), "127.0.0.1");
  equal(callSync("CIDR", "func(string) -> CIDR", ["10.0.0.0/8"]), "10.0.0.0/8");
  equal(callSync("Date", "func(string) -> Date", ["Jan 7, 2007"]), "2007-01-07");
  equal(callSync("Time", "func(string) -> Time", ["1:02pm"]), "13:02:00");
  equal(
    callSync("DateTime", "func(string) -> DateTime", ["2007-01-07T01:02"]),
    "2007-01-07T01:02:00",
  );
  throws(() => callSync("Duration", "func(string) -> Duration", ["soon"]), /Invalid duration/);
  throws(() => callSync("IPAddr", "func(string) -> IPAddr", ["1.2.3.999"]), /Invalid IP address/);
  throws(() => callSync("CIDR", "func(string) -> CIDR", ["1.2.3.4/40"]), /Invalid CIDR spec/);
  throws(() => callSync("Size", "func(string) -> Size", ["lots"]), /Invalid size spec/);
  throws(() => callSync("Date", "func(string) -> Date", ["2024-02-30"]), /Invalid date syntax/);
  throws(() => callSync("Time", "func(string) -> Time", ["25:00"]), /Invalid time syntax/);
  throws(() => callSync("DateTime", "func(string) -> DateTime", ["x"]), /Invalid date\/time/);
});

Deno.test("to_usec, to_msec and to_sec truncate", () => {
  equal(callSync("to_usec", "func(Duration) -> int", [1_999_999n]), 1_999_999n);
  equal(callSync("to_msec", "func(Duration) -> int", [1_999_999n]), 1999n);
  equal(callSync("to_sec", "func(Duration) -> int", [1_999_999n]), 1n);
});

Deno.test("to_type parses a type and rejects bad syntax", () => {
  const t = callSync("to_type", "func(string) -> typespec", ["(string) -> list[int]"]);
  ok(t !== undefined);
  equal(typeToString((t as TypespecValue).type), "(string) -> list[int]");
  throws(() => callSync("to_type", "func(string) -> typespec", ["list[int"]), BuiltinError);
});

Deno.test("to_chars, to_bytes and to_string convert code points and bytes", () => {
  deepStrictEqual(callSync("to_chars", "func(string) -> list[char]", ["aé"]), [97n, 233n]);
  deepStrictEqual(callSync("to_bytes", "func(string) -> list[char]", ["aé"]), [97n, 0xc3n, 0xa9n]);
  equal(callSync("to_string", "func(list[char]) -> string", [[104n, 0x1f600n]]), "h😀");
});
