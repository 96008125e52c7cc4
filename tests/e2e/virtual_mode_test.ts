/**
 * `--virtual` (`-v`, `--dry-run`) promises that nothing is modified; commands that rewrite files
 * and have no virtual mode refuse it (exit 2) instead of acting for real (README.md, "Commands and
 * flags"). `delete --dry-run` used to delete the mark.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, privateChalk, sandbox, sha256sum } from "./_chalk.ts";

Deno.test("delete refuses --virtual, -v and --dry-run (exit 2) and keeps the mark", async () => {
  const sb = await sandbox();
  try {
    const script = join(sb.work, "a.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\necho a\n", { mode: 0o755 });
    assertEquals((await sb.chalk(["insert", "a.sh"])).code, 0);
    const marked = await Deno.readTextFile(script);
    assert(marked.includes("MAGIC"));
    for (const flag of ["--virtual", "-v", "--dry-run"]) {
      const r = await sb.chalk([flag, "delete", "a.sh"]);
      assertEquals(r.code, 2, `${flag}: ${r.stderr}`);
      assertEquals(errorLines(r.stderr).length, 1, r.stderr);
      assertMatch(r.stderr, /delete: --(virtual|dry-run) applies to insert and docker build only/);
      assertEquals(await Deno.readTextFile(script), marked, `${flag}: the mark stays`);
    }
    // The configuration's virtual_chalk asks the same; --no-virtual overrides it.
    await Deno.writeTextFile(join(sb.work, "virtual.c4m"), "virtual_chalk: true\n");
    const conf = await sb.chalk(["--config-file", "virtual.c4m", "delete", "a.sh"]);
    assertEquals(conf.code, 2, conf.stderr);
    assertMatch(conf.stderr, /virtual_chalk.*pass --no-virtual to delete/);
    assertEquals(await Deno.readTextFile(script), marked);
    const real = await sb.chalk(["--config-file", "virtual.c4m", "--no-virtual", "delete", "a.sh"]);
    assertEquals(real.code, 0, real.stderr);
    assert(!(await Deno.readTextFile(script)).includes("MAGIC"));
  } finally {
    await sb.cleanup();
  }
});

Deno.test("load and setup refuse --dry-run; extract ignores it", async () => {
  const sb = await sandbox();
  try {
    const chalk = await privateChalk(sb.work);
    const before = await sha256sum(chalk);
    await Deno.writeTextFile(join(sb.work, "c.c4m"), 'log_level: "warn"\n');
    const env = { ...sb.env };
    for (const args of [["--dry-run", "load", "c.c4m"], ["-v", "setup"]]) {
      const cmd = new Deno.Command(chalk, { args, cwd: sb.work, env, clearEnv: true });
      const r = await cmd.output();
      const stderr = new TextDecoder().decode(r.stderr);
      assertEquals(r.code, 2, `${args.join(" ")}: ${stderr}`);
      assertMatch(stderr, /has no dry run, so nothing was done/);
      assertEquals(await sha256sum(chalk), before, `${args.join(" ")}: chalk unchanged`);
    }
    await Deno.writeTextFile(join(sb.work, "a.sh"), "#!/bin/sh\necho a\n", { mode: 0o755 });
    const extract = await sb.chalk(["--dry-run", "extract", "a.sh"]);
    assertEquals(extract.code, 0, extract.stderr);
  } finally {
    await sb.cleanup();
  }
});
