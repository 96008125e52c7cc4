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
import { CHALK, parseReports, sandbox } from "./_chalk.ts";

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

Deno.test("SIGKILL while scripts are written behind: each is its original or marked; the next run finishes", async () => {
  const box = await sandbox({ CHALK_TS_WRITE_BEHIND: "worker" });
  try {
    const count = 1500;
    const original = (i: number) => `#!/bin/sh\necho ${i}\n`;
    for (let i = 0; i < count; i++) {
      await Deno.writeTextFile(join(box.work, `s${i}.sh`), original(i), { mode: 0o750 });
    }
    const child = new Deno.Command(CHALK, {
      args: ["insert", ".", "--skip-summary-report"],
      cwd: box.work,
      env: box.env,
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // A file's line comes out once its write has settled: kill when the worker has been writing
    // for a while, with most of the walk still ahead.
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const added = () => pathsOf(text, /^info: +(.*): chalk mark successfully added$/);
    while (added().length < WORKER_AFTER + 200) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await reader.cancel().catch(() => {});
    assertEquals(status.signal, "SIGKILL", "killed in the middle of the walk");
    const announced = added();

    const marked = async () => {
      const ext = await box.chalk(["extract", "."]);
      return new Set(
        (parseReports(ext.stdout)[0]?._CHALKS as Record<string, unknown>[] ?? [])
          .map((c) => c._OP_ARTIFACT_PATH),
      );
    };
    const before = await marked();
    for (const path of announced) assert(before.has(path), `${path} was announced but not marked`);
    assert(before.size < count, "the walk was cut short");
    for (let i = 0; i < count; i++) {
      const path = join(box.work, `s${i}.sh`);
      const text = await Deno.readTextFile(path);
      assert(
        before.has(path)
          ? text.startsWith(original(i)) && text.length > original(i).length
          : text === original(i),
        `${path}: neither the original nor marked: ${JSON.stringify(text.slice(0, 80))}`,
      );
      assertEquals((await Deno.stat(path)).mode! & 0o7777, 0o750, path);
    }

    // The next run removes what the killed one left and marks the rest.
    const again = await box.chalk(["insert", ".", "--skip-summary-report"]);
    assertEquals(again.code, 0, again.stderr.slice(-500));
    assertEquals((await marked()).size, count);
    const left = [...Deno.readDirSync(box.work)].filter((e) => e.name.includes(".chalk-"));
    assertEquals(left.map((e) => e.name), [], "no temporary file left");
  } finally {
    await box.cleanup();
  }
});
