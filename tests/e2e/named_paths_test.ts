/**
 * What chalk says about the paths named on its command line (docs/files.md, "Named paths"): each
 * one it does not act on gets a line with the reason, and the closing summary line counts it.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { sandbox } from "./_chalk.ts";

/** The closing `info:  insert: ...` line. */
function summary(stderr: string, command: string): string {
  return stderr.split("\n").findLast((l) => l.startsWith(`info:  ${command}: `)) ?? "";
}

Deno.test("named paths that do not exist count as failed in the summary line", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "g.sh"), "#!/bin/sh\necho g\n", { mode: 0o755 });
    const r = await sb.chalk(["insert", "g.sh", "nope1", "nope2"]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /nope1: No such file or directory/);
    assertMatch(r.stderr, /nope2: No such file or directory/);
    assertMatch(
      summary(r.stderr, "insert"),
      /^info: {2}insert: 1 chalked, 0 unchanged, 0 skipped, 2 failed in /,
    );
    const d = await sb.chalk(["delete", "g.sh", "nope1"]);
    assertEquals(d.code, 1, d.stderr);
    assertMatch(
      summary(d.stderr, "delete"),
      /^info: {2}delete: 1 deleted, 0 unchanged, 0 skipped, 1 failed in /,
    );
  } finally {
    await sb.cleanup();
  }
});
