import { assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { createHash } from "node:crypto";
import { crc32, deflateRawSync } from "node:zlib";
import { CodecError } from "../../codecs/codec.ts";
import { wholeView } from "../../codecs/byte_view.ts";
import {
  type ContentPlan,
  HASH_SLOT,
  MARK_SLOT,
  type Piece,
  renderPlan,
  type SlotValues,
} from "../../codecs/plan.ts";
import { HashPass, ONE_SHOT_FROM, ONE_SHOT_UNTIL } from "../../ops/hash_pass.ts";
import { concat } from "../codecs/_in_memory.ts";
import { seeded } from "../_random.ts";

/** Reads `bytes` at most `size` bytes at a time, counting the bytes read. */
function source(bytes: Uint8Array, size: number) {
  const stats = { read: 0 };
  return {
    stats,
    chunk(offset: number, max = size) {
      const out = bytes.subarray(offset, offset + Math.min(max, size));
      stats.read += out.length;
      return out;
    },
  };
}

function expected(plan: ContentPlan, bytes: Uint8Array, values: SlotValues = {}): string {
  return createHash("sha256").update(concat(renderPlan(plan, wholeView(bytes), values)))
    .digest("hex");
}

function randomPlan(rand: (n: number) => number, size: number, slots: boolean): Piece[] {
  const plan: Piece[] = [];
  for (let i = rand(6); i >= 0; i--) {
    const k = rand(slots ? 4 : 3);
    if (k === 0) plan.push(new Uint8Array(rand(20)).fill(rand(256)));
    else if (k === 3) plan.push(rand(2) ? MARK_SLOT : HASH_SLOT);
    else {
      const from = rand(size);
      plan.push({ from, to: from + rand(size - from + 1) });
    }
  }
  return plan;
}

Deno.test("HashPass digests each plan like SHA-256 of its rendered bytes, any chunk size", () => {
  const rand = seeded(0xc0ffee);
  const bytes = new Uint8Array(5000).map((_, i) => (i * 31 + 7) & 0xff);
  for (let round = 0; round < 200; round++) {
    const plans = [0, 1, 2, 3].map(() => randomPlan(rand, bytes.length, false));
    // Plans that start alike: a shared prefix, then different tails.
    plans.push([...plans[0], new Uint8Array([1, 2, 3])], [...plans[0], { from: 10, to: 20 }]);
    const src = source(bytes, 1 + rand(700));
    const pass = new HashPass(src);
    plans.forEach((p, i) => pass.add(`p${i}`, p));
    pass.run();
    plans.forEach((p, i) => assertEquals(pass.hex(`p${i}`), expected(p, bytes), `round ${round}`));
  }
});

Deno.test("HashPass.runParallel gives run's digests, hashes side by side on large plans", async () => {
  const rand = seeded(0xfeed);
  // Past ONE_SHOT_UNTIL the plans stream: libcrypto's hashes (on threads) or node:crypto's (in turn).
  const bytes = new Uint8Array(ONE_SHOT_UNTIL + (1 << 20)).map((_, i) =>
    (i * 131 + (i >> 12)) & 0xff
  );
  for (let round = 0; round < 12; round++) {
    const plans = [0, 1, 2].map(() => randomPlan(rand, bytes.length, false));
    plans.push([{ from: 0, to: bytes.length }], [new Uint8Array([9]), {
      from: 0,
      to: bytes.length,
    }]);
    const size = 1 + rand(2 << 20);
    const parallel = new HashPass(source(bytes, size));
    const serial = new HashPass(source(bytes, size));
    plans.forEach((p, i) => (parallel.add(`p${i}`, p), serial.add(`p${i}`, p)));
    await parallel.runParallel();
    serial.run();
    plans.forEach((p, i) => {
      assertEquals(parallel.hex(`p${i}`), serial.hex(`p${i}`), `round ${round}`);
      assertEquals(parallel.hex(`p${i}`), expected(p, bytes), `round ${round}`);
    });
  }
});

Deno.test("HashPass.runParallel hashes a small artifact's plans whole, each once its slots are filled", async () => {
  const rand = seeded(0x5eed);
  // Random plans hold up to 7 ranges of up to `size` bytes each: all stay under ONE_SHOT_UNTIL.
  for (const size of [ONE_SHOT_FROM, 50_000, 120_000]) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 9)) & 0xff);
    for (let round = 0; round < 8; round++) {
      const plan = [...randomPlan(rand, size, true), MARK_SLOT];
      const other = randomPlan(rand, size, false);
      const values = { mark: new Uint8Array(rand(300)).fill(5), hash: new Uint8Array(32).fill(1) };
      const src = source(bytes, 1 + rand(size));
      const pass = new HashPass(src).add("whole", [{ from: 0, to: size }]).add("plan", plan)
        .add("other", other);
      await pass.runParallel();
      // Whole, not streamed: a range two plans share is read once for each.
      assertEquals(src.stats.read >= size + planLengthOfRanges(other), true, `round ${round}`);
      assertEquals(pass.hex("whole"), expected([{ from: 0, to: size }], bytes));
      assertEquals(pass.hex("other"), expected(other, bytes), `round ${round}`);
      assertThrows(() => pass.digest("plan"));
      pass.fill(values);
      // The rest goes on by either road: WebCrypto's, or the TypeScript hash's.
      await (round % 2 ? pass.runParallel() : Promise.resolve(pass.run()));
      assertEquals(pass.hex("plan"), expected(plan, bytes, values), `size ${size} round ${round}`);
    }
  }
});

Deno.test("HashPass hashes a small plan's inflated member whole and checks it as the stream does", async () => {
  const member = new Uint8Array(200_000).map((_, i) => (i * i) & 0xff);
  const deflated = deflateRawSync(member);
  const archive = concat([new Uint8Array(100).fill(1), deflated, new Uint8Array(50).fill(2)]);
  const inflate = { size: member.length, crc32: crc32(member), member: "m.bin", codec: "zip" };
  const range = { from: 100, to: 100 + deflated.length, inflate };
  const plan = [{ from: 0, to: 100 }, range, new Uint8Array([3])];
  const want = createHash("sha256")
    .update(concat([archive.subarray(0, 100), member, new Uint8Array([3])])).digest("hex");
  const whole = await new HashPass(source(archive, 4096)).add("p", plan).runParallel();
  assertEquals(whole.hex("p"), want);
  assertEquals(new HashPass(source(archive, 4096)).add("p", plan).run().hex("p"), want);
  const lying = [{ ...range, inflate: { ...inflate, crc32: inflate.crc32 ^ 1 } }];
  await assertRejects(
    () => new HashPass(source(archive, 4096)).add("p", lying).runParallel(),
    CodecError,
    "CRC-32",
  );
});

Deno.test("HashPass streams from ONE_SHOT_UNTIL on, and hashes whole just below it", async () => {
  for (const size of [ONE_SHOT_UNTIL - 64, ONE_SHOT_UNTIL]) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 13) & 0xff);
    const plans: ContentPlan[] = [[{ from: 0, to: size }], [{ from: 0, to: size >> 1 }, MARK_SLOT]];
    const src = source(bytes, 64 * 1024);
    const pass = new HashPass(src).add("a", plans[0]).add("b", plans[1]);
    await pass.fill({ mark: new Uint8Array([1, 2]) }).runParallel();
    // Whole: each plan reads its own bytes; streamed: the half both share is read once.
    assertEquals(src.stats.read, size < ONE_SHOT_UNTIL ? size + (size >> 1) : size);
    assertEquals(pass.hex("a"), expected(plans[0], bytes));
    assertEquals(pass.hex("b"), expected(plans[1], bytes, { mark: new Uint8Array([1, 2]) }));
  }
});

/** Bytes of the source ranges in a plan. */
function planLengthOfRanges(plan: ContentPlan): number {
  return plan.reduce((n, p) => n + ("from" in p ? p.to - p.from : 0), 0);
}

Deno.test("HashPass reads ranges shared by several plans once", () => {
  const bytes = new Uint8Array(1 << 20).fill(9);
  const whole = [{ from: 0, to: bytes.length }];
  const src = source(bytes, 4096);
  const pass = new HashPass(src)
    .add("a", whole)
    .add("b", [new Uint8Array([1]), ...whole])
    .add("c", [...whole, new Uint8Array([2])])
    .run();
  assertEquals(src.stats.read, bytes.length);
  assertEquals(pass.hex("c"), expected([...whole, new Uint8Array([2])], bytes));
});

Deno.test("HashPass stops at an empty slot and goes on once it is filled", () => {
  const rand = seeded(0xbeef);
  const bytes = new Uint8Array(3000).map((_, i) => i & 0xff);
  for (let round = 0; round < 100; round++) {
    const plan = randomPlan(rand, bytes.length, true);
    const other = randomPlan(rand, bytes.length, false);
    const values = { mark: new Uint8Array(rand(50)).fill(7), hash: new Uint8Array(32).fill(3) };
    const pass = new HashPass(source(bytes, 1 + rand(500))).add("plan", plan).add("other", other)
      .run();
    assertEquals(pass.hex("other"), expected(other, bytes));
    if (plan.some((p) => "slot" in p)) assertThrows(() => pass.digest("plan"));
    pass.fill(values).run();
    assertEquals(pass.hex("plan"), expected(plan, bytes, values), `round ${round}`);
  }
});

Deno.test("HashPass hashes an empty plan and refuses ranges past the end", () => {
  const bytes = new Uint8Array(10);
  const pass = new HashPass(source(bytes, 4)).add("empty", []).run();
  assertEquals(pass.hex("empty"), createHash("sha256").digest("hex"));
  assertThrows(() => new HashPass(source(bytes, 4)).add("bad", [{ from: 5, to: 20 }]).run());
});

Deno.test("HashPass takes no plan once a run began, on either road", async () => {
  const bytes = new Uint8Array(20_000);
  const streamed = new HashPass(source(bytes, 4096)).add("a", [{ from: 0, to: 10 }]).run();
  assertThrows(() => streamed.add("b", [{ from: 0, to: 10 }]), Error, "before run()");
  const whole = await new HashPass(source(bytes, 4096)).add("a", [{ from: 0, to: bytes.length }])
    .runParallel();
  assertThrows(() => whole.add("b", [{ from: 0, to: 10 }]), Error, "before run()");
});
