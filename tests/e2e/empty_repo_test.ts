/**
 * A git repository without commits: nothing to report about it, so no git
 * keys at all (VCS_DIR_WHEN_CHALKED included), one warning, and the file is
 * chalked all the same.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { must, sandbox } from "./_chalk.ts";

Deno.test("insert in a repository without commits leaves VCS_DIR_WHEN_CHALKED out", async () => {
  const sb = await sandbox();
  try {
    await must("git", ["-c", "init.defaultBranch=main", "init", "-q"], {
      cwd: sb.work,
      env: sb.env,
    });
    const script = join(sb.work, "s.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const r = await sb.chalk(["insert", "--mark-template", "mark_all", "s.sh"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /Most likely it's an empty git repo/);
    const log = Deno.readTextFileSync(join(sb.home, ".local/chalk/chalk.log")).trim();
    const chalk = JSON.parse(log.split("\n").at(-1)!)[0]._CHALKS[0];
    for (const k of ["VCS_DIR_WHEN_CHALKED", "COMMIT_ID", "BRANCH", "ORIGIN_URI"]) {
      assert(!(k in chalk), `${k} reported for a repository without commits`);
    }
    assert(!(await Deno.readTextFile(script)).includes("VCS_DIR_WHEN_CHALKED"), "in the mark");
    // Once there is a commit, the folder is reported.
    await must("git", ["add", "-A"], { cwd: sb.work, env: sb.env });
    await must("git", ["commit", "-qm", "first"], { cwd: sb.work, env: sb.env });
    const again = await sb.chalk(["insert", "--mark-template", "mark_all", "s.sh"]);
    assertEquals(again.code, 0, again.stderr);
    const after = Deno.readTextFileSync(join(sb.home, ".local/chalk/chalk.log")).trim();
    assertEquals(JSON.parse(after.split("\n").at(-1)!)[0]._CHALKS[0].VCS_DIR_WHEN_CHALKED, sb.work);
  } finally {
    await sb.cleanup();
  }
});
