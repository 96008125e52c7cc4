import { assertEquals, assertStrictEquals, assertThrows } from "../../_assert.ts";
import { createHash } from "node:crypto";
import { BuiltinError } from "../../../con4m/builtins/mod.ts";
import { byteLength, findBytes, sliceString } from "../../../con4m/builtins/strings.ts";
import { parseType } from "../../../con4m/types.ts";
import { callSync } from "./_call.ts";

const S_S_B = "func(string, string) -> bool";
const S_S = "func(string) -> string";
const C_B = "func(char) -> bool";

Deno.test("contains, starts_with and ends_with test substrings", () => {
  assertStrictEquals(callSync("contains", S_S_B, ["docker build", "build"]), true);
  assertStrictEquals(callSync("contains", S_S_B, ["docker", "x"]), false);
  assertStrictEquals(callSync("contains", S_S_B, ["abc", ""]), true);
  assertStrictEquals(callSync("starts_with", S_S_B, ["--flag", "--"]), true);
  assertStrictEquals(callSync("starts_with", S_S_B, ["-f", "--"]), false);
  assertStrictEquals(callSync("ends_with", S_S_B, ["dir/", "/"]), true);
  assertStrictEquals(callSync("ends_with", S_S_B, ["dir", "/"]), false);
});

Deno.test("find returns a byte index or -1", () => {
  assertStrictEquals(callSync("find", "func(string, string) -> int", ["_X_KEY", "_X_"]), 0n);
  assertStrictEquals(callSync("find", "func(string, string) -> int", ["a:b", ":"]), 1n);
  assertStrictEquals(callSync("find", "func(string, string) -> int", ["ab", "z"]), -1n);
  assertStrictEquals(findBytes("éa", "a"), 2);
});

Deno.test("len counts UTF-8 bytes, not characters", () => {
  assertStrictEquals(callSync("len", "func(string) -> int", ["abc"]), 3n);
  assertStrictEquals(callSync("len", "func(string) -> int", ["é€"]), 5n);
  assertStrictEquals(callSync("len", "func(string) -> int", [""]), 0n);
  assertStrictEquals(byteLength("😀"), 4);
});

Deno.test("slice is Python-style: end exclusive, negatives from the end, clamped", () => {
  const s3 = "func(string, int, int) -> string";
  const s2 = "func(string, int) -> string";
  const id = "0123456789abcdef0123";
  assertStrictEquals(callSync("slice", s3, [id, 0n, 8n]), "01234567");
  assertStrictEquals(callSync("slice", s3, [id, 0n, 16n]), "0123456789abcdef");
  assertStrictEquals(callSync("slice", s3, ["dir/", 0n, -1n]), "dir");
  assertStrictEquals(callSync("slice", s2, ["dir/", -1n]), "/");
  assertStrictEquals(callSync("slice", s3, ["abc", 0n, 100n]), "abc");
  assertStrictEquals(callSync("slice", s3, ["abc", -100n, 2n]), "ab");
  assertStrictEquals(callSync("slice", s3, ["abc", 2n, 1n]), "");
  assertStrictEquals(callSync("slice", s3, ["abc", 5n, 9n]), "");
  assertStrictEquals(callSync("slice", s2, ["abc", 10n]), "");
  assertStrictEquals(callSync("slice", s2, ["abc", -10n]), "abc");
  assertStrictEquals(callSync("slice", s3, ["secret-token", 0n, 4n]), "secr");
  assertStrictEquals(sliceString("aé", 0n, 3n), "aé");
});

Deno.test("split keeps empty pieces and refuses an empty separator", () => {
  const sig = "func(string, string) -> list[string]";
  assertEquals(callSync("split", sig, ["/usr/bin::/bin", ":"]), ["/usr/bin", "", "/bin"]);
  assertEquals(callSync("split", sig, ["", ","]), [""]);
  assertEquals(callSync("split", sig, ["a--b", "--"]), ["a", "b"]);
  assertThrows(() => callSync("split", sig, ["abc", ""]), BuiltinError);
});

Deno.test("strip, pad, upper, lower, join and replace transform text", () => {
  assertStrictEquals(callSync("strip", S_S, ["\t mars \n\u00a0"]), "mars");
  assertStrictEquals(callSync("pad", "func(string, int) -> string", ["ab", 5n]), "ab   ");
  assertStrictEquals(callSync("pad", "func(string, int) -> string", ["abcdef", 3n]), "abcdef");
  assertStrictEquals(callSync("upper", S_S, ["straße"]), "STRASSE");
  assertStrictEquals(callSync("lower", S_S, ["ÀB"]), "àb");
  assertStrictEquals(
    callSync("join", "func(list[string], string) -> string", [["a", "b", "c"], ", "]),
    "a, b, c",
  );
  assertStrictEquals(callSync("join", "func(list[string], string) -> string", [[], ","]), "");
  const rep = "func(string, string, string) -> string";
  assertStrictEquals(callSync("replace", rep, ["a.b.c", ".", "::"]), "a::b::c");
  assertStrictEquals(callSync("replace", rep, ["abc", "", "x"]), "abc");
});

Deno.test("base64, base64_web and debase64 round-trip UTF-8 text", () => {
  assertStrictEquals(callSync("base64", S_S, ["hello?>"]), "aGVsbG8/Pg==");
  assertStrictEquals(callSync("base64_web", S_S, ["hello?>"]), "aGVsbG8_Pg==");
  assertStrictEquals(callSync("debase64", S_S, ["aGVsbG8/Pg=="]), "hello?>");
  assertStrictEquals(callSync("debase64", S_S, ["aGVsbG8_Pg"]), "hello?>");
  assertStrictEquals(
    callSync("debase64", S_S, [callSync("base64", S_S, ["héllo €"]) as string]),
    "héllo €",
  );
  assertThrows(() => callSync("debase64", S_S, ["not base64!"]), BuiltinError);
});

Deno.test("hex encodes strings and ints upper-case and dehex decodes", () => {
  assertStrictEquals(callSync("hex", "func(string) -> string", ["AZ"]), "415A");
  assertStrictEquals(callSync("hex", "func(int) -> string", [255n]), "00000000000000FF");
  assertStrictEquals(callSync("hex", "func(int) -> string", [-1n]), "FFFFFFFFFFFFFFFF");
  assertStrictEquals(callSync("dehex", S_S, ["415a"]), "AZ");
  assertThrows(() => callSync("dehex", S_S, ["4"]), BuiltinError);
  assertThrows(() => callSync("dehex", S_S, ["zz"]), BuiltinError);
});

Deno.test("sha256 and sha512 give lower-case hex digests of the UTF-8 bytes", () => {
  const text = "chalk é";
  assertStrictEquals(
    callSync("sha256", S_S, [text]),
    createHash("sha256").update(new TextEncoder().encode(text)).digest("hex"),
  );
  assertStrictEquals(
    callSync("sha256", S_S, [""]),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assertStrictEquals((callSync("sha512", S_S, ["x"]) as string).length, 128);
});

Deno.test("char classification follows Unicode, is_num is ASCII only", () => {
  const c = (s: string): bigint => BigInt(s.codePointAt(0)!);
  assertStrictEquals(callSync("is_alphanum", C_B, [c("a")]), true);
  assertStrictEquals(callSync("is_alphanum", C_B, [c("7")]), true);
  assertStrictEquals(callSync("is_alphanum", C_B, [c("-")]), false);
  assertStrictEquals(callSync("is_alpha", C_B, [c("é")]), true);
  assertStrictEquals(callSync("is_num", C_B, [c("٣")]), false);
  assertStrictEquals(callSync("is_num", C_B, [c("3")]), true);
  assertStrictEquals(callSync("is_lower", C_B, [c("q")]), true);
  assertStrictEquals(callSync("is_upper", C_B, [c("q")]), false);
  assertStrictEquals(callSync("is_upper", C_B, [c("Q")]), true);
  assertStrictEquals(callSync("is_space", C_B, [c("\u2003")]), true);
  assertStrictEquals(callSync("is_space", C_B, [c("x")]), false);
  assertStrictEquals(callSync("is_combining", C_B, [0x301n]), true);
  assertStrictEquals(callSync("is_combining", C_B, [c("e")]), false);
  assertStrictEquals(callSync("utf8_len", "func(char) -> int", [c("€")]), 3n);
  assertStrictEquals(callSync("utf8_len", "func(char) -> int", [c("a")]), 1n);
});

Deno.test("format substitutes names through the host and escapes braces", () => {
  const vars: Record<string, [unknown, string]> = {
    i: [3n, "int"],
    x: [6n, "int"],
    name: ["chalk", "string"],
    ok: [true, "bool"],
    f: [1.0, "float"],
  };
  const host = {
    formatLookup: (n: string) =>
      n in vars ? { value: vars[n][0] as string, type: parseType(vars[n][1]) } : undefined,
  };
  assertStrictEquals(
    callSync("format", S_S, ["Fact({i}) = {x} {name} {ok} {f} {{lit}}"], { host }),
    "Fact(3) = 6 chalk true 1.0 {lit}",
  );
  assertThrows(
    () => callSync("format", S_S, ["{missing}"], { host }),
    /Error in format: missing not found/,
  );
  assertThrows(() => callSync("format", S_S, ["a } b"], { host }), BuiltinError);
});
