/**
 * Files that are not plain artifacts (docs/files.md): sparse files stay
 * sparse, a named link to a folder is not followed and chalk says so,
 * chalk's own temporary files are never artifacts and stale ones are removed
 * (live ones are not), and chalk's own folder and log are kept private.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { elfCodec } from "../../codecs/elf.ts";
import { hashHex } from "../codecs/_in_memory.ts";
import { bigProgram, must, ROOT, run, sandbox, sha256sum } from "./_chalk.ts";

const MiB = 1024 * 1024;

async function allocated(path: string): Promise<number> {
  return (await Deno.stat(path)).blocks! * 512;
}

Deno.test("a sparse program stays sparse through insert and delete, with its dense twin's bytes and HASH", async () => {
  const box = await sandbox();
  try {
    const dense = await bigProgram(box.work, "dense", 64);
    const sparse = join(box.work, "sparse");
    await must("cp", ["--sparse=always", dense, sparse]);
    assert(await allocated(sparse) < 4 * MiB, "the copy has holes");
    const hash = hashHex(elfCodec, await Deno.readFile(dense));
    // Marks without time or random keys: both files get the same one.
    const config = join(box.work, "stable.c4m");
    await Deno.writeTextFile(config, 'outconf.insert.mark_template: "reproducable"\n');
    for (const op of ["insert", "delete"]) {
      const r = await box.chalk(["--config-file", config, op, "dense", "sparse"]);
      assertEquals(r.code, 0, r.stderr);
      assert(
        await allocated(sparse) < 4 * MiB,
        `after ${op}: ${await allocated(sparse)} bytes on disk`,
      );
      assertEquals(await sha256sum(sparse), await sha256sum(dense), `same bytes after ${op}`);
      assertEquals(hashHex(elfCodec, await Deno.readFile(sparse)), hash, `HASH after ${op}`);
      assertEquals((await run(sparse, [])).code, 0, `runs after ${op}`);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("a 1 GiB sparse script is marked at its end and stays sparse", async () => {
  const box = await sandbox();
  try {
    const script = join(box.work, "holey.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
    await must("truncate", ["-s", "1G", script]);
    const r = await box.chalk(["insert", "--skip-summary-report", "holey.sh"]);
    assertEquals(r.code, 0, r.stderr);
    const st = await Deno.stat(script);
    assert(st.size > 1024 * MiB, "the mark was appended");
    assert(st.blocks! * 512 < 4 * MiB, `${st.blocks! * 512} bytes on disk`);
    const ext = await box.chalk(["extract", "holey.sh"]);
    assertMatch(ext.stderr, /holey\.sh: Chalk mark extracted/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("insert on a link to a folder says that it is not followed", async () => {
  const box = await sandbox();
  try {
    await Deno.mkdir(join(box.work, "real"));
    await Deno.writeTextFile(join(box.work, "real", "a.sh"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.symlink(join(box.work, "real"), join(box.work, "link"));
    const r = await box.chalk(["insert", "link"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(
      r.stderr,
      /link: a symbolic link to a folder; not followed \(name the folder itself: .*\/real\)/,
    );
  } finally {
    await box.cleanup();
  }
});

Deno.test("chalk's temporary files are never artifacts; stale ones are removed, live ones kept", async () => {
  const box = await sandbox();
  try {
    const prog = join(box.work, "prog");
    await must("cc", ["-o", prog, join(ROOT, "fixtures/e2e/lswrapper.c")]);
    const stale = join(box.work, ".prog.chalk-1a2b3c.tmp");
    const live = join(box.work, ".prog.chalk-4d5e6f.tmp");
    await Deno.copyFile(prog, stale);
    await Deno.copyFile(prog, live);
    // A writer that is still at work holds its temporary file locked.
    const holder = new Deno.Command("flock", { args: ["-s", live, "sleep", "30"] }).spawn();
    try {
      await new Promise((r) => setTimeout(r, 300));
      const ext = await box.chalk(["extract", "."]);
      assert(!ext.stderr.includes(".chalk-"), `extract looked at a temporary file:\n${ext.stderr}`);
      const ins = await box.chalk(["insert", "prog"]);
      assertEquals(ins.code, 0, ins.stderr);
      assertMatch(
        ins.stderr,
        /\.prog\.chalk-1a2b3c\.tmp: removed, left by an interrupted chalk run/,
      );
      const names = [...Deno.readDirSync(box.work)].map((e) => e.name);
      assert(!names.includes(".prog.chalk-1a2b3c.tmp"), "the stale one is gone");
      assert(names.includes(".prog.chalk-4d5e6f.tmp"), "the live one stays");
    } finally {
      holder.kill();
      await holder.status;
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("chalk's own folder and log are tightened when others could read them", async () => {
  const box = await sandbox();
  try {
    const home = join(box.home, ".local/chalk");
    await Deno.mkdir(home, { recursive: true });
    await Deno.chmod(home, 0o755);
    await Deno.writeTextFile(join(home, "chalk.log"), "");
    await Deno.chmod(join(home, "chalk.log"), 0o644);
    await Deno.writeTextFile(join(box.work, "a.sh"), "#!/bin/sh\n", { mode: 0o755 });
    const first = await box.chalk(["insert", "a.sh"]);
    assertEquals(first.code, 0, first.stderr);
    assertMatch(first.stderr, /chalk's folder was open to others \(mode 0755\); now 0700/);
    assertMatch(first.stderr, /the report log was open to others \(mode 0644\); now 0600/);
    assertEquals((await Deno.stat(home)).mode! & 0o777, 0o700);
    assertEquals((await Deno.stat(join(home, "chalk.log"))).mode! & 0o777, 0o600);
    const second = await box.chalk(["extract", "a.sh"]);
    assert(!second.stderr.includes("open to others"), "said once, then nothing to say");
  } finally {
    await box.cleanup();
  }
});
