/** internal/zlib_inflate.ts against zlib itself (node:zlib deflates; the inflater must agree). */
import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { constants, deflateSync } from "node:zlib";
import { adler32, inflateZlib, ZlibError } from "../../internal/zlib_inflate.ts";

/** Deterministic bytes: `kind` picks text-like, random, or runs (long back-references). */
function sample(kind: "text" | "random" | "runs", size: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const next = () => (s = (s * 1664525 + 1013904223) >>> 0);
  const out = new Uint8Array(size);
  const words = ["tree ", "parent ", "author ", "chalk ", "\n", "0123456789abcdef", " <a@b> "];
  for (let i = 0; i < size;) {
    if (kind === "random") out[i++] = next() & 0xff;
    else if (kind === "runs") {
      const run = 1 + (next() % 400);
      out.fill(next() & 0xff, i, Math.min(size, i + run));
      i += run;
    } else {
      for (const c of words[next() % words.length]) if (i < size) out[i++] = c.charCodeAt(0);
    }
  }
  return out;
}

/** A ZlibError whose message matches `re`. */
const zlibError = (re: RegExp) => (e: unknown) => e instanceof ZlibError && re.test(e.message);

const SIZES = [0, 1, 2, 100, 1000, 65535, 65536, 70000, 300_000];
const OPTIONS = [
  { level: 0 }, // stored blocks
  { level: 1 },
  { level: 6 },
  { level: 9 },
  { level: 6, strategy: constants.Z_FIXED }, // fixed Huffman codes
  { level: 6, strategy: constants.Z_HUFFMAN_ONLY },
  { level: 6, strategy: constants.Z_RLE },
];

Deno.test("inflateZlib gives back what zlib deflated, and says where the stream ended", () => {
  let cases = 0;
  for (const kind of ["text", "random", "runs"] as const) {
    for (const size of SIZES) {
      const data = sample(kind, size, size + kind.length);
      for (const options of OPTIONS) {
        const compressed = new Uint8Array(deflateSync(data, options));
        // What follows a pack entry: the next entry's bytes.
        const followed = new Uint8Array(compressed.length + 37).fill(0xa5);
        followed.set(compressed);
        const r = inflateZlib(followed);
        assertEquals(r.consumed, compressed.length, `${kind} ${size} ${JSON.stringify(options)}`);
        assert(r.data.length === data.length && r.data.every((b, i) => b === data[i]));
        cases++;
      }
    }
  }
  assertEquals(cases, 3 * SIZES.length * OPTIONS.length);
});

Deno.test("adler32 matches the checksum zlib writes", () => {
  for (const size of [0, 1, 5551, 5552, 5553, 100_000]) {
    const data = sample("random", size, 7).fill(0xff, 0, size >> 1); // large sums: modulo matters
    const compressed = new Uint8Array(deflateSync(data));
    const tail = new DataView(compressed.buffer, compressed.length - 4).getUint32(0);
    assertEquals(adler32(data), tail);
  }
});

Deno.test("inflateZlib refuses truncated streams at every length", () => {
  const compressed = new Uint8Array(deflateSync(sample("text", 3000, 3)));
  for (let len = 0; len < compressed.length; len++) {
    assertThrows(() => inflateZlib(compressed.subarray(0, len)), ZlibError, `${len}`);
  }
});

Deno.test("inflateZlib refuses damaged streams, or inflates them to the original bytes", () => {
  const data = sample("text", 5000, 11);
  const compressed = new Uint8Array(deflateSync(data));
  let refused = 0;
  for (let i = 0; i < compressed.length; i++) {
    for (const bit of [0x01, 0x10, 0x80]) {
      const damaged = compressed.slice();
      damaged[i] ^= bit;
      try {
        const r = inflateZlib(damaged);
        // Only the padding bits after the last block carry nothing.
        assert(r.data.every((b, j) => b === data[j]) && r.data.length === data.length, `${i}`);
      } catch (e) {
        assert(e instanceof ZlibError, String(e));
        refused++;
      }
    }
  }
  assert(refused >= compressed.length * 3 - 8, `${refused} of ${compressed.length * 3} refused`);
});

Deno.test("inflateZlib stops at its limit, and refuses what is not zlib", () => {
  const compressed = new Uint8Array(deflateSync(sample("runs", 100_000, 5)));
  assertEquals(inflateZlib(compressed, 100_000).data.length, 100_000);
  assertThrows(() => inflateZlib(compressed, 99_999), zlibError(/more than 99999/));
  assertThrows(() => inflateZlib(new Uint8Array([0x1f, 0x8b, 8, 0])), ZlibError); // gzip
  // 0x78 0xbb: a valid header with FDICT set (node:zlib here ignores its dictionary option).
  assertThrows(
    () => inflateZlib(new Uint8Array([0x78, 0xbb, 1, 2, 3, 4, 3, 0])),
    zlibError(/dictionary/),
  );
  assertThrows(() => inflateZlib(new Uint8Array([0x78, 0x9d, 3, 0])), zlibError(/header check/));
});
