import { assert, assertEquals } from "../_assert.ts";
import { createHash } from "node:crypto";
import { hasNativeSha256, NativeSha256, nativeSha256 } from "../../internal/sha256_native.ts";
import { JS_SHA256_LIMIT, newSha256 } from "../../internal/sha256.ts";
import { toHex } from "../../internal/hex.ts";
import { seeded } from "../_random.ts";

function nodeHex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function randomBytes(rand: (n: number) => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rand(256);
  return out;
}

/** The native hash, or a logged reason to skip (a machine without libcrypto). */
function native(): NativeSha256 | undefined {
  const h = nativeSha256();
  if (!h) console.log("skipped: no libcrypto to open here (chalk then hashes with node:crypto)");
  return h;
}

Deno.test("libcrypto's SHA-256 equals node:crypto's for many lengths, however the input is cut", () => {
  if (!native()) return;
  const rand = seeded(0x5eed);
  for (const size of [0, 1, 55, 56, 63, 64, 65, 1000, 4096, 65_537, 3 << 20]) {
    const bytes = randomBytes(rand, size);
    const h = nativeSha256()!;
    for (let at = 0; at < size;) {
      const n = Math.min(size - at, 1 + rand(size < 100 ? 7 : 200_000));
      h.update(bytes.subarray(at, at + n));
      at += n;
    }
    assertEquals(toHex(h.digest()), nodeHex(bytes), `${size} bytes`);
  }
});

Deno.test("libcrypto's SHA-256: a copy goes on independently of the original", () => {
  if (!native()) return;
  const bytes = randomBytes(seeded(7), 10_000);
  const h = nativeSha256()!.update(bytes.subarray(0, 3001));
  const twin = h.copy();
  twin.update(new TextEncoder().encode("another tail"));
  h.update(bytes.subarray(3001));
  assertEquals(toHex(h.digest()), nodeHex(bytes));
  const other = new Uint8Array([
    ...bytes.subarray(0, 3001),
    ...new TextEncoder().encode("another tail"),
  ]);
  assertEquals(toHex(twin.digest()), nodeHex(other));
});

Deno.test("libcrypto's SHA-256 on other threads: hashes side by side give the sequential digests", async () => {
  if (!native()) return;
  const rand = seeded(0xabc);
  const a = randomBytes(rand, 4 << 20);
  const b = randomBytes(rand, 4 << 20);
  const ha = nativeSha256()!;
  const hb = nativeSha256()!;
  const hc = nativeSha256()!.update(new Uint8Array([1]));
  const chunk = 1 << 20;
  for (let at = 0; at < a.length; at += chunk) {
    // Three hashes at once, two of them over the same bytes.
    await Promise.all([
      ha.updateOnThread(a.subarray(at, at + chunk)),
      hb.updateOnThread(b.subarray(at, at + chunk)),
      hc.updateOnThread(a.subarray(at, at + chunk)),
    ]);
  }
  assertEquals(toHex(ha.digest()), nodeHex(a));
  assertEquals(toHex(hb.digest()), nodeHex(b));
  assertEquals(toHex(hc.digest()), nodeHex(new Uint8Array([1, ...a])));
});

Deno.test("the facade hashes large inputs with libcrypto where it can be opened", () => {
  assert(!(newSha256(JS_SHA256_LIMIT - 1) instanceof NativeSha256));
  assertEquals(newSha256(JS_SHA256_LIMIT) instanceof NativeSha256, hasNativeSha256());
});
