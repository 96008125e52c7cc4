/**
 * A large file's old content is freed after the rename, on another thread, and the command
 * waits for it: nothing of it stays (ops/retired_files.ts).
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { sandbox } from "./_chalk.ts";
import { RETIRE_FROM } from "../../ops/retired_files.ts";

Deno.test("insert and delete of a large script leave no link to its old content", async () => {
  const box = await sandbox();
  try {
    const path = join(box.work, "big.sh");
    const padding = `# ${"x".repeat(1021)}\n`.repeat(Math.ceil(RETIRE_FROM / 1024) + 16);
    const pristine = `#!/bin/sh\necho big\n${padding}`;
    await Deno.writeTextFile(path, pristine, { mode: 0o755 });
    for (const op of ["insert", "delete"]) {
      const r = await box.chalk([op, "big.sh"]);
      assertEquals(r.code, 0, r.stderr);
      const left = [...Deno.readDirSync(box.work)].filter((e) => e.name.includes(".chalk-"));
      assertEquals(left, [], `${op}: nothing of the old content stays`);
      assert((await Deno.stat(path)).nlink === 1);
    }
    assertEquals(await Deno.readTextFile(path), pristine);
  } finally {
    await box.cleanup();
  }
});
