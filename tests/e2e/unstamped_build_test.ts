/**
 * A bundle built where git gives no commit (a source archive, say) carries
 * the build's placeholder instead of a commit: it must still mark files.
 * The bundle is CommonJS, where `import.meta` has no `url`, and the
 * unstamped fallback once read it (`Cannot read properties of undefined`).
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, parseReports, run, sandbox } from "./_chalk.ts";

Deno.test("a bundle without a stamped commit marks files and reports no INJECTOR_COMMIT_ID", async () => {
  const sb = await sandbox();
  try {
    const text = await Deno.readTextFile(CHALK);
    const stamped = text.match(/"([0-9a-f]{40})"/g) ?? [];
    assertEquals(stamped.length, 1, "the build stamps exactly one commit");
    const unstamped = join(sb.work, "chalk");
    await Deno.writeTextFile(
      unstamped,
      text.replace(stamped[0]!, '"__CHALK_TS_BUILD_COMMIT__"'),
      { mode: 0o755 },
    );
    await Deno.copyFile("/bin/true", join(sb.work, "prog"));
    const r = await run(unstamped, ["insert", "prog"], { cwd: sb.work, env: sb.env });
    assertEquals(r.code, 0, r.stderr);
    const [report] = parseReports(r.stdout);
    const artifacts = report._CHALKS as Record<string, unknown>[];
    assertEquals(artifacts.length, 1, r.stdout);
    assert(!("INJECTOR_COMMIT_ID" in artifacts[0]), JSON.stringify(artifacts[0]));
  } finally {
    await sb.cleanup();
  }
});
