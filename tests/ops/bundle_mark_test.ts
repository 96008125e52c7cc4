import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { findMarkInBytes } from "../../codecs/find_mark.ts";
import { writeMarkJson } from "../../codecs/mark_json.ts";
import { MAGIC, type MarkDict } from "../../codecs/mark_value.ts";
import { MARK_LINE_START, PROGRAM_END } from "../../internal/bundle_layout.ts";
import { markFromTail, readBundleMark, readBundleMarkSync } from "../../ops/bundle_mark.ts";
import { selfMark } from "../../ops/self_mark.ts";
import { privateChalk, run, sandbox } from "../e2e/_chalk.ts";

const encoder = new TextEncoder();

function markLine(config: string): string {
  const mark: MarkDict = new Map([["MAGIC", MAGIC], ["$CHALK_CONFIG", config]]);
  const line = `// ${writeMarkJson(mark)}`;
  assert(line.startsWith(MARK_LINE_START));
  return line;
}

/** The whole-file search every script gets: what the end of a bundle must agree with. */
function searched(text: string): string | undefined {
  const found = findMarkInBytes(encoder.encode(text));
  return found ? writeMarkJson(found.mark) : undefined;
}

async function fromEnd(dir: string, text: string): Promise<string | undefined | "unsure"> {
  const path = join(dir, "bundle");
  await Deno.writeTextFile(path, text);
  const sync = readBundleMarkSync(path);
  const async = await readBundleMark(path);
  assertEquals(async === undefined, sync === undefined);
  if (!sync) return "unsure";
  assertEquals(
    async && (async.mark ? writeMarkJson(async.mark) : undefined),
    sync.mark && writeMarkJson(sync.mark),
  );
  return sync.mark ? writeMarkJson(sync.mark) : undefined;
}

Deno.test("a bundle's mark read from its end is the one a search of the whole file finds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const program = '#!/bin/sh\n":" /* prologue */\nconsole.log(1);\n'.repeat(3000);
    const bare = `${program}${PROGRAM_END}\n`;
    assertEquals(await fromEnd(dir, bare), undefined);
    assertEquals(searched(bare), undefined);
    // Small and large embedded configurations (the end is read again, larger, for the latter).
    for (const config of ['log_level: "error"\n', "# x\n".repeat(100_000)]) {
      const marked = `${bare}${markLine(config)}\n`;
      const read = await fromEnd(dir, marked);
      assert(read !== undefined && read !== "unsure");
      assertEquals(read, searched(marked));
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a bundle that does not end as the build left it gets no answer from its end", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const line = markLine("x := 1\n");
    // Not after the program's end line; something after the mark; no end line at all.
    for (const text of [`a()\n${line}\n`, `${PROGRAM_END}\n${line}\nb()\n`, "a()\n", ""]) {
      assertEquals(await fromEnd(dir, text), "unsure", JSON.stringify(text.slice(-40)));
    }
    // A mark line that is not one mark exactly.
    assertEquals(await fromEnd(dir, `${PROGRAM_END}\n${line} trailing\n`), "unsure");
    assertEquals(readBundleMarkSync(join(dir, "missing")), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("markFromTail asks for more when a line it needs begins before the bytes given", () => {
  const line = markLine("y := 2\n");
  const text = encoder.encode(`${PROGRAM_END}\n${line}\n`);
  assertEquals(markFromTail(text.subarray(10), false), "more");
  assertEquals(markFromTail(text.subarray(PROGRAM_END.length + 1), false), "more");
  const whole = markFromTail(text, true);
  assert(whole !== "more" && whole?.mark?.get("$CHALK_CONFIG") === "y := 2\n");
});

Deno.test("the built bundle ends as the build says, and chalk load's mark is read from its end", async () => {
  const sb = await sandbox();
  try {
    const copy = await privateChalk(sb.work);
    const self = { path: copy, kind: "bundle" as const };
    assertEquals(readBundleMarkSync(copy), { mark: undefined });
    await Deno.writeTextFile(join(sb.work, "c.c4m"), 'log_level: "error"\n');
    const load = await run(copy, ["load", join(sb.work, "c.c4m")], { cwd: sb.work, env: sb.env });
    assertEquals(load.code, 0, load.stderr);
    const atEnd = readBundleMarkSync(copy);
    assert(atEnd?.mark, "the loaded configuration's mark is at the end");
    assertEquals(writeMarkJson(atEnd.mark), searched(await Deno.readTextFile(copy)));
    assertEquals(selfMark(self)?.get("$CHALK_CONFIG"), 'log_level: "error"\n');
  } finally {
    await sb.cleanup();
  }
});
