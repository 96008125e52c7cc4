import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { FileView, STREAM_CHUNK } from "../../ops/file_view.ts";
import { seeded } from "../_random.ts";

Deno.test("FileView answers like the bytes in memory: ranges across blocks, bytes, searches", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-file-view-" });
  try {
    const rand = seeded(0xf11e);
    const size = 5 * STREAM_CHUNK + 12345;
    const bytes = new Uint8Array(size).map(() => rand(200));
    const needle = new TextEncoder().encode("dadfedabbadabbed");
    // Needles cut by every chunk boundary, and one at the very end.
    for (let k = 1; k <= 5; k++) bytes.set(needle, k * STREAM_CHUNK - k * 3);
    // And by the 64 KiB reads of a search's first MiBs.
    for (const k of [1, 2, 3, 17, 63]) bytes.set(needle, k * 64 * 1024 - (k % 15) - 1);
    bytes.set(needle, size - needle.length);
    const path = join(dir, "artifact");
    await Deno.writeFile(path, bytes);
    const file = await Deno.open(path);
    try {
      const view = new FileView(file, size, path);
      const mem = wholeView(bytes);
      for (let i = 0; i < 3000; i++) {
        const offset = rand(size);
        const length = rand(4) === 0
          ? rand(Math.min(size - offset, 600_000))
          : rand(Math.min(size - offset, 200));
        assertEquals(
          view.bytes(offset, length),
          mem.bytes(offset, length),
          `bytes ${offset}+${length}`,
        );
        assertEquals(view.byteAt(offset), bytes[offset]);
      }
      let from = 0;
      for (;;) {
        const at = view.indexOf(needle, from);
        assertEquals(at, mem.indexOf(needle, from), `search from ${from}`);
        if (at < 0) break;
        from = at + 1;
      }
      assertEquals(view.indexOf(needle, 0), mem.indexOf(needle, 0), "asked again");
    } finally {
      file.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
