/**
 * Traversal, scripts, --virtual and self-protection through the real CLI.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, parseReports, run, sandbox } from "./_chalk.ts";

type Json = Record<string, unknown>;

const SCRIPTS: [string, string, string][] = [
  ["hello.sh", "#!/bin/sh\necho hello from sh $1\n", "sh"],
  ["hello.bash", "#!/usr/bin/env bash\necho hello from bash $1\n", "bash"],
  [
    "hello.py",
    "#!/usr/bin/env python3\nimport sys\nprint('hello from python', sys.argv[1])\n",
    "python",
  ],
  ["hello.pl", '#!/usr/bin/perl\nprint "hello from perl $ARGV[0]\\n";\n', "perl"],
  ["hello.js", "#!/usr/bin/env node\nconsole.log('hello from node', process.argv[2]);\n", "node"],
  ["hello.rb", '#!/usr/bin/env ruby\nputs "hello from ruby #{ARGV[0]}"\n', "ruby"],
];

Deno.test("shebang scripts keep line 1 and their output; delete restores the bytes", async () => {
  const box = await sandbox();
  try {
    const runnable: string[] = [];
    const outputs = new Map<string, string>();
    for (const [name, text] of SCRIPTS) {
      const path = join(box.work, name);
      await Deno.writeTextFile(path, text, { mode: 0o755 });
      const r = await run(path, ["x"], { env: box.env });
      if (r.code === 0) {
        runnable.push(name);
        outputs.set(name, r.stdout);
      } else {console.log(
          `note: ${name} not runnable here (${r.stderr.split("\n")[0]}); marking only`,
        );}
    }
    const ins = await box.chalk(["insert"]);
    assertEquals(ins.code, 0, ins.stderr);
    const [report] = parseReports(ins.stdout);
    const types = new Map(
      (report._CHALKS as Json[]).map((c) => [String(c.PATH_WHEN_CHALKED).split("/").at(-1)!, c]),
    );
    for (const [name, text, language] of SCRIPTS) {
      const marked = await Deno.readTextFile(join(box.work, name));
      assertEquals(marked.split("\n")[0], text.split("\n")[0], `${name}: shebang stays line 1`);
      assertMatch(marked, /\n(#|\/\/) \{ "MAGIC" : "dadfedabbadabbed"/);
      assertEquals(types.get(name)?.ARTIFACT_TYPE, language, name);
    }
    for (const name of runnable) {
      const r = await run(join(box.work, name), ["x"], { env: box.env });
      assertEquals(r.stdout, outputs.get(name), `${name}: same output after insert`);
    }
    assertEquals((await box.chalk(["delete"])).code, 0);
    for (const [name, text] of SCRIPTS) {
      assertEquals(await Deno.readTextFile(join(box.work, name)), text, `${name}: byte-identical`);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("--virtual leaves files alone and appends marks to virtual-chalk.json in the state folder", async () => {
  const box = await sandbox();
  try {
    const path = join(box.work, "a.sh");
    await Deno.writeTextFile(path, "#!/bin/sh\necho a\n", { mode: 0o755 });
    const r = await box.chalk(["insert", "--virtual", "a.sh"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /a\.sh: virtual chalk created\./);
    assertEquals(await Deno.readTextFile(path), "#!/bin/sh\necho a\n");
    const virtual = join(box.home, ".local/state/chalk/virtual-chalk.json");
    const lines = (await Deno.readTextFile(virtual)).trimEnd().split("\n");
    assertEquals(await Deno.stat(join(box.work, "virtual-chalk.json")).catch(() => null), null);
    assertEquals(lines.length, 1);
    const mark = JSON.parse(lines[0]);
    assertEquals(mark.MAGIC, "dadfedabbadabbed");
    const [report] = parseReports(r.stdout);
    const chalk = (report._CHALKS as Json[])[0];
    assertEquals(chalk._VIRTUAL, true);
    assertEquals(chalk.CHALK_ID, mark.CHALK_ID);
    const ext = await box.chalk(["extract", "a.sh"]);
    assertMatch(ext.stderr, /a\.sh: Artifact is unchalked/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("symlinks are skipped on insert by default, dot-folders and .json ignored", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    await Deno.writeTextFile(join(dir, "t.sh"), "#!/bin/sh\necho t\n", { mode: 0o755 });
    await Deno.symlink(join(dir, "t.sh"), join(dir, "link.sh"));
    await Deno.mkdir(join(dir, ".hidden"));
    await Deno.writeTextFile(join(dir, ".hidden/h.sh"), "#!/bin/sh\necho h\n", { mode: 0o755 });
    await Deno.writeTextFile(join(dir, "x.json"), "#!/bin/sh\n", { mode: 0o755 });
    const r = await box.chalk(["insert"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /link\.sh: skipping symbolic link/);
    assertMatch(r.stderr, /insert: 1 chalked, 0 unchanged, 1 skipped/);
    const [report] = parseReports(r.stdout);
    assertEquals(
      (report._CHALKS as Json[]).map((c) => String(c.PATH_WHEN_CHALKED)),
      [join(dir, "t.sh")],
    );
    assertEquals(await Deno.readTextFile(join(dir, ".hidden/h.sh")), "#!/bin/sh\necho h\n");
    assertEquals(await Deno.readTextFile(join(dir, "x.json")), "#!/bin/sh\n");
  } finally {
    await box.cleanup();
  }
});

Deno.test("the running chalk is never chalked, even when named", async () => {
  const box = await sandbox();
  try {
    const copy = join(box.work, "chalk");
    await Deno.copyFile(CHALK, copy);
    await Deno.chmod(copy, 0o755);
    const before = await Deno.readFile(copy);
    const walk = await run(copy, ["insert"], { cwd: box.work, env: box.env });
    assertEquals(walk.code, 0, walk.stderr);
    const named = await run(copy, ["insert", "chalk"], { cwd: box.work, env: box.env });
    assertMatch(named.stderr, /Cannot use this command to modify this chalk executable/);
    assertEquals(await Deno.readFile(copy), before);
    // a copy that is not the running program is an ordinary script
    assert((await box.chalk(["insert", "chalk"])).code === 0);
  } finally {
    await box.cleanup();
  }
});

Deno.test("the built program holds no mark-shaped text of its own (it marks itself)", async () => {
  const { findMarkInBytes } = await import("../../codecs/find_mark.ts");
  assertEquals(findMarkInBytes(await Deno.readFile(CHALK)), undefined);
});

Deno.test("--chalk-symlink-behavior: skip leaves both, clobber marks the target, copy replaces the link", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    const text = "#!/bin/sh\necho t\n";
    const setup = async (name: string) => {
      await Deno.writeTextFile(join(dir, `${name}.sh`), text, { mode: 0o755 });
      await Deno.symlink(join(dir, `${name}.sh`), join(dir, `${name}-link`));
    };
    for (const n of ["skip", "clobber", "copy"]) await setup(n);
    for (const how of ["skip", "clobber", "copy"]) {
      const r = await box.chalk(["insert", "--chalk-symlink-behavior", how, `${how}-link`]);
      assertEquals(r.code, 0, r.stderr);
    }
    const marked = (p: string) => Deno.readTextFileSync(join(dir, p)).includes("dadfedabbadabbed");
    assertEquals([marked("skip.sh"), Deno.lstatSync(join(dir, "skip-link")).isSymlink], [
      false,
      true,
    ]);
    assertEquals(
      [marked("clobber.sh"), Deno.lstatSync(join(dir, "clobber-link")).isSymlink],
      [true, true],
    );
    assertEquals(
      [marked("copy.sh"), Deno.lstatSync(join(dir, "copy-link")).isSymlink, marked("copy-link")],
      [false, false, true],
    );
  } finally {
    await box.cleanup();
  }
});
