/**
 * A failed system call is reported as `<the path the user gave>: <reason>` (docs/decisions.md,
 * "One-line errors"), not with Deno's tail `(os error 21): rename '<temporary file>' -> '<path>'`
 * that names the path again, or a temporary file the user never asked about.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, sandbox } from "./_chalk.ts";

function noOsTail(stderr: string): void {
  assert(!/os error \d+|\.chalk-[a-z0-9]+\.tmp|lstat '|readfile '/.test(stderr), stderr);
}

Deno.test("dump to a folder, or below a file: the path and the reason", async () => {
  const box = await sandbox();
  try {
    const file = join(box.work, "f.sh");
    await Deno.writeTextFile(file, "#!/bin/sh\n");
    let r = await box.chalk(["dump", box.work]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(errorLines(r.stderr), [`error: ${box.work}: cannot write: is a directory`]);
    noOsTail(r.stderr);
    r = await box.chalk(["dump", join(file, "x.c4m")]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(errorLines(r.stderr), [`error: ${file}/x.c4m: cannot write: not a directory`]);
    noOsTail(r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("insert below a file and a path too long: the path once and the reason", async () => {
  const box = await sandbox();
  try {
    const file = join(box.work, "f.sh");
    await Deno.writeTextFile(file, "#!/bin/sh\n");
    let r = await box.chalk(["insert", join(file, "x")]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(errorLines(r.stderr), [`error: ${file}/x: not a directory`]);
    noOsTail(r.stderr);
    const long = "/" + Array(30).fill("b".repeat(200)).join("/");
    r = await box.chalk(["insert", long]);
    assertEquals(r.code, 1, r.stderr);
    assertEquals(errorLines(r.stderr), [`error: ${long}: file name too long`]);
  } finally {
    await box.cleanup();
  }
});

Deno.test("a report cache file that is a folder: the warning names it once", async () => {
  const box = await sandbox();
  try {
    const file = join(box.work, "f.sh");
    await Deno.writeTextFile(file, "#!/bin/sh\n");
    // A sink whose reports the cache would keep (port 9: refused at once, never sent).
    const conf = join(box.work, "post.c4m");
    await Deno.writeTextFile(
      conf,
      'sink_config post_out {\n  sink: "post"\n  uri: "http://127.0.0.1:9/report"\n}\n' +
        'subscribe("report", "post_out")\n',
    );
    const r = await box.chalk([
      "--config-file",
      conf,
      "--report-cache-file",
      box.work,
      "extract",
      file,
    ]);
    assertEquals(r.code, 0, r.stderr);
    assert(
      r.stderr.includes(`warn:  report cache disabled: ${box.work}: is a directory\n`),
      r.stderr,
    );
    noOsTail(r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("chalk.log cannot be created: the sink's warning names it once, with the reason", async () => {
  const box = await sandbox();
  try {
    const file = join(box.work, "f.sh");
    await Deno.writeTextFile(file, "#!/bin/sh\n");
    await Deno.writeTextFile(join(box.home, ".local"), "a file where a folder should be\n");
    const r = await box.chalk(["extract", file]);
    assertEquals(r.code, 0, r.stderr);
    const log = join(box.home, ".local", "chalk", "chalk.log");
    assert(
      r.stderr.includes(
        `warn:  sink 'default_out' disabled after write failure (filesystem may be read-only or inaccessible): ${log}: not a directory\n`,
      ),
      r.stderr,
    );
    noOsTail(r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("setup --key naming a folder or a path below a file: the path and the reason", async () => {
  const box = await sandbox();
  try {
    const file = join(box.work, "f.pub");
    await Deno.writeTextFile(file, "not a key\n");
    const out = join(box.work, "chalk-out");
    for (const [key, reason] of [[box.work, "is a directory"], [`${file}/x`, "not a directory"]]) {
      const r = await box.chalk(["setup", "--key", key, "--pub", file, "-o", out]);
      assertEquals(r.code, 2, r.stderr);
      assertEquals(errorLines(r.stderr), [`error: ${key}: cannot read key file: ${reason}`]);
      noOsTail(r.stderr);
    }
  } finally {
    await box.cleanup();
  }
});
