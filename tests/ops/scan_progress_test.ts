/**
 * The progress line and the closing summary line: drawn in place on stderr, never mixed
 * with log lines, gone at the end; absent when stderr is not a terminal; the summary counts.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { summaryLine } from "../../ops/scan_progress.ts";
import { sandbox } from "../e2e/_chalk.ts";

const CLEAR = "\r\x1b[K";

Deno.test("ScanProgress draws in place, clears itself around log lines and at the end", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_progress_child.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  const stdout = new TextDecoder().decode(out.stdout);
  assertEquals(JSON.parse(stdout), { done: 1, unchanged: 0, skipped: 1, failed: 0 });
  // drawn, cleared for the log line, drawn again, updated, cleared for good
  assert(stderr.startsWith(`${CLEAR}insert: 1 files, 1 chalked (`), JSON.stringify(stderr));
  assert(
    stderr.includes(`${CLEAR}info:  a log line\n${CLEAR}insert: 1 files`),
    JSON.stringify(stderr),
  );
  assert(stderr.includes(`${CLEAR}insert: 2 files, 1 chalked`), JSON.stringify(stderr));
  assert(stderr.endsWith(CLEAR), JSON.stringify(stderr));
  assert(!stdout.includes("\r"));
});

Deno.test("on a terminal the line is drawn; on TERM=dumb it is not (no ESC[K shown as text)", async () => {
  const child = new URL("./_progress_default_child.ts", import.meta.url).pathname;
  const under = async (term: string) => {
    // `script` gives the child a real terminal on stdin, stdout and stderr.
    const out = await new Deno.Command("script", {
      args: ["-qec", `'${Deno.execPath()}' run -A '${child}'`, "/dev/null"],
      env: { TERM: term, NO_COLOR: "1" },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assertEquals(out.code, 0, text);
    assert(text.includes("done"), text);
    return text;
  };
  assert((await under("xterm")).includes(`${CLEAR}insert: 1 files, 1 chalked`));
  const dumb = await under("dumb");
  assert(!dumb.includes("\x1b[K") && !dumb.includes("insert: 1 files"), JSON.stringify(dumb));
});

Deno.test("summaryLine names what was done, unchanged, skipped, and failures only when any", () => {
  assertEquals(
    summaryLine("insert", { done: 3, unchanged: 1, skipped: 12, failed: 0 }, 420),
    "insert: 3 chalked, 1 unchanged, 12 skipped in 0.42 s",
  );
  assertEquals(
    summaryLine("delete", { done: 0, unchanged: 2, skipped: 0, failed: 1 }, 1500),
    "delete: 0 deleted, 2 unchanged, 0 skipped, 1 failed in 1.50 s",
  );
});

Deno.test("chalk insert/extract end with one summary line; no progress line when stderr is no terminal", async () => {
  const box = await sandbox();
  try {
    await Deno.copyFile("/bin/true", join(box.work, "app"));
    await Deno.writeTextFile(join(box.work, "notes.txt"), "not an artifact\n");
    await Deno.writeTextFile(join(box.work, "run.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const ins = await box.chalk(["insert"]);
    assertEquals(ins.code, 0, ins.stderr);
    const last = ins.stderr.trimEnd().split("\n").at(-1)!;
    assertMatch(last, /^info: {2}insert: 2 chalked, 0 unchanged, 1 skipped in \d+\.\d\d s$/);
    assert(!ins.stderr.includes("\r"));
    JSON.parse(ins.stdout);
    await Deno.writeTextFile(join(box.work, "other.sh"), "#!/bin/sh\necho 2\n", { mode: 0o755 });
    const ext = await box.chalk(["extract", "app", "run.sh", "other.sh"]);
    assertMatch(ext.stderr, /info: {2}extract: 2 extracted, 1 unchanged, 0 skipped in /);
  } finally {
    await box.cleanup();
  }
});
