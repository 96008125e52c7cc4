import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { ReportHub } from "../../sinks/hub.ts";
import { keptTail } from "../../sinks/rotating_log.ts";
import { RecordingLog, sinkConfig, tempDir } from "./_support.ts";

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

Deno.test("keptTail drops at least cut bytes and keeps whole lines", () => {
  const content = new TextEncoder().encode("aa\nbb\ncc\n");
  assertStrictEquals(text(keptTail(content, 3)), "bb\ncc\n");
  assertStrictEquals(text(keptTail(content, 4)), "cc\n");
  assertStrictEquals(text(keptTail(content, 0)), "aa\nbb\ncc\n");
  assertStrictEquals(text(keptTail(content, 9)), "");
});

Deno.test("rotating_log sink stays under max and keeps only whole, newest lines", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/logs/audit.log`;
  const log = new RecordingLog();
  const hub = new ReportHub(
    [sinkConfig("audit", "rotating_log", { filename: path, max: "4kb" })],
    log,
  );
  hub.subscribe("audit", "audit");
  const sizes: number[] = [];
  for (let i = 0; i < 300; i++) {
    // Lines of varying length, without trailing newline: the sink adds it.
    await hub.publish("audit", `line ${i} ${"z".repeat(i % 37)}`);
    sizes.push((await Deno.stat(path)).size);
  }
  await hub.close();
  assert(Math.max(...sizes) <= 4096, `largest ${Math.max(...sizes)}`);
  const content = await Deno.readTextFile(path);
  assert(content.endsWith("\n"));
  const lines = content.slice(0, -1).split("\n");
  // Every kept line is whole, and they are the newest ones, in order.
  const first = Number(lines[0].split(" ")[1]);
  assertEquals(
    lines,
    [...Array(300 - first).keys()].map((k) => {
      const i = first + k;
      return `line ${i} ${"z".repeat(i % 37)}`;
    }),
  );
  assert(first > 0);
  assert(log.count("info", `${path}: Truncate (sink conf='audit')`) > 0);
  // The default truncation amount is 25% of max: the file never drops to less than max - 1024 - one line.
  const afterTruncate = sizes.filter((s, i) => i > 0 && s < sizes[i - 1]);
  assert(afterTruncate.every((s) => s >= 4096 - 1024 - 60), JSON.stringify(afterTruncate));
  const leftovers = [...Deno.readDirSync(`${dir.path}/logs`)].map((e) => e.name);
  assertEquals(leftovers, ["audit.log"]);
});

Deno.test("rotating_log sink honours truncation_amount", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/r.log`;
  const hub = new ReportHub(
    [sinkConfig("r", "rotating_log", { filename: path, max: 2048n, truncation_amount: 1024n })],
    new RecordingLog(),
  );
  hub.subscribe("t", "r");
  const line = "x".repeat(99); // 100 bytes with the newline
  for (let i = 0; i < 21; i++) await hub.publish("t", line);
  await hub.close();
  // 2100 bytes > 2048: at least 1024 dropped at a line boundary leaves 1000 bytes.
  assertStrictEquals((await Deno.stat(path)).size, 1000);
});

Deno.test("rotating_log sink rejects a max below 1024 bytes", async () => {
  const hub = new ReportHub(
    [sinkConfig("r", "rotating_log", { filename: "/tmp/never", max: 512n })],
    new RecordingLog(),
  );
  hub.subscribe("t", "r");
  const outcome = await hub.publish("t", "x");
  assertStrictEquals(
    outcome.failed[0].reason,
    "sink config 'r': 'max' must be at least 1024 bytes",
  );
});
