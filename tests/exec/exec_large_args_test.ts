/**
 * A workload with a large argument list is still reported (docs/exec.md, "Default mode"): the
 * reporter's job holds the argv about three times, more than Linux allows in one argument
 * (128 KiB), so a large job goes to the reporter in a file it removes as it reads it.
 */
import { assertEquals } from "../_assert.ts";
import { sandbox } from "../e2e/_chalk.ts";
import { firstChalk, ofOperation, waitForLog } from "./_exec.ts";

Deno.test("exec reports a workload given ~1 MB of arguments, and leaves no job file", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "chalk-tmp-" });
  const sb = await sandbox({ TMPDIR: tmp });
  let cleaned = false;
  try {
    const args = Array.from({ length: 10_000 }, (_, i) => `${"x".repeat(100)}${i}`);
    const r = await sb.chalk(["exec", "--", "/bin/true", ...args]);
    assertEquals([r.code, r.stderr], [0, ""]);
    const reports = await waitForLog(sb.home, (rs) => ofOperation(rs, "exec").length === 1);
    const argv = firstChalk(ofOperation(reports, "exec")[0])._PROCESS_ARGV as string[];
    assertEquals(argv, ["/bin/true", ...args]);
    await sb.cleanup();
    cleaned = true;
    assertEquals([...Deno.readDirSync(tmp)].map((e) => e.name), [], "the job file is removed");
  } finally {
    if (!cleaned) await sb.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});
