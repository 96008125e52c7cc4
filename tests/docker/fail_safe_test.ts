import { join } from "node:path";
import { assertEquals, assertMatch } from "../_assert.ts";
import { Logger } from "../../internal/logger.ts";
import { withFailSafe } from "../../docker/fail_safe.ts";

Deno.test("withFailSafe reruns the original command with the same stdin and returns its status", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = join(dir, "stdin.txt");
    const log = new Logger("none");
    const status = await withFailSafe(
      log,
      {
        exe: "/bin/sh",
        args: ["-c", `cat > ${out}; exit 5`],
        stdin: new TextEncoder().encode("FROM x\n"),
      },
      () => Promise.reject(new Error("chalk broke")),
    );
    assertEquals(status, 5);
    assertEquals(await Deno.readTextFile(out), "FROM x\n");
    assertMatch(log.errors[0], /^docker: retrying without chalk due to: chalk broke$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withFailSafe returns the wrapped status when nothing fails", async () => {
  const status = await withFailSafe(
    new Logger("none"),
    { exe: "/bin/false", args: [] },
    () => Promise.resolve(0),
  );
  assertEquals(status, 0);
});
