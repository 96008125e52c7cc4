/** Log lines coalesced during a walk: whole lines, few writes, none held long or lost. */
import { assertEquals } from "../_assert.ts";
import { LineBatch, MAX_DELAY_MS } from "../../internal/log_lines.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const line = (n: number) => encoder.encode("x".repeat(n - 1) + "\n");

Deno.test("a batch writes whole lines, at most 4096 bytes at a time, in order", () => {
  const writes: string[] = [];
  const batch = new LineBatch((b) => writes.push(decoder.decode(b)));
  for (let i = 0; i < 40; i++) batch.add(line(100));
  assertEquals(writes.length, 0);
  batch.add(encoder.encode("fits\n"));
  assertEquals(writes.length, 0);
  batch.add(line(100)); // 4,105 bytes would not fit: the first 4,005 go
  assertEquals(writes.map((w) => w.length), [4005]);
  assertEquals(writes[0].endsWith("x\nfits\n"), true);
  batch.flush();
  assertEquals(writes.map((w) => w.length), [4005, 100]);
  batch.flush();
  assertEquals(writes.length, 2);
});

Deno.test("a batched line goes out within the delay, even when nothing follows it", async () => {
  const writes: string[] = [];
  const batch = new LineBatch((b) => writes.push(decoder.decode(b)));
  batch.add(encoder.encode("alone\n"));
  await new Promise((r) => setTimeout(r, MAX_DELAY_MS * 3));
  assertEquals(writes, ["alone\n"]);
  // A line added once the first has waited long enough sends both at once.
  batch.add(encoder.encode("a\n"));
  const until = performance.now() + MAX_DELAY_MS + 5;
  while (performance.now() < until) { /* a busy walk: no timer runs */ }
  batch.add(encoder.encode("b\n"));
  assertEquals(writes, ["alone\n", "a\nb\n"]);
});

async function runScript(code: string): Promise<{ code: number; stderr: string }> {
  const url = new URL("../../internal/log_lines.ts", import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", `import * as l from "${url}";\n${code}`],
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: decoder.decode(out.stderr) };
}

Deno.test("lines held when the program exits mid-walk still reach stderr", async () => {
  const r = await runScript(`
    const e = new TextEncoder();
    await l.coalesceLogLines(async () => {
      l.writeLogLine(e.encode("one\\n"));
      l.writeLogLine(e.encode("two\\n"));
      Deno.exit(3);
    });`);
  assertEquals(r, { code: 3, stderr: "one\ntwo\n" });
});

Deno.test("held lines come out before output written after a flush, and after the walk", async () => {
  // Without node's timers (setTimeout loads them at its first call: 12-19 ms).
  const r = await runScript(`
    globalThis.setTimeout = () => { throw new Error("setTimeout called"); };
    const e = new TextEncoder();
    await l.coalesceLogLines(async () => {
      l.writeLogLine(e.encode("held\\n"));
      Deno.stderr.writeSync(e.encode("direct\\n"));
      l.writeLogLine(e.encode("flushed\\n"));
      l.flushLogLines();
      Deno.stderr.writeSync(e.encode("after flush\\n"));
      l.writeLogLine(e.encode("at the end\\n"));
    });
    l.writeLogLine(e.encode("outside\\n"));`);
  assertEquals(r.stderr, "direct\nheld\nflushed\nafter flush\nat the end\noutside\n");
});
