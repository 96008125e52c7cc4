import { assertEquals, assertThrows } from "../_assert.ts";
import { createHash } from "node:crypto";
import { wholeView } from "../../codecs/byte_view.ts";
import {
  type ContentPlan,
  HASH_SLOT,
  MARK_SLOT,
  type Piece,
  renderPlan,
  type SlotValues,
} from "../../codecs/plan.ts";
import { HashPass } from "../../ops/hash_pass.ts";
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
  // Above JS_SHA256_LIMIT: the hashes are libcrypto's (on threads) or node:crypto's (in turn).
  const bytes = new Uint8Array(3 << 20).map((_, i) => (i * 131 + (i >> 12)) & 0xff);
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
