import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { type ContentPlan, MARK_SLOT, type Piece, renderPlan } from "../../codecs/plan.ts";
import { openArtifact, Replacement, replaceWithPlan } from "../../ops/file_io.ts";
import { concat } from "../codecs/_in_memory.ts";
import { seeded } from "../_random.ts";

/**
 * Writes `plan` over the file `path` into `target` as insert does (a kernel copy started in the
 * background while the plan is prepared), or without that copy; returns the bytes.
 */
async function written(
  path: string,
  plan: ContentPlan,
  mark: Uint8Array,
  target: string,
  background = true,
) {
  const source = openArtifact(path);
  try {
    if (background) {
      await replaceWithPlan(target, source, () => Promise.resolve({ plan, values: { mark } }));
    } else {
      const replacement = await Replacement.begin(target).writePlan(plan, { mark }, source);
      replacement.keep(source).commit();
    }
  } finally {
    source.close();
  }
  return await Deno.readFile(target);
}

Deno.test("writePlan writes what the plan renders to: kernel-copied prefixes, shifted ranges, new bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-plan-writer-" });
  try {
    const rand = seeded(0x1234);
    const size = 3 << 20;
    const bytes = new Uint8Array(size).map((_, i) => (i * 7 + (i >> 12)) & 0xff);
    const path = join(dir, "artifact");
    await Deno.writeFile(path, bytes);
    for (let round = 0; round < 40; round++) {
      const plan: Piece[] = [];
      // An unchanged prefix (large in half the rounds: the kernel copy), with patches inside.
      const keep = rand(2) ? (1 << 20) + rand(size - (1 << 20)) : rand(300_000);
      let at = 0;
      while (at < keep) {
        const to = Math.min(keep, at + 1 + rand(keep));
        plan.push({ from: at, to });
        at = to;
        if (rand(3) === 0 && at < keep) {
          const n = Math.min(keep - at, 1 + rand(8));
          plan.push(new Uint8Array(n).fill(rand(256)));
          at += n;
        }
      }
      plan.push(MARK_SLOT);
      for (let i = rand(4); i > 0; i--) {
        const from = rand(size);
        plan.push(rand(2) ? { from, to: from + rand(size - from) } : new Uint8Array(rand(100)));
      }
      const mark = new Uint8Array(1 + rand(300)).fill(0x2a);
      const out = await written(path, plan, mark, join(dir, `out${round}`), round % 2 === 0);
      const want = concat(renderPlan(plan, wholeView(bytes), { mark }));
      assertEquals(out.length, want.length, `round ${round}: length`);
      assert(out.every((b, i) => b === want[i]), `round ${round}: content`);
      await Deno.remove(join(dir, `out${round}`));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writePlan keeps a sparse artifact sparse", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-plan-writer-" });
  try {
    const path = join(dir, "holey");
    const file = await Deno.open(path, { write: true, create: true });
    await file.write(new Uint8Array(4096).fill(1));
    await file.seek(64 << 20, Deno.SeekMode.Start);
    await file.write(new Uint8Array(5000).fill(2));
    file.close();
    const bytes = await Deno.readFile(path);
    const plan: ContentPlan = [{ from: 0, to: bytes.length }, MARK_SLOT];
    const mark = new TextEncoder().encode("# the mark");
    const out = await written(path, plan, mark, path);
    assertEquals(out, concat(renderPlan(plan, wholeView(bytes), { mark })));
    const st = await Deno.stat(path);
    assert(st.blocks! * 512 < 1 << 20, `${st.blocks! * 512} bytes on disk`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
