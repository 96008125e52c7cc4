/**
 * Bad input (issue "Foundation"; docs/decisions.md, "One-line errors" and
 * "Exit codes"): every problem is one clear line naming the file, no stack
 * trace, files untouched unless marked, exit codes 0 (nothing wrong with the
 * run), 1 (a named file could not be processed), 2 (usage).
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { must, ROOT, run, sandbox, sha256sum } from "./_chalk.ts";

function noStackTrace(stderr: string): void {
  assert(!/\n\s+at /.test(stderr), `stack trace in stderr:\n${stderr}`);
}

async function compileLs(dir: string): Promise<string> {
  const out = join(dir, "prog");
  await must("cc", ["-o", out, join(ROOT, "fixtures/e2e/lswrapper.c")]);
  return out;
}

Deno.test("insert leaves malformed files untouched and says why", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    const real = await Deno.readFile(await compileLs(dir));
    await Deno.remove(join(dir, "prog"));
    await Deno.writeFile(join(dir, "empty"), new Uint8Array());
    await Deno.writeFile(join(dir, "truncated"), real.slice(0, 100), { mode: 0o755 });
    const absurd = real.slice();
    new DataView(absurd.buffer).setBigUint64(0x28, 0xffff_ffff_ffffn, true); // e_shoff
    new DataView(absurd.buffer).setBigUint64(0x20, 0x7fff_ffff_0000n, true); // e_phoff
    await Deno.writeFile(join(dir, "absurd"), absurd, { mode: 0o755 });
    await Deno.writeTextFile(
      join(dir, "broken.sh"),
      '#!/bin/sh\necho hi\n# { "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : \n',
      { mode: 0o755 },
    );
    const before = new Map<string, string>();
    for (const f of ["empty", "truncated", "absurd"]) before.set(f, await sha256sum(join(dir, f)));

    const r = await box.chalk(["insert"]);
    assertEquals(r.code, 0, r.stderr);
    noStackTrace(r.stderr);
    for (const [f, h] of before) assertEquals(await sha256sum(join(dir, f)), h, `${f} untouched`);
    // The shebang script with a broken mark is treated as unmarked and gets a real mark.
    const ext = await box.chalk(["extract", "broken.sh"]);
    assertMatch(ext.stderr, /broken\.sh: Chalk mark extracted/);
    assertEquals((await must("sh", [join(dir, "broken.sh")])).trim(), "hi");
  } finally {
    await box.cleanup();
  }
});

Deno.test("insert on a read-only file: root marks it keeping mode 0555, others skip it", async () => {
  const box = await sandbox();
  try {
    const prog = await compileLs(box.work);
    await Deno.chmod(prog, 0o555);
    const r = await box.chalk(["insert", "prog"]);
    assertEquals((await Deno.stat(prog)).mode! & 0o777, 0o555);
    if (Deno.uid() !== 0) {
      // docs/files.md, "Who may mark a file": only root writes a read-only file in place.
      assertEquals(r.code, 1, r.stderr);
      assertMatch(r.stderr, /prog: skipped: read-only \(mode 0555\)/);
      return;
    }
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /prog: chalk mark successfully added/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("a FIFO, a broken symlink and a missing path each give one line", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    await must("mkfifo", [join(dir, "pipe")]);
    await Deno.symlink(join(dir, "nowhere"), join(dir, "dangling"));
    const fifo = await box.chalk(["insert", "pipe"]);
    assertEquals(fifo.code, 0);
    assertMatch(fifo.stderr, /pipe: not a regular file; skipped/);
    assertMatch(fifo.stderr, /insert: 0 chalked, 0 unchanged, 1 skipped/);
    const link = await box.chalk(["insert", "dangling"]);
    assertMatch(link.stderr, /dangling: broken symbolic link; skipped/);
    assertMatch(link.stderr, /insert: 0 chalked, 0 unchanged, 1 skipped/);
    const missing = await box.chalk(["insert", "no-such-file"]);
    assertEquals(missing.code, 1);
    assertMatch(missing.stderr, /error: .*no-such-file: No such file or directory/);
    for (const r of [fifo, link, missing]) noStackTrace(r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("an unreadable file is named with the reason and exit code 1", async () => {
  if (Deno.uid() !== 0) {
    console.log("skipped: needs root to drop privileges with setpriv");
    return;
  }
  const box = await sandbox();
  try {
    const dir = box.work;
    const secret = join(dir, "secret.sh");
    await Deno.writeTextFile(secret, "#!/bin/sh\necho hi\n", { mode: 0o000 });
    await Deno.chmod(secret, 0o000);
    const denoDir = await Deno.makeTempDir();
    // The other user may not reach this deno or this checkout (npx keeps deno under
    // /root/.npm): it runs copies of both from a folder it can read.
    const bin = await Deno.makeTempDir();
    await Deno.copyFile(Deno.execPath(), join(bin, "deno"));
    await Deno.copyFile(join(ROOT, "dist/chalk"), join(bin, "chalk"));
    for (const p of [box.home, dir, join(dir, ".."), denoDir]) await Deno.chmod(p, 0o777);
    await Deno.chmod(bin, 0o755);
    const r = await run("setpriv", [
      "--reuid=65534",
      "--regid=65534",
      "--clear-groups",
      join(bin, "chalk"),
      "insert",
      "secret.sh",
    ], { cwd: dir, env: { ...box.env, DENO_DIR: denoDir, PATH: `${bin}:/usr/bin:/bin` } });
    await Deno.remove(denoDir, { recursive: true });
    await Deno.remove(bin, { recursive: true });
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /error: .*secret\.sh: cannot read: permission denied/);
    noStackTrace(r.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("a script that is only a shebang is marked and still runs", async () => {
  const box = await sandbox();
  try {
    const script = join(box.work, "only.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\n", { mode: 0o755 });
    const r = await box.chalk(["insert", "only.sh"]);
    assertEquals(r.code, 0, r.stderr);
    const text = await Deno.readTextFile(script);
    assert(text.startsWith("#!/bin/sh\n"), text);
    assertEquals((await run(script, [])).code, 0);
    const d = await box.chalk(["delete", "only.sh"]);
    assertEquals(d.code, 0);
    assertEquals(await Deno.readTextFile(script), "#!/bin/sh\n");
  } finally {
    await box.cleanup();
  }
});

Deno.test("usage errors exit 2 with one line; bare chalk prints help", async () => {
  const box = await sandbox();
  try {
    const unknownCmd = await box.chalk(["frobnicate"]);
    assertEquals(unknownCmd.code, 2);
    assertMatch(unknownCmd.stderr, /^error: unknown command 'frobnicate'/);
    const unknownFlag = await box.chalk(["insert", "--frob"]);
    assertEquals(unknownFlag.code, 2);
    assertMatch(unknownFlag.stderr, /^error: unknown option '--frob'/);
    const help = await box.chalk([]);
    assertEquals(help.code, 0);
    assertMatch(help.stdout, /Usage: chalk/);
    for (const c of ["insert", "extract", "delete", "version", "help"]) {
      assertMatch(help.stdout, new RegExp(`\\n\\s+${c}\\b`));
    }
    const version = await box.chalk(["version"]);
    assertEquals(version.code, 0);
    assertMatch(version.stdout, /Chalk Version\s+0\.1\.0/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("an empty path (an unset variable) is a usage error: nothing marked, exit 2", async () => {
  const box = await sandbox();
  try {
    const script = join(box.work, "s.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const before = await sha256sum(script);
    // `chalk insert "$ARTIFACT"` with ARTIFACT unset marked everything under the working folder.
    for (const args of [["insert", ""], ["insert", "s.sh", ""], ["delete", ""], ["extract", ""]]) {
      const r = await box.chalk(args);
      assertEquals(r.code, 2, `${args}: ${r.stderr}`);
      assertMatch(r.stderr, new RegExp(`^error: ${args[0]}: an empty argument names no file`));
      assertEquals(r.stdout, "", `${args}`);
    }
    assertEquals(await sha256sum(script), before, "s.sh untouched");
    for (const args of [["dump", ""], ["load", ""], ["verify", ""]]) {
      const r = await box.chalk(args);
      assertEquals(r.code, 2, `${args}: ${r.stderr}`);
      assertMatch(r.stderr, /^error: \w+: an empty argument names no file/);
    }
    // A path option given an empty value: refused the same way (it meant the working folder).
    for (
      const args of [
        ["--config-file", "", "version"],
        ["--report-cache-file=", "extract", "s.sh"],
        ["verify", "s.sh", "--policy", ""],
        ["setup", "--key", "", "--pub", "x.pub"],
      ]
    ) {
      const r = await box.chalk(args);
      assertEquals(r.code, 2, `${args}: ${r.stderr}`);
      assertMatch(r.stderr, /^error: option '.*' argument '' is invalid\. the path is empty/);
    }
    // exec's arguments are the workload's: an empty one is passed on.
    const ex = await box.chalk(["exec", "--", "sh", "-c", 'test -z "$1"', "sh", ""]);
    assertEquals(ex.code, 0, ex.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("SIGKILL during insert leaves the original or the fully marked file", async () => {
  const box = await sandbox();
  try {
    // A 64 MB program, so that the write takes a while.
    const src = join(box.work, "big.c");
    await Deno.writeTextFile(
      src,
      "static volatile const char blob[64 * 1024 * 1024] = {1};\nint main(void) { return blob[0] - 1; }\n",
    );
    const path = join(box.work, "big");
    const original = join(box.work, "big.orig");
    await must("cc", ["-o", path, src]);
    await Deno.copyFile(path, original);
    const pristine = await sha256sum(path);
    for (const delay of [50, 150, 300, 600]) {
      const child = new Deno.Command(join(ROOT, "dist/chalk"), {
        args: ["insert", "big", "--skip-summary-report"],
        cwd: box.work,
        env: box.env,
        stdout: "null",
        stderr: "null",
      }).spawn();
      await new Promise((r) => setTimeout(r, delay));
      try {
        child.kill("SIGKILL");
      } catch { /* already finished */ }
      await child.status;
      const now = await sha256sum(path);
      if (now !== pristine) {
        const ext = await box.chalk(["extract", "big"]);
        assertMatch(ext.stderr, /big: Chalk mark extracted/, `delay ${delay}: torn file`);
        const full = JSON.parse(
          (await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"))).trimEnd().split("\n")
            .at(-1)!,
        )[0];
        assertEquals(full._CHALKS[0]._VALIDATED_METADATA, true);
        await Deno.copyFile(original, path);
      }
      assertEquals((await run(path, [], { cwd: box.work })).code, 0);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("insert as root keeps another user's file owned by that user", async () => {
  if (Deno.uid() !== 0) {
    console.log("skipped: needs root to own files as another user");
    return;
  }
  const box = await sandbox();
  try {
    const script = join(box.work, "theirs.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\necho theirs\n", { mode: 0o750 });
    await Deno.chown(script, 65534, 65534);
    const r = await box.chalk(["insert", "theirs.sh"]);
    assertEquals(r.code, 0, r.stderr);
    const st = await Deno.stat(script);
    assertEquals([st.uid, st.gid, st.mode! & 0o777], [65534, 65534, 0o750]);
    assertMatch(await Deno.readTextFile(script), /dadfedabbadabbed/);
  } finally {
    await box.cleanup();
  }
});
