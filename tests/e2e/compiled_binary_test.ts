/**
 * The `deno compile` shape of chalk (docs/decisions.md,
 * "Self is the running artifact": here self is an ELF whose payload is a
 * `.note.sui` section inside a PT_LOAD segment). A real compiled chalk needs
 * Deno's runtime download; when that is impossible, the ELF path is still
 * proven on a binary with the same layout, built by `deno compile` with the
 * local deno as its runtime (DENORT_BIN), whose payload must survive marking.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { must, ROOT, run, sandbox } from "./_chalk.ts";

async function dumpSection(path: string, section: string, out: string): Promise<Uint8Array> {
  await must("objcopy", ["--dump-section", `${section}=${out}`, path, join(out + ".elf")]);
  return await Deno.readFile(out);
}

Deno.test("a deno-compile-shaped ELF keeps its .note.sui payload through insert and delete", async () => {
  const box = await sandbox();
  try {
    const bin = join(box.work, "compiled");
    const built = await run(Deno.execPath(), [
      "compile",
      "-A",
      "--no-check",
      "-o",
      bin,
      join(ROOT, "fixtures/e2e/hello_deno.ts"),
    ], { env: { ...box.env, DENORT_BIN: Deno.execPath() }, cwd: ROOT });
    if (built.code !== 0) {
      console.log(`skipped: deno compile with the local runtime failed: ${built.stderr.trim()}`);
      return;
    }
    const payload = await dumpSection(bin, ".note.sui", join(box.work, "before.note"));
    assertEquals(payload.length > 1000, true);
    for (const step of ["insert", "insert", "delete", "insert"]) {
      const r = await box.chalk([step, bin]);
      assertEquals(r.code, 0, r.stderr);
      assertEquals((await run("readelf", ["-S", bin])).code, 0);
      const now = await dumpSection(bin, ".note.sui", join(box.work, `${step}.note`));
      assertEquals(now, payload, `payload intact after ${step}`);
      const v = await run(bin, ["--version"]);
      assertMatch(v.stdout, /deno \d/);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("chalk load on a real compiled chalk binary", async () => {
  const box = await sandbox();
  try {
    const bin = join(box.work, "chalk-bin");
    const built = await run(Deno.execPath(), ["compile", "-A", "--no-check", "-o", bin, "mod.ts"], {
      cwd: ROOT,
      env: box.env,
    });
    if (built.code !== 0) {
      console.log(
        "skipped: `deno compile` cannot fetch Deno's runtime on this machine (no network); " +
          "the ELF path is covered by the deno-compile-shaped test above",
      );
      return;
    }
    const conf = join(box.work, "demo.c4m");
    await Deno.writeTextFile(conf, 'log_level: "error"\n');
    const r = await run(bin, ["load", conf], { cwd: box.work, env: box.env });
    assertEquals(r.code, 0, r.stderr);
    assertEquals((await run(bin, ["dump"], { env: box.env })).stdout, 'log_level: "error"\n');
  } finally {
    await box.cleanup();
  }
});
