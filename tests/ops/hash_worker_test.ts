import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { ContentPlan } from "../../codecs/plan.ts";
import { hashInWorker } from "../../ops/hash_worker.ts";

Deno.test("hashInWorker digests plans like SHA-256 of their bytes, and declines a changed file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-hash-worker-" });
  try {
    const bytes = new Uint8Array(3 << 20).map((_, i) => (i * 13) & 0xff);
    const path = join(dir, "artifact");
    await Deno.writeFile(path, bytes);
    const info = await Deno.stat(path);
    const plans: Record<string, ContentPlan> = {
      whole: [{ from: 0, to: bytes.length }],
      patched: [{ from: 0, to: 40 }, new Uint8Array([1, 2, 3]), { from: 43, to: 2_500_000 }],
      empty: [],
    };
    const sha = (...parts: Uint8Array[]) => {
      const h = createHash("sha256");
      for (const p of parts) h.update(p);
      return h.digest("hex");
    };
    assertEquals(await hashInWorker({ path, info }, plans), {
      whole: sha(bytes),
      patched: sha(bytes.subarray(0, 40), new Uint8Array([1, 2, 3]), bytes.subarray(43, 2_500_000)),
      empty: sha(),
    });
    await Deno.writeFile(path, bytes.subarray(0, 100));
    assertEquals(await hashInWorker({ path, info }, plans), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
