/**
 * chalk rewrites a file only when it could write it in place, and keeps its
 * owner, group and mode, or refuses and says why (docs/files.md, "Who may
 * mark a file"). Run as `nobody` through setpriv, so these tests need root.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, run, type Sandbox, sandbox, sha256sum } from "./_chalk.ts";
import { WORKER_AFTER } from "../../ops/write_behind.ts";

const NOBODY = 65534;

/** Runs dist/chalk as nobody (copies of deno and chalk it can reach). */
async function asNobody(box: Sandbox): Promise<(args: string[]) => ReturnType<typeof run>> {
  const bin = join(box.home, "..", "bin");
  const denoDir = join(box.home, "..", "deno-dir");
  await Deno.mkdir(bin);
  await Deno.mkdir(denoDir);
  await Deno.copyFile(Deno.execPath(), join(bin, "deno"));
  await Deno.copyFile(CHALK, join(bin, "chalk"));
  for (const p of [box.home, box.work, join(box.work, ".."), denoDir]) await Deno.chmod(p, 0o777);
  await Deno.chmod(bin, 0o755);
  const env = { ...box.env, DENO_DIR: denoDir, PATH: `${bin}:/usr/bin:/bin` };
  return (args) =>
    run("setpriv", [
      `--reuid=${NOBODY}`,
      `--regid=${NOBODY}`,
      "--clear-groups",
      join(bin, "chalk"),
      ...args,
    ], { cwd: box.work, env });
}

async function script(dir: string, name: string, mode: number, uid: number, gid: number) {
  const path = join(dir, name);
  await Deno.writeTextFile(path, `#!/bin/sh\necho ${name}\n`);
  await Deno.chown(path, uid, gid);
  await Deno.chmod(path, mode);
  return path;
}

async function facts(path: string): Promise<[number, number, number, string]> {
  const st = await Deno.stat(path);
  return [st.uid!, st.gid!, st.mode! & 0o7777, await sha256sum(path)];
}

function skipUnlessRoot(): boolean {
  if (Deno.uid() === 0) return false;
  console.log("SKIPPED: needs root to own files as other users and to drop privileges");
  return true;
}

Deno.test("as nobody, insert skips files it could not write in place, says why, changes nothing", async () => {
  if (skipUnlessRoot()) return;
  const box = await sandbox();
  try {
    const chalk = await asNobody(box);
    const roots = await script(box.work, "roots.sh", 0o755, 0, 0);
    const readOnly = await script(box.work, "readonly.sh", 0o555, NOBODY, NOBODY);
    const foreignGroup = await script(box.work, "group.sh", 0o750, NOBODY, 0);
    const before = await Promise.all([roots, readOnly, foreignGroup].map(facts));

    const named = await chalk(["insert", "roots.sh"]);
    assertEquals(named.code, 1, named.stderr);
    assertMatch(named.stderr, /roots\.sh: skipped: owned by uid 0; a rewritten copy would belong/);
    // The summary says why the run exits 1 (it said "1 unchanged" and no failure).
    assertMatch(named.stderr, /info: {2}insert: 0 chalked, 0 unchanged, 0 skipped, 1 failed in /);

    const walk = await chalk(["insert", "."]);
    assertEquals(walk.code, 0, "found by a walk, a skipped file is not a failure");
    assertMatch(walk.stderr, /roots\.sh: skipped: owned by uid 0/);
    assertMatch(walk.stderr, /readonly\.sh: skipped: read-only \(mode 0555\)/);
    assertMatch(walk.stderr, /group\.sh: skipped: cannot keep its group \(gid 0\)/);
    assertMatch(walk.stderr, /info: {2}insert: 0 chalked, 3 unchanged, 0 skipped in /);
    const log = await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"));
    const report = JSON.parse(log.trimEnd().split("\n").at(-1)!)[0];
    for (const name of ["roots.sh", "readonly.sh", "group.sh"]) {
      assert(
        (report._UNMARKED as string[]).some((p) => p.endsWith(`/${name}`)),
        `${name} listed as unmarked`,
      );
    }
    assertEquals(await Promise.all([roots, readOnly, foreignGroup].map(facts)), before);
    const left = [...Deno.readDirSync(box.work)].filter((e) => e.name.includes(".chalk-"));
    assertEquals(left, [], "no temporary file stays behind a refusal");
  } finally {
    await box.cleanup();
  }
});

Deno.test("as nobody, insert and delete keep owner, group and mode of files it may write", async () => {
  if (skipUnlessRoot()) return;
  const box = await sandbox();
  try {
    const chalk = await asNobody(box);
    const mine = await script(box.work, "mine.sh", 0o750, NOBODY, NOBODY);
    const pristine = await sha256sum(mine);
    const ins = await chalk(["insert", "mine.sh"]);
    assertEquals(ins.code, 0, ins.stderr);
    const [uid, gid, mode, sum] = await facts(mine);
    assertEquals([uid, gid, mode], [NOBODY, NOBODY, 0o750]);
    assert(sum !== pristine, "marked");
    const del = await chalk(["delete", "mine.sh"]);
    assertEquals(del.code, 0, del.stderr);
    assertEquals(await facts(mine), [NOBODY, NOBODY, 0o750, pristine]);
  } finally {
    await box.cleanup();
  }
});

Deno.test("as root, insert keeps set-id bits, owner and group of another user's program", async () => {
  if (skipUnlessRoot()) return;
  const box = await sandbox();
  try {
    const prog = await script(box.work, "setgid.sh", 0o2755, NOBODY, 0);
    const r = await box.chalk(["insert", "setgid.sh"]);
    assertEquals(r.code, 0, r.stderr);
    const [uid, gid, mode] = await facts(prog);
    assertEquals([uid, gid, mode], [NOBODY, 0, 0o2755]);
  } finally {
    await box.cleanup();
  }
});

Deno.test("as nobody, a walk of many scripts says why each one was skipped or failed, in walk order", async () => {
  if (skipUnlessRoot()) return;
  // The worker whatever this file system's speed (ops/write_behind.ts, SLOW_WRITE_MS).
  const box = await sandbox({ CHALK_TS_WRITE_BEHIND: "worker" });
  try {
    const chalk = await asNobody(box);
    // Past WORKER_AFTER the new files are written on a second thread (ops/write_behind.ts):
    // refusals and failures found there must come out where the walk met their files.
    const count = WORKER_AFTER + 60;
    const name = (i: number) => `s${String(i).padStart(4, "0")}.sh`;
    const readOnly = name(WORKER_AFTER + 20);
    const foreignGroup = name(WORKER_AFTER + 21);
    for (let i = 0; i < count; i++) {
      const [mode, gid] = name(i) === readOnly
        ? [0o555, NOBODY]
        : name(i) === foreignGroup
        ? [0o750, 0]
        : [0o755, NOBODY];
      await script(box.work, name(i), mode, NOBODY, gid);
    }
    // A folder nobody may not write, holding scripts nobody owns: their new files cannot be made.
    const locked = join(box.work, `${name(WORKER_AFTER + 30)}.d`);
    await Deno.mkdir(locked, { mode: 0o755 });
    for (const n of ["a.sh", "b.sh"]) await script(locked, n, 0o755, NOBODY, NOBODY);
    const groupBefore = await facts(join(box.work, foreignGroup));

    const ins = await chalk(["insert", "."]);
    assertEquals(ins.code, 1, "a file that could not be written fails the run");
    const line =
      /^(?:info|warn|error): +(.*?): (?:chalk mark successfully added|skipped: .*|insertion failed: .*)$/;
    const told = ins.stderr.split("\n").flatMap((l) => l.match(line)?.[1] ?? []);
    assertMatch(ins.stderr, new RegExp(`${readOnly}: skipped: read-only \\(mode 0555\\)`));
    assertMatch(
      ins.stderr,
      new RegExp(`${foreignGroup}: skipped: cannot keep its group \\(gid 0\\)`),
    );
    // The path once: the reason does not repeat it.
    assertMatch(ins.stderr, /\/a\.sh: insertion failed: cannot write: permission denied\n/);
    assertEquals(await facts(join(box.work, foreignGroup)), groupBefore);

    const ext = await chalk(["extract", "--log-level", "trace", "."]);
    const seen = /^(?:info|trace): +(.*?): (?:Chalk mark extracted|Artifact is unchalked)$/;
    const walked = ext.stderr.split("\n").flatMap((l) => l.match(seen)?.[1] ?? []);
    assertEquals(told.length, count + 2);
    assertEquals(told, walked, "one line per file, in the order of the walk");
    const left = [...Deno.readDirSync(box.work)].filter((e) => e.name.includes(".chalk-"));
    assertEquals(left, [], "no temporary file stays behind");
  } finally {
    await box.cleanup();
  }
});

Deno.test("under umask 077, insert and delete keep every mode, on both threads", async () => {
  // New files are created with the mode they will keep, then changed only where the umask (or a
  // set-id bit, or write access for others) made them differ (ops/temp_file.ts, createTemp).
  const box = await sandbox({ CHALK_TS_WRITE_BEHIND: "worker" });
  try {
    const modes = [0o755, 0o644, 0o700, 0o666, 0o4755, 0o2750, 0o640];
    const count = WORKER_AFTER + 2 * modes.length;
    const name = (i: number) => `s${String(i).padStart(4, "0")}.sh`;
    for (let i = 0; i < count; i++) {
      await script(box.work, name(i), modes[i % modes.length], Deno.uid()!, Deno.gid()!);
    }
    const underUmask = (args: string[]) =>
      run("sh", ["-c", 'umask 077 && exec "$0" "$@"', CHALK, ...args], {
        cwd: box.work,
        env: box.env,
      });
    for (const op of ["insert", "delete"]) {
      const r = await underUmask([op, "."]);
      assertEquals(r.code, 0, r.stderr);
      for (let i = 0; i < count; i++) {
        const mode = (await Deno.stat(join(box.work, name(i)))).mode! & 0o7777;
        assertEquals(mode.toString(8), modes[i % modes.length].toString(8), `${op} ${name(i)}`);
      }
    }
  } finally {
    await box.cleanup();
  }
});
