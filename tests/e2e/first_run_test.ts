/**
 * The tutorial's "First Run" (the README's "Using chalk" shows it) with the
 * built dist/chalk on a program compiled by cc inside a real git repository.
 */
import { assert, assertEquals, assertMatch, assertNotEquals } from "../_assert.ts";
import { join } from "node:path";
import { gitCommitAll, must, parseReports, ROOT, run, sandbox, sha256sum } from "./_chalk.ts";

type Json = Record<string, unknown>;

Deno.test("First Run: insert, log, strings, extract, insert all, delete", async () => {
  const box = await sandbox({ AWS_SECRET_ACCESS_KEY: "very-secret", XDG_SESSION_TYPE: "tty" });
  try {
    const dir = box.work;
    await Deno.copyFile(join(ROOT, "fixtures/e2e/lswrapper.c"), join(dir, "lswrapper.c"));
    await Deno.writeTextFile(join(dir, "Makefile"), "all:\n\tcc -o ls lswrapper.c\n");
    await Deno.writeTextFile(join(dir, "CODEOWNERS"), "* @viega\n");
    const commit = await gitCommitAll(dir, box.env);
    await must("make", ["-s"], { cwd: dir, env: box.env });
    const ls = join(dir, "ls");
    const pristine = await sha256sum(ls);
    const listing = await must(ls, [], { cwd: dir });

    // chalk insert ls
    const ins = await box.chalk(["insert", "ls"]);
    assertEquals(ins.code, 0, ins.stderr);
    assertMatch(ins.stderr, new RegExp(`info:  ${ls}: chalk mark successfully added`));
    assertMatch(
      ins.stderr,
      new RegExp(`info:  ${box.home}/.local/chalk/chalk.log: Open \\(sink conf='default_out'\\)`),
    );
    assertMatch(ins.stderr, /info: {2}Full chalk report appended to: ~\/.local\/chalk\/chalk.log/);
    const [summary] = parseReports(ins.stdout);
    assertEquals(summary._OPERATION, "insert");
    assertMatch(String(summary._DATETIME), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/);
    assertEquals(summary._OP_CHALK_COUNT, 1);
    assertEquals(summary._OP_UNMARKED_COUNT, 0);
    assertEquals((summary._OP_ARGV as string[]).slice(1), ["insert", "ls"]);
    const env = summary._ENV as Json;
    assertEquals(env.AWS_SECRET_ACCESS_KEY, "<<redact>>");
    assertEquals(env.PWD ?? dir, dir);
    assertEquals(env.USER, "tester");
    const chalks = summary._CHALKS as Json[];
    assertEquals(chalks.length, 1);
    const c = chalks[0];
    assertEquals(c.PATH_WHEN_CHALKED, ls);
    assertEquals(c.ARTIFACT_TYPE, "ELF");
    assertEquals(c.ORIGIN_URI, "local");
    assertEquals(c.COMMIT_ID, commit);
    assertEquals(c.BRANCH, "main");
    assertEquals(c.PRE_CHALK_HASH, pristine);
    assertEquals(c._VIRTUAL, false);
    assertEquals(
      c._CURRENT_HASH,
      await sha256sum(ls),
      "_CURRENT_HASH is the real hash after insert",
    );
    assertMatch(String(c.CHALK_ID), /^[0-9A-Z]{6}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{6}$/);
    assertMatch(String(c.METADATA_ID), /^[0-9A-Z]{6}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{6}$/);

    // the program still runs the same
    assertEquals(await must(ls, [], { cwd: dir }), listing);

    // the full report in the log: one line, more keys than the summary, private modes
    const logPath = join(box.home, ".local/chalk/chalk.log");
    const logLines = (await Deno.readTextFile(logPath)).trimEnd().split("\n");
    assertEquals(logLines.length, 1);
    const [full] = JSON.parse(logLines[0]) as Json[];
    for (const k of ["_ACTION_ID", "_OP_HOSTNAME", "_TIMESTAMP", "_OP_CMD_FLAGS", "_OP_PLATFORM"]) {
      assert(k in full, `chalk.log report has ${k}`);
    }
    assert(Object.keys(full).length > Object.keys(summary).length);
    const fullChalk = (full._CHALKS as Json[])[0];
    assertEquals(fullChalk.VCS_DIR_WHEN_CHALKED, dir);
    assertEquals(fullChalk.CODE_OWNERS, "* @viega\n");
    assertMatch(String(fullChalk.METADATA_HASH), /^[0-9a-f]{64}$/);
    assertEquals((await Deno.stat(logPath)).mode! & 0o777, 0o600);
    assertEquals((await Deno.stat(join(box.home, ".local/chalk"))).mode! & 0o777, 0o700);

    // strings ls | grep MAGIC
    const strings = (await must("strings", [ls])).split("\n").filter((l) => l.includes("MAGIC"));
    assertEquals(strings.length, 1);
    const raw = strings[0];
    assert(raw.startsWith('{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : '), raw);
    const mark = JSON.parse(raw) as Json;
    assertEquals(mark.CHALK_ID, c.CHALK_ID);
    assertEquals(mark.METADATA_ID, c.METADATA_ID);
    const keys = Object.keys(mark);
    assertEquals(keys.slice(0, 5), [
      "MAGIC",
      "CHALK_ID",
      "CHALK_VERSION",
      "TIMESTAMP_WHEN_CHALKED",
      "DATETIME_WHEN_CHALKED",
    ]);
    assertEquals(keys.at(-1), "METADATA_ID");
    for (
      const k of [
        "ARTIFACT_TYPE",
        "BRANCH",
        "CHALK_RAND",
        "CODE_OWNERS",
        "COMMIT_ID",
        "HASH",
        "ORIGIN_URI",
        "PLATFORM_WHEN_CHALKED",
      ]
    ) assert(k in mark, `mark has ${k}`);
    assertEquals(mark.PATH_WHEN_CHALKED, undefined, "PATH_WHEN_CHALKED is report-only");

    // chalk extract ls
    const ext = await box.chalk(["extract", "ls"]);
    assertEquals(ext.code, 0, ext.stderr);
    assertMatch(ext.stderr, new RegExp(`info:  ${ls}: Chalk mark extracted`));
    const [extReport] = parseReports(ext.stdout);
    assertEquals(extReport._OPERATION, "extract");
    const e = (extReport._CHALKS as Json[])[0];
    assertEquals(e.CHALK_ID, c.CHALK_ID);
    assertEquals(e.METADATA_ID, c.METADATA_ID);
    assertEquals(e._OP_ARTIFACT_PATH, ls);
    assertEquals(e._OP_ARTIFACT_TYPE, "ELF");
    assertEquals(e._CURRENT_HASH, await sha256sum(ls));
    const extFull = JSON.parse(
      (await Deno.readTextFile(logPath)).trimEnd().split("\n")[1],
    )[0] as Json;
    assertEquals((extFull._CHALKS as Json[])[0]._VALIDATED_METADATA, true);

    // chalk insert (no argument): the .git folder is left alone
    const gitBefore = await must("git", ["status", "--porcelain", "--ignored"], { cwd: dir });
    const hooksBefore = await must("sha256sum", [
      ...[...Deno.readDirSync(join(dir, ".git/hooks"))].map((f) => join(dir, ".git/hooks", f.name)),
    ]);
    const all = await box.chalk(["insert"]);
    assertEquals(all.code, 0, all.stderr);
    assertEquals(
      await must("sha256sum", [
        ...[...Deno.readDirSync(join(dir, ".git/hooks"))].map((f) =>
          join(dir, ".git/hooks", f.name)
        ),
      ]),
      hooksBefore,
      ".git hooks must not be chalked",
    );
    assertNotEquals(gitBefore, undefined);
    const [allReport] = parseReports(all.stdout);
    assertEquals((allReport._CHALKS as Json[]).map((x) => x.PATH_WHEN_CHALKED), [ls]);

    // chalk extract (no argument) counts the unchalked files it finds (.git's among them) in
    // one line, names them in _UNMARKED, and one by one only at trace level
    const extAll = await box.chalk(["extract"]);
    assertEquals(extAll.code, 0);
    const [extAllReport] = parseReports(extAll.stdout);
    const unmarked = extAllReport._OP_UNMARKED_COUNT as number;
    assert(unmarked > 5, `${unmarked} unmarked`);
    assertMatch(extAll.stderr, new RegExp(`info:  ${unmarked} unchalked artifacts found`));
    assertEquals(extAll.stderr.includes("Artifact is unchalked"), false, extAll.stderr);
    const extAllFull = JSON.parse(
      Deno.readTextFileSync(join(box.home, ".local/chalk/chalk.log")).trim().split("\n").at(-1)!,
    )[0];
    assert((extAllFull._UNMARKED as string[]).some((p) => p.includes("/.git/")), "in _UNMARKED");
    const traced = await box.chalk(["extract", "--log-level=trace"]);
    assertMatch(traced.stderr, /trace: .*\/\.git\/.*: Artifact is unchalked/);

    // chalk delete
    const del = await box.chalk(["delete"]);
    assertEquals(del.code, 0, del.stderr);
    assertMatch(del.stderr, new RegExp(`info:  ${ls}: chalk mark successfully deleted`));
    const [delReport] = parseReports(del.stdout);
    assertEquals(delReport._OPERATION, "delete");
    assertEquals(await must(ls, [], { cwd: dir }), listing);
    const after = await box.chalk(["extract", "ls"]);
    assertMatch(after.stderr, new RegExp(`warn:  ${ls}: Artifact is unchalked`));
    assertEquals((await must("strings", [ls])).includes("dadfedabbadabbed"), false);
    assertEquals((await run("readelf", ["-S", ls])).code, 0);
  } finally {
    await box.cleanup();
  }
});
