import { assert, assertStrictEquals } from "../../_assert.ts";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { binaryEncode, dirSize, isJwtValid } from "../../../con4m/builtins/mod.ts";
import { Con4mDict } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

const hex = (b: Uint8Array): string =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("binaryEncode follows chalk's normalisation byte layout", () => {
  assertStrictEquals(hex(binaryEncode("ab")), "01020000006162");
  assertStrictEquals(hex(binaryEncode(1n)), "020100000000000000");
  assertStrictEquals(hex(binaryEncode(-1n)), "02ffffffffffffffff");
  assertStrictEquals(hex(binaryEncode(true)), "0301");
  assertStrictEquals(hex(binaryEncode(false)), "0300");
  assertStrictEquals(hex(binaryEncode(1.5)), "06");
  assertStrictEquals(hex(binaryEncode(null)), "07");
  assertStrictEquals(hex(binaryEncode([1n])), "0401000000020100000000000000");
  // keys sorted byte-wise: "B" (0x42) < "a" (0x61) < "é" (0xc3 0xa9)
  const d = new Con4mDict([["é", true], ["a", true], ["B", true]]);
  assertStrictEquals(
    hex(binaryEncode(d)),
    "0503000000" + "010100000042" + "0301" + "010100000061" + "0301" + "0102000000c3a9" + "0301",
  );
});

Deno.test("binary_sha256 hashes the encoding and ignores dict order", () => {
  const a = new Con4mDict([["x", 1n], ["y", [true]]]);
  const b = new Con4mDict([["y", [true]], ["x", 1n]]);
  const sig = "func(`x) -> string";
  const ha = callSync("binary_sha256", sig, [a]);
  assertStrictEquals(ha, callSync("binary_sha256", sig, [b]));
  assertStrictEquals(ha, createHash("sha256").update(binaryEncode(a)).digest("hex"));
  assert(ha !== callSync("binary_sha256", sig, [new Con4mDict([["x", 2n], ["y", [true]]])]));
});

Deno.test("dir_size sums file sizes recursively and dir_size_under stops at the limit", () => {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(join(dir, "a/b"), { recursive: true });
    Deno.writeFileSync(join(dir, "f1"), new Uint8Array(1000));
    Deno.writeFileSync(join(dir, "a/b/f2"), new Uint8Array(24));
    assertStrictEquals(callSync("dir_size", "func(string) -> Size", [dir]), 1024n);
    assertStrictEquals(dirSize(dir), 1024n);
    const under = "func(string, Size) -> bool";
    assertStrictEquals(callSync("dir_size_under", under, [dir, 1025n]), true);
    assertStrictEquals(callSync("dir_size_under", under, [dir, 1024n]), false);
    assertStrictEquals(callSync("dir_size", "func(string) -> Size", [join(dir, "none")]), 0n);
    assertStrictEquals(callSync("dir_size_under", under, [join(dir, "none"), 1n]), true);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

function jwt(payload: Record<string, unknown>): string {
  const seg = (o: unknown) =>
    btoa(JSON.stringify(o)).replaceAll("=", "").replaceAll("+", "-")
      .replaceAll("/", "_");
  return `${seg({ alg: "HS256", typ: "JWT" })}.${seg(payload)}.c2lnbmF0dXJl`;
}

Deno.test("is_jwt_valid accepts unexpired tokens and rejects expired or malformed ones", () => {
  const now = Math.floor(Date.now() / 1000);
  const sig = "func(string) -> bool";
  assertStrictEquals(callSync("is_jwt_valid", sig, [jwt({ sub: "x", exp: now + 3600 })]), true);
  assertStrictEquals(callSync("is_jwt_valid", sig, [jwt({ sub: "x", exp: now - 10 })]), false);
  assertStrictEquals(callSync("is_jwt_valid", sig, [jwt({ sub: "x" })]), true);
  assertStrictEquals(callSync("is_jwt_valid", sig, [""]), false);
  assertStrictEquals(callSync("is_jwt_valid", sig, ["a.b"]), false);
  assertStrictEquals(callSync("is_jwt_valid", sig, ["!!.@@.##"]), false);
  assertStrictEquals(isJwtValid(jwt({ exp: 100 }), 99_000), true);
  assertStrictEquals(isJwtValid(jwt({ exp: "tomorrow" })), false);
});
