/**
 * A walk over many scripts: past the first ones, their new files are written
 * on a second thread (docs/files.md, "Many small files"). What the user sees
 * must not change: every script marked (then unmarked, byte for byte) with
 * its mode kept, every line and report entry in the walk's order, no
 * temporary file left.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { WORKER_AFTER } from "../../ops/write_behind.ts";
import { parseReports, sandbox } from "./_chalk.ts";

/** The paths named by `pattern` lines of `stderr`, in order. */
function pathsOf(stderr: string, pattern: RegExp): string[] {
  return stderr.split("\n").flatMap((line) => line.match(pattern)?.[1] ?? []);
}

Deno.test("insert and delete of many scripts: modes kept, lines and report in walk order", async () => {
  // The worker whatever this file system's speed (ops/write_behind.ts, SLOW_WRITE_MS).
  const box = await sandbox({ CHALK_TS_WRITE_BEHIND: "worker" });
  try {
    const count = WORKER_AFTER + 120;
    const modes = [0o755, 0o700, 0o750, 0o644];
    for (let i = 0; i < count; i++) {
      const dir = join(box.work, `d${i % 3}`);
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(join(dir, `s${i}.sh`), `#!/bin/sh\necho ${i}\n`, {
        mode: modes[i % 4],
      });
    }
    const ins = await box.chalk(["insert", "."]);
    assertEquals(ins.code, 0, ins.stderr);
    const added = pathsOf(ins.stderr, /^info: +(.*): chalk mark successfully added$/);
    assertEquals(added.length, count);
    const reported = (parseReports(ins.stdout)[0]._CHALKS as Record<string, unknown>[])
      .map((c) => c.PATH_WHEN_CHALKED);
    assertEquals(reported, added, "the report lists the artifacts in the order of the lines");

    const ext = await box.chalk(["extract", "."]);
    assertEquals(ext.code, 0, ext.stderr);
    assertEquals(
      pathsOf(ext.stderr, /^info: +(.*): Chalk mark extracted$/),
      added,
      "insert's lines follow the walk, as extract's do",
    );
    // Each file holds the mark that insert reported for it.
    const idOf = (stdout: string, key: string) =>
      new Map(
        (parseReports(stdout)[0]._CHALKS as Record<string, unknown>[]).map((
          c,
        ) => [c[key], c.CHALK_ID]),
      );
    assertEquals(idOf(ext.stdout, "_OP_ARTIFACT_PATH"), idOf(ins.stdout, "PATH_WHEN_CHALKED"));
    for (let i = 0; i < count; i++) {
      const st = await Deno.stat(join(box.work, `d${i % 3}`, `s${i}.sh`));
      assertEquals(st.mode! & 0o7777, modes[i % 4], `s${i}.sh`);
    }
    for (const d of ["d0", "d1", "d2"]) {
      const left = [...Deno.readDirSync(join(box.work, d))].filter((e) =>
        e.name.includes(".chalk-")
      );
      assertEquals(left, [], `no temporary file left in ${d}`);
    }
    assert(ins.stderr.includes(`insert: ${count} chalked`), ins.stderr.slice(-300));

    const del = await box.chalk(["delete", "."]);
    assertEquals(del.code, 0, del.stderr);
    assertEquals(pathsOf(del.stderr, /^info: +(.*): chalk mark successfully deleted$/), added);
    for (let i = 0; i < count; i++) {
      const path = join(box.work, `d${i % 3}`, `s${i}.sh`);
      assertEquals(await Deno.readTextFile(path), `#!/bin/sh\necho ${i}\n`, path);
      assertEquals((await Deno.stat(path)).mode! & 0o7777, modes[i % 4], path);
    }
  } finally {
    await box.cleanup();
  }
});
