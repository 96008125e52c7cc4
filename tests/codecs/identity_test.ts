import {
  assertEquals,
  assertMatch,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../_assert.ts";
import { createHash } from "node:crypto";
import {
  chalkIdFromHash,
  chalkRand,
  metadataHashOf,
  metadataIdFromHash,
  NormalizationError,
  normalizeMark,
  randomChalkId,
} from "../../codecs/identity.ts";
import { idFormat } from "../../codecs/base32v.ts";
import type { MarkDict, MarkValue } from "../../codecs/mark_value.ts";
import { toHex } from "../../internal/hex.ts";

const sha256Hex = (b: Uint8Array | string): string => createHash("sha256").update(b).digest("hex");
const ID_SHAPE =
  /^[0-9A-HJKMNP-TV-Z]{6}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{6}$/;

/** The normalization test vector's dict, in the vector's insertion order. */
function vectorDict(withNull: boolean): MarkDict {
  const entries: [string, MarkValue][] = [
    ["MAGIC", "dadfedabbadabbed"],
    ["CHALK_ID", "ABC"],
    ["CHALK_VERSION", "1.1.0"],
    ["TIMESTAMP_WHEN_CHALKED", 1700000000000n],
    ["TAG_SIGNED", false],
    ["BUILD_CONTACT", ["a", "b"]],
    ["INJECTOR_ENV", new Map<string, MarkValue>([["USER", "me"], ["PATH", "/bin"]])],
  ];
  if (withNull) entries.push(["X_NULL", null]);
  return new Map(entries);
}

Deno.test("chalkIdFromHash encodes the ASCII hex text (tutorial vector)", () => {
  const hash = "16c3c45462fc89d7fcc84c3749cb0900bdd1052f760ebd7cea1ab3956ad7326f";
  assertStrictEquals(chalkIdFromHash(hash), "64V66C-V36G-TK8D-HJCSHK");
  // Encoding the raw digest instead is the classic mistake.
  assertStrictEquals(metadataIdFromHash(hash), "2V1W8N-32ZJ-4XFZ-689GVM");
});

Deno.test("chalkIdFromHash of sha256('') matches the derived vector", () => {
  const hash = sha256Hex("");
  assertStrictEquals(hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assertStrictEquals(chalkIdFromHash(hash), "CMSP4C-336G-T34E-9RCSHK");
});

Deno.test("chalkIdFromHash of the unmarked source file vector", () => {
  const hash = sha256Hex("#!/bin/sh\necho hello\n");
  assertStrictEquals(hash, "bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b");
  assertStrictEquals(chalkIdFromHash(hash), "C9K68S-B1CN-H30E-33CSK6");
});

Deno.test("metadataIdFromHash encodes the raw digest (tutorial vector)", () => {
  assertStrictEquals(
    metadataIdFromHash("f2a1fc1300e98d61674f6a06144125901134f6c34748a8b6b5aa37bf9d911ef0"),
    "YAGZR4-R0X6-6P2S-TFD831",
  );
  assertThrows(() => metadataIdFromHash("xyz"), NormalizationError);
});

Deno.test("normalizeMark HEAD rules match the reference hex dump, hash and ID", () => {
  const bytes = normalizeMark(vectorDict(true));
  assertStrictEquals(
    toHex(bytes),
    "0507000000010d0000004255494c445f434f4e54414354040200000001010000006101010000006201080000004348414c4b5f49440103000000414243010d0000004348414c4b5f56455253494f4e0105000000312e312e30010c000000494e4a4543544f525f454e56050200000001040000005041544801040000002f62696e01040000005553455201020000006d65010a0000005441475f5349474e45440300011600000054494d455354414d505f5748454e5f4348414c4b4544020068e5cf8b0100000106000000585f4e554c4c07",
  );
  assertStrictEquals(
    sha256Hex(bytes),
    "c96a471d53fe8017666d0081e6d2147f0dd69d8c1bf924fe86fbcddc5578f658",
  );
  assertEquals(metadataHashOf(vectorDict(true)), {
    hash: "c96a471d53fe8017666d0081e6d2147f0dd69d8c1bf924fe86fbcddc5578f658",
    id: "S5N4E7-AKZT-01ES-KD020Y",
  });
});

Deno.test("normalizeMark v0.1 rules match the reference hex dump, hash and ID", () => {
  const bytes = normalizeMark(vectorDict(false), "v0.1");
  assertStrictEquals(
    toHex(bytes),
    "06000000010d0000004255494c445f434f4e54414354040200000001010000006101010000006201080000004348414c4b5f49440103000000414243010d0000004348414c4b5f56455253494f4e0105000000312e312e30010c000000494e4a4543544f525f454e56050200000001040000005553455201020000006d6501040000005041544801040000002f62696e010a0000005441475f5349474e45440300011600000054494d455354414d505f5748454e5f4348414c4b4544020068e5cf8b010000",
  );
  const digest = createHash("sha256").update(bytes).digest();
  assertStrictEquals(
    digest.toString("hex"),
    "0547cfe9be6db3d2fc0ba9b1b6d4b17380c91254ca30ca4f0de6f9754d892d54",
  );
  assertStrictEquals(idFormat(new Uint8Array(digest)), "0N3WZT-DYDP-SX5Z-0BN6RV");
});

Deno.test("normalizeMark v0.1 refuses floats and nulls", () => {
  assertThrows(() => normalizeMark(vectorDict(true), "v0.1"), NormalizationError);
  assertThrows(() => normalizeMark(new Map([["F", 1.5]]), "v0.1"), NormalizationError);
});

Deno.test("normalizeMark ignores the ignore list only at the top level", () => {
  const inner = new Map<string, MarkValue>([["MAGIC", "x"]]);
  const mark = new Map<string, MarkValue>([
    ["MAGIC", "dadfedabbadabbed"],
    ["METADATA_HASH", "h"],
    ["METADATA_ID", "i"],
    ["SIGNING", true],
    ["SIGNATURE", "s"],
    ["EMBEDDED_CHALK", []],
    ["D", inner],
  ]);
  assertStrictEquals(
    toHex(normalizeMark(mark)),
    "0501000000" + "010100000044" + "0501000000" + "01050000004d41474943" + "010100000078",
  );
});

Deno.test("normalizeMark encodes ints as u64 two's complement, floats as a lone tag, UTF-8 lengths", () => {
  const mark = new Map<string, MarkValue>([["A", -1n], ["B", 2.5], ["C", "é"]]);
  assertStrictEquals(
    toHex(normalizeMark(mark)),
    "0503000000" + "010100000041" + "02ffffffffffffffff" + "010100000042" + "06" +
      "010100000043" + "0102000000c3a9",
  );
});

Deno.test("metadataHashOf does not depend on key order or ignored keys", () => {
  const a = vectorDict(true);
  const b = new Map([...a].reverse());
  b.set("METADATA_ID", "whatever");
  assertEquals(metadataHashOf(a), metadataHashOf(b));
});

Deno.test("randomChalkId and chalkRand are fresh and well formed", () => {
  assertMatch(randomChalkId(), ID_SHAPE);
  assertNotStrictEquals(randomChalkId(), randomChalkId());
  assertMatch(chalkRand(), /^[0-9a-f]{16}$/);
  assertNotStrictEquals(chalkRand(), chalkRand());
});
