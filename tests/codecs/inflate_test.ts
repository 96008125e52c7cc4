import { assert, assertEquals, assertThrows } from "../_assert.ts";
import { createHash } from "node:crypto";
import { crc32, deflateRawSync } from "node:zlib";
import { CodecError } from "../../codecs/codec.ts";
import { type InflatedRange, inflateRange, loadStreamingInflater } from "../../codecs/inflate.ts";

/** `member` deflated inside a larger buffer, and the range that stands for it. */
function archived(member: Uint8Array, name: string): { archive: Uint8Array; range: InflatedRange } {
  const deflated = deflateRawSync(member);
  const archive = new Uint8Array(deflated.length + 10);
  archive.set(deflated, 5);
  const range: InflatedRange = {
    from: 5,
    to: 5 + deflated.length,
    inflate: { size: member.length, crc32: crc32(member), member: name, codec: "zip" },
  };
  return { archive, range };
}

/** SHA-256 of what `range` inflates to, and the largest piece handed over. */
function inflated(range: InflatedRange, archive: Uint8Array, step = 1 << 20) {
  const h = createHash("sha256");
  let largest = 0;
  inflateRange(
    range,
    (offset, max) => archive.subarray(offset, offset + Math.min(max, step)),
    (b) => {
      h.update(b);
      largest = Math.max(largest, b.length);
    },
  );
  return { hash: h.digest("hex"), largest };
}

Deno.test("members above the one-call limits: one call until fflate loads, then bounded pieces", async () => {
  // 20 MiB of varied bytes, and 64 MiB of zeros (deflate's best ratio: ~64 KB compressed).
  const varied = new Uint8Array(20 << 20).map((_, i) => (i * 7 + (i >> 13)) & 0xff);
  const zeros = new Uint8Array(64 << 20);
  const cases = [archived(varied, "varied.bin"), archived(zeros, "zeros.bin")];
  const expected = [varied, zeros].map((m) => createHash("sha256").update(m).digest("hex"));
  // Nothing in this test process has loaded fflate yet: one call, one piece.
  cases.forEach(({ range, archive }, i) => {
    assertEquals(inflated(range, archive), {
      hash: expected[i],
      largest: [varied, zeros][i].length,
    });
  });
  await loadStreamingInflater();
  cases.forEach(({ range, archive }, i) => {
    for (const step of [1 << 20, 4096]) {
      const got = inflated(range, archive, step);
      assertEquals(got.hash, expected[i]);
      assert(
        got.largest <= 17 << 20,
        `a piece of ${got.largest} bytes from ${range.inflate.member}`,
      );
    }
  });
});

Deno.test("the streaming inflater checks size and CRC-32 as the one call does", async () => {
  await loadStreamingInflater();
  const member = new Uint8Array(20 << 20).map((_, i) => (i * 13) & 0xff);
  const { archive, range } = archived(member, "big.bin");
  const lying = { ...range, inflate: { ...range.inflate, crc32: range.inflate.crc32 ^ 1 } };
  assertThrows(() => inflated(lying, archive), CodecError, "CRC-32 does not match");
  const shorter = { ...range, inflate: { ...range.inflate, size: member.length - 1 } };
  assertThrows(() => inflated(shorter, archive), CodecError, "more than its declared");
  const longer = { ...range, inflate: { ...range.inflate, size: member.length + 1 } };
  assertThrows(() => inflated(longer, archive), CodecError, "not its declared");
  const damaged = archive.slice();
  damaged.fill(0xff, 5 + 1000, 5 + 1100);
  assertThrows(() => inflated(range, damaged), CodecError, "member big.bin");
});
