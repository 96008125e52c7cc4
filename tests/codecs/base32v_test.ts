import { assertStrictEquals } from "../_assert.ts";
import { base32v, idFormat } from "../../codecs/base32v.ts";

const RFC_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const V_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const translate = (rfc: string): string =>
  [...rfc].map((c) => V_ALPHABET[RFC_ALPHABET.indexOf(c)]).join("");
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

Deno.test("base32v matches the RFC 4648 test vectors translated to the base32v alphabet", () => {
  const vectors: [string, string][] = [
    ["", ""],
    ["f", "MY"],
    ["fo", "MZXQ"],
    ["foo", "MZXW6"],
    ["foob", "MZXW6YQ"],
    ["fooba", "MZXW6YTB"],
    ["foobar", "MZXW6YTBOI"],
  ];
  for (const [input, rfc] of vectors) {
    assertStrictEquals(base32v(enc(input)), translate(rfc), input);
  }
});

Deno.test("base32v packs bits most significant first", () => {
  assertStrictEquals(base32v(new Uint8Array([0xff])), "ZW");
  assertStrictEquals(base32v(new Uint8Array([0x00, 0x00, 0x00, 0x00, 0x00])), "00000000");
  assertStrictEquals(base32v(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])), "ZZZZZZZZ");
  assertStrictEquals(base32v(new Uint8Array([0x84, 0x21, 0x08, 0x42, 0x10])), "GGGGGGGG");
});

Deno.test("idFormat takes 100 bits and dashes them 6-4-4-6", () => {
  const id = idFormat(enc("16c3c45462fc89d7fcc84c3749cb0900"));
  assertStrictEquals(id, "64V66C-V36G-TK8D-HJCSHK");
  // Only the first 13 bytes matter.
  assertStrictEquals(idFormat(enc("16c3c45462fc8")), id);
  assertStrictEquals(idFormat(enc("16c3c45462fc8zzzz")), id);
});
