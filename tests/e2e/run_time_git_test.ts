/**
 * The report's own git keys: the default insert and extract reports subscribe to the run-time
 * twins (`_COMMIT_ID`, `_BRANCH`, `_ORIGIN_URI`, `_TAG`, ...) of the repository holding the
 * first search path, and to `_OP_ARTIFACT_PATH_WITHIN_VCTL` for each artifact; they must be
 * there, with git's values, and absent outside any repository.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { gitCommitAll, must, sandbox } from "./_chalk.ts";

type Report = Record<string, unknown> & { _CHALKS?: Record<string, unknown>[] };

function lastReport(home: string): Report {
  const log = Deno.readTextFileSync(join(home, ".local/chalk/chalk.log")).trim();
  return JSON.parse(log.split("\n").at(-1)!)[0];
}

Deno.test("insert and extract reports carry the search path's git twins and paths within it", async () => {
  const sb = await sandbox();
  try {
    await Deno.mkdir(join(sb.work, "bin"));
    const script = join(sb.work, "bin", "s.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const head = await gitCommitAll(sb.work, sb.env);
    await must("git", ["tag", "-a", "v1", "-m", "release one"], { cwd: sb.work, env: sb.env });
    await must("git", ["remote", "add", "origin", "https://bot:s3cret@git.example.com/app.git"], {
      cwd: sb.work,
      env: sb.env,
    });
    const git = async (...args: string[]) =>
      (await must("git", args, { cwd: sb.work, env: sb.env })).trim();
    for (const args of [["insert", "bin"], ["extract", "bin"], ["extract", "bin/s.sh"]]) {
      const r = await sb.chalk(args);
      assertEquals(r.code, 0, r.stderr);
      const report = lastReport(sb.home);
      const what = args.join(" ");
      assertEquals(report._COMMIT_ID, head, what);
      assertEquals(report._BRANCH, "main", what);
      assertEquals(report._ORIGIN_URI, "https://git.example.com/app.git", what);
      assertEquals(report._TAG, "v1", what);
      assertEquals(report._TAG_MESSAGE, "release one", what);
      assertEquals(report._AUTHOR, await git("log", "-1", "--format=%an <%ae>"), what);
      assertEquals(report._COMMIT_MESSAGE, "Chalk demo 1", what);
      assertEquals(report._COMMIT_SIGNED, false, what);
      assert(!("_VCS_DIR_WHEN_CHALKED" in report), what);
      assertEquals(report._CHALKS?.[0]._OP_ARTIFACT_PATH_WITHIN_VCTL, "bin/s.sh", what);
      assert(!JSON.stringify(report).includes("s3cret"), `${what}: the password is reported`);
    }
    // A repository inside the searched one (a submodule, a vendored checkout): its artifacts'
    // paths are within their own worktree, for insert as for extract.
    const inner = join(sb.work, "vendor", "lib");
    await Deno.mkdir(inner, { recursive: true });
    await Deno.writeTextFile(join(inner, "t.sh"), "#!/bin/sh\necho t\n", { mode: 0o755 });
    await gitCommitAll(inner, sb.env);
    for (const args of [["insert", "."], ["extract", "."]]) {
      const r = await sb.chalk(args);
      assertEquals(r.code, 0, r.stderr);
      const report = lastReport(sb.home);
      assertEquals(report._COMMIT_ID, head, args.join(" "));
      const within = Object.fromEntries(
        report._CHALKS!.map((
          c,
        ) => [c._OP_ARTIFACT_PATH ?? c.PATH_WHEN_CHALKED, c._OP_ARTIFACT_PATH_WITHIN_VCTL]),
      );
      assertEquals(within, {
        [script]: "bin/s.sh",
        [join(inner, "t.sh")]: "t.sh",
      }, args.join(" "));
    }
    // A bare repository is its own root, for insert as for extract.
    const bare = join(sb.work, "..", "bare.git");
    await must("git", ["clone", "-q", "--bare", sb.work, bare], { cwd: sb.work, env: sb.env });
    await Deno.copyFile(script, join(bare, "hooks", "s.sh"));
    const hook = join(bare, "hooks", "s.sh");
    for (const args of [["insert", hook], ["extract", hook]]) {
      const r = await sb.chalk(args);
      assertEquals(r.code, 0, r.stderr);
      const chalks = lastReport(sb.home)._CHALKS!;
      assertEquals(chalks.map((c) => c._OP_ARTIFACT_PATH_WITHIN_VCTL), ["hooks/s.sh"], args[0]);
    }
    // Outside any repository: neither.
    const outside = await Deno.makeTempDir({ prefix: "chalk-e2e-norepo-" });
    try {
      await Deno.copyFile(script, join(outside, "s.sh"));
      const r = await sb.chalk(["extract", outside]);
      assertEquals(r.code, 0, r.stderr);
      const report = lastReport(sb.home);
      assertEquals(report._OP_CHALK_COUNT, 1);
      assert(!("_COMMIT_ID" in report) && !("_BRANCH" in report));
      assert(!("_OP_ARTIFACT_PATH_WITHIN_VCTL" in report._CHALKS![0]));
    } finally {
      await Deno.remove(outside, { recursive: true });
    }
  } finally {
    await sb.cleanup();
  }
});
