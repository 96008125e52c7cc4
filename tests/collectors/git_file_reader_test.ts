/**
 * Positional reads of a large pack file (collectors/git_file_reader.ts): reads issued together
 * on one handle each get their own bytes (every read is a seek then reads, one at a time).
 */
import { join } from "node:path";
import { assertEquals, assertRejects } from "../_assert.ts";
import { RandomAccessFile } from "../../collectors/git_file_reader.ts";

Deno.test("concurrent positional reads of a file too large to load whole get their own bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-raf-" });
  try {
    const path = join(dir, "big.pack");
    const bytes = new Uint8Array(6 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 12)) & 0xff;
    await Deno.writeFile(path, bytes);
    const file = await RandomAccessFile.open(path);
    try {
      const spots = Array.from({ length: 64 }, (_, i) => (i * 98_304 + i * 7) % bytes.length);
      const reads = await Promise.all(spots.map((p) => file.read(p, 4096)));
      for (const [i, p] of spots.entries()) {
        assertEquals(reads[i], bytes.subarray(p, Math.min(p + 4096, bytes.length)), `at ${p}`);
      }
      // The end of the file gives fewer bytes; outside it is an error.
      assertEquals((await file.read(bytes.length - 10, 100)).length, 10);
      await assertRejects(() => file.read(bytes.length + 1, 1));
    } finally {
      await file.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
