/**
 * An unknown template named by a flag is a usage error before anything is touched
 * (docs/decisions.md, "Exit codes"): before, `insert --report-template nosuch` marked the files,
 * then failed while building the report (exit 1), and the report was lost.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, sandbox } from "./_chalk.ts";

const SCRIPT = "#!/bin/sh\necho a\n";

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("an unknown --report-template or --mark-template exits 2 before any file changes", async () => {
  const sb = await sandbox();
  try {
    const script = join(sb.work, "a.sh");
    await Deno.writeTextFile(script, SCRIPT, { mode: 0o755 });
    const log = join(sb.home, ".local", "chalk", "chalk.log");
    const cases: [string[], RegExp][] = [
      [
        ["insert", "--report-template", "nosuch", "a.sh"],
        /^error: --report-template nosuch: no report template named 'nosuch'$/,
      ],
      [
        ["insert", "--mark-template", "mark_defualt", "a.sh"],
        /^error: --mark-template mark_defualt: no mark template named 'mark_defualt' \(did you mean mark_default\?\)$/,
      ],
      // A mark template is no report template (as in a configuration's outconf).
      [["extract", "--report-template", "mark_default", "a.sh"], /no report template named/],
      [["env", "--report-template", "nosuch"], /no report template named 'nosuch'/],
      [["exec", "--report-template", "nosuch", "--", "touch", "ran"], /no report template/],
    ];
    for (const [args, line] of cases) {
      const r = await sb.chalk(args);
      assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assertEquals(errorLines(r.stderr).length, 1, r.stderr);
      assertMatch(r.stderr.trim().split("\n").at(-1)!, line);
      assertEquals(r.stdout, "", args.join(" "));
      assertEquals(await Deno.readTextFile(script), SCRIPT, `${args.join(" ")}: a.sh untouched`);
    }
    assert(!await exists(join(sb.work, "ran")), "exec ran its workload");
    assert(!await exists(log), "no report was written");

    // delete: the mark stays when the report could not be made.
    assertEquals((await sb.chalk(["insert", "a.sh"])).code, 0);
    const marked = await Deno.readTextFile(script);
    assert(marked.includes("MAGIC"));
    const del = await sb.chalk(["delete", "--report-template", "report_defualt", "a.sh"]);
    assertEquals(del.code, 2, del.stderr);
    assertMatch(del.stderr, /did you mean report_default\?/);
    assertEquals(await Deno.readTextFile(script), marked, "the mark is still there");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("--report-template may name a template of a --config-file", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(
      join(sb.work, "mine.c4m"),
      "report_template mine {\n  key._OPERATION.use = true\n}\n",
    );
    const r = await sb.chalk(["--config-file", "mine.c4m", "env", "--report-template", "mine"]);
    assertEquals(r.code, 0, r.stderr);
    const reported = JSON.parse(
      (await Deno.readTextFile(join(sb.home, ".local", "chalk", "chalk.log"))).trim(),
    );
    assertEquals(Object.keys(reported[0]), ["_OPERATION"]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("an empty --mark-template or --report-template exits 2 (it was ignored)", async () => {
  const box = await sandbox();
  try {
    const script = join(box.work, "a.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\necho a\n", { mode: 0o755 });
    const before = await Deno.readTextFile(script);
    for (
      const args of [
        ["insert", "--mark-template=", script],
        ["insert", "--report-template", "", script],
        ["extract", "--report-template=", script],
        ["env", "--report-template="],
        ["exec", "--report-template=", "--", "true"],
      ]
    ) {
      const r = await box.chalk(args);
      assertEquals(r.code, 2, `${args}: ${r.stderr}`);
      assertEquals(errorLines(r.stderr).length, 1, r.stderr);
      assertMatch(
        r.stderr,
        /^error: option '--(mark|report)-template <name>' argument '' is invalid\. the name is empty/,
      );
    }
    assertEquals(await Deno.readTextFile(script), before, "a.sh untouched");
  } finally {
    await box.cleanup();
  }
});
