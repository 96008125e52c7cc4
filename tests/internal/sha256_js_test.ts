import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { createHash } from "node:crypto";
import { Sha256 } from "../../internal/sha256_js.ts";
import { JS_SHA256_LIMIT, newSha256, sha256Bytes, sha256Hex } from "../../internal/sha256.ts";
import { toHex } from "../../internal/hex.ts";
import { seeded } from "../_random.ts";

const text = (s: string) => new TextEncoder().encode(s);

function nodeHex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function jsHex(bytes: Uint8Array): string {
  return toHex(new Sha256().update(bytes).digest());
}

function randomBytes(rand: (n: number) => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rand(256));
}

Deno.test("Sha256 gives the FIPS 180-4 example digests", () => {
  // The expected values are written out, not only node's: a wrong constant shared by both is caught.
  const vectors: [string, string][] = [
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    ],
    [
      "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1",
    ],
  ];
  for (const [input, hex] of vectors) {
    assertEquals(jsHex(text(input)), hex, JSON.stringify(input));
    assertEquals(nodeHex(text(input)), hex, JSON.stringify(input));
  }
  // A million 'a': many blocks, and a length beyond 16 bits.
  assertEquals(
    jsHex(new Uint8Array(1_000_000).fill(0x61)),
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
  );
});

Deno.test("Sha256 equals node:crypto for every length from 0 to 300", () => {
  const rand = seeded(0x5eed);
  for (let n = 0; n <= 300; n++) {
    const bytes = randomBytes(rand, n);
    assertEquals(jsHex(bytes), nodeHex(bytes), `length ${n}`);
  }
});

Deno.test("Sha256 gives the same digest however the input is cut", () => {
  const rand = seeded(0xfeed);
  const bytes = randomBytes(rand, 5000);
  const whole = nodeHex(bytes);
  for (const size of [1, 3, 63, 64, 65, 1000]) {
    const h = new Sha256();
    for (let at = 0; at < bytes.length; at += size) h.update(bytes.subarray(at, at + size));
    assertEquals(toHex(h.digest()), whole, `pieces of ${size}`);
  }
  for (let round = 0; round < 50; round++) {
    const h = new Sha256();
    for (let at = 0; at < bytes.length;) {
      const size = rand(200);
      h.update(bytes.subarray(at, at + size));
      at += size;
    }
    assertEquals(toHex(h.digest()), whole, `random pieces, round ${round}`);
  }
});

Deno.test("Sha256.copy goes on independently of the original", () => {
  const rand = seeded(0xc0de);
  for (const cut of [0, 1, 55, 56, 63, 64, 65, 130]) {
    const prefix = randomBytes(rand, cut);
    const a = randomBytes(rand, 1 + rand(200));
    const b = randomBytes(rand, 1 + rand(200));
    const h = new Sha256().update(prefix);
    const twin = h.copy();
    h.update(a);
    twin.update(b);
    assertEquals(toHex(h.digest()), nodeHex(new Uint8Array([...prefix, ...a])), `cut ${cut}, a`);
    assertEquals(toHex(twin.digest()), nodeHex(new Uint8Array([...prefix, ...b])), `cut ${cut}, b`);
  }
});

Deno.test("Sha256 refuses to go on after digest", () => {
  const h = new Sha256();
  h.digest();
  assertThrows(() => h.update(text("x")));
  assertThrows(() => h.digest());
  assertThrows(() => h.copy());
});

Deno.test("the facade hashes small inputs in TypeScript and large ones with node:crypto, alike", () => {
  assert(newSha256(100 * 1024) instanceof Sha256);
  assert(newSha256(JS_SHA256_LIMIT - 1) instanceof Sha256);
  assert(!(newSha256(JS_SHA256_LIMIT) instanceof Sha256));
  const rand = seeded(0xbeef);
  for (const size of [100 * 1024, 3 * 1024 * 1024]) {
    const bytes = randomBytes(rand, size);
    const pieces = [
      bytes.subarray(0, 777),
      bytes.subarray(777, size - 5),
      bytes.subarray(size - 5),
    ];
    assertEquals(sha256Hex(pieces), nodeHex(bytes), `${size} bytes`);
    assertEquals(toHex(sha256Bytes(pieces)), nodeHex(bytes), `${size} bytes`);
    const h = newSha256(size).update(bytes.subarray(0, 1000));
    const twin = h.copy().update(bytes.subarray(1000));
    h.update(bytes.subarray(1000));
    assertEquals(toHex(h.digest()), nodeHex(bytes), `${size} bytes, streamed`);
    assertEquals(toHex(twin.digest()), nodeHex(bytes), `${size} bytes, copied`);
  }
  // Digests are plain Uint8Arrays either way (a Buffer would fail deep equality).
  assertEquals(newSha256(JS_SHA256_LIMIT).digest(), newSha256(0).digest());
});
