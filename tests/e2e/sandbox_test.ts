/**
 * The sandbox outlives what chalk leaves running in it: cleanup waits for a
 * detached process with the sandbox's HOME (as `chalk exec`'s reporter is)
 * before it removes the folder that process writes into.
 */
import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import { sandbox } from "./_chalk.ts";

Deno.test("sandbox cleanup waits for a detached process still writing in its HOME", async () => {
  const sb = await sandbox();
  const late = join(sb.home, "late", "log");
  const child = new Deno.Command("sh", {
    args: ["-c", `sleep 0.5; mkdir -p "${join(sb.home, "late")}" && echo done > "${late}"`],
    env: sb.env,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).spawn();
  await sb.cleanup();
  const status = await child.status;
  // The writer finished before the removal, so the removal took its file too.
  assertEquals(status.code, 0);
  assertEquals(await Deno.stat(late).then(() => "left behind", () => "removed"), "removed");
});
