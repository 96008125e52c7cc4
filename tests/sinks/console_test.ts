/** The console sinks write whole lines, at most PIPE_BUF bytes per write where lines allow. */
import { assertEquals } from "../_assert.ts";
import { lineChunks } from "../../sinks/console.ts";

const sizes = (text: string) => lineChunks(text).map((c) => c.length);

Deno.test("lineChunks cuts a report into runs of whole lines of at most 4096 bytes", () => {
  assertEquals(sizes("a\nb\n"), [4]);
  // 100 lines of 100 bytes: 40 lines (4000 bytes) per write.
  assertEquals(sizes(("y".repeat(99) + "\n").repeat(100)), [4000, 4000, 2000]);
  const text = ("z".repeat(9) + "\n").repeat(1000);
  const chunks = lineChunks(text);
  const decoder = new TextDecoder();
  for (const c of chunks) assertEquals(decoder.decode(c).endsWith("\n"), true);
  assertEquals(chunks.map((c) => decoder.decode(c)).join(""), text);
});

Deno.test("lineChunks writes a line longer than 4096 bytes alone, never cut", () => {
  assertEquals(sizes("x".repeat(5000) + "\nshort\n"), [5001, 6]);
  assertEquals(sizes("short\n" + "x".repeat(5000) + "\nz\n"), [6, 5001, 2]);
  // Multi-byte characters count as bytes.
  assertEquals(sizes("é".repeat(3000) + "\n"), [6001]);
});

Deno.test("lineChunks gives a last part without a newline its own chunk", () => {
  assertEquals(sizes("a\nb"), [2, 1]);
  assertEquals(sizes("tail"), [4]);
  assertEquals(sizes(("q".repeat(4095) + "\n") + "r\n"), [4096, 2]);
  assertEquals(sizes(""), []);
});
