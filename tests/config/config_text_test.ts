import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { ConfigTextError, decodeConfigText, readConfigBytes } from "../../config/config_text.ts";

const enc = new TextEncoder();

function reasonOf(bytes: Uint8Array, max?: number): string {
  try {
    decodeConfigText(bytes, "c.c4m", max);
  } catch (e) {
    assert(e instanceof ConfigTextError, String(e));
    assertStrictEquals(e.message, `c.c4m: ${e.reason}`);
    return e.reason;
  }
  throw new Error(`accepted: ${bytes.join(",")}`);
}

Deno.test("decodeConfigText returns UTF-8 text unchanged, BOM dropped", () => {
  const text = 'filename: "café ☕ 𝄞"\n';
  assertStrictEquals(decodeConfigText(enc.encode(text), "c.c4m"), text);
  assertStrictEquals(
    decodeConfigText(new Uint8Array([0xef, 0xbb, 0xbf, ...enc.encode("x := 1\n")]), "c.c4m"),
    "x := 1\n",
  );
});

Deno.test("decodeConfigText refuses a NUL byte with its offset", () => {
  const bytes = new Uint8Array([...enc.encode("x := 1 "), 0, ...enc.encode("garbage !!! {{{")]);
  assertStrictEquals(reasonOf(bytes), "binary data (a NUL byte at offset 7), not con4m text");
});

Deno.test("decodeConfigText refuses invalid UTF-8 with the offset of the first bad sequence", () => {
  const cases: [number[], number][] = [
    [[0x61, 0xe9, 0x62], 1], // Latin-1 é
    [[0x61, 0x62, 0xc0, 0x80], 2], // overlong NUL
    [[0xed, 0xa0, 0x80], 0], // a UTF-16 surrogate
    [[0x61, 0xf4, 0x90, 0x80, 0x80], 1], // past U+10FFFF
    [[0x61, 0x62, 0x63, 0xe2, 0x82], 3], // cut short at the end
    [[0xe2, 0x82, 0xac, 0x80], 3], // a stray continuation byte
    [[0x78, 0xff], 1],
  ];
  for (const [bytes, at] of cases) {
    assertStrictEquals(
      reasonOf(new Uint8Array(bytes)),
      `not UTF-8 text (invalid byte at offset ${at})`,
      bytes.join(","),
    );
  }
});

Deno.test("decodeConfigText's offsets agree with TextDecoder on 5,000 random byte strings", () => {
  const lenient = new TextDecoder();
  for (let n = 0; n < 5000; n++) {
    const bytes = crypto.getRandomValues(new Uint8Array(1 + (n % 12)));
    // Mostly text with some high bytes, no NUL (tested above).
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0 || (bytes[i] < 0x80 && n % 3 === 0)) bytes[i] = 0x61;
    }
    const decoded = lenient.decode(bytes);
    const bad = decoded.indexOf("\ufffd");
    if (bad < 0) {
      assertStrictEquals(decodeConfigText(bytes, "r"), decoded);
      continue;
    }
    const offset = enc.encode(decoded.slice(0, bad)).length;
    assertStrictEquals(reasonOf(bytes), `not UTF-8 text (invalid byte at offset ${offset})`);
  }
});

Deno.test("decodeConfigText caps the size", () => {
  assertStrictEquals(
    reasonOf(enc.encode("#".repeat(101)), 100),
    "larger than the 100 bytes a configuration may have (101 bytes)",
  );
  assertStrictEquals(decodeConfigText(enc.encode("#".repeat(100)), "c", 100).length, 100);
});

Deno.test("readConfigBytes stops reading an endless device at the cap", async () => {
  const e = await readConfigBytes("/dev/zero", 4096).catch((x) => x);
  assert(e instanceof ConfigTextError, String(e));
  assertEquals(e.reason, "larger than the 4 KiB a configuration may have");
});
