/**
 * The ELF five-state invariant through the real CLI (issue "Foundation"):
 * pristine, marked, re-marked with a longer mark, deleted, re-marked give
 * the same HASH; `readelf -S` accepts every state; the program still runs.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { gitCommitAll, must, ROOT, run, sandbox } from "./_chalk.ts";

type Json = Record<string, unknown>;

async function lastLogChalk(home: string): Promise<Json> {
  const lines = (await Deno.readTextFile(join(home, ".local/chalk/chalk.log"))).trimEnd().split(
    "\n",
  );
  return (JSON.parse(lines.at(-1)!)[0]._CHALKS as Json[])[0];
}

async function fiveStates(label: string, build: (dir: string) => Promise<string>, args: string[]) {
  const box = await sandbox();
  try {
    const prog = await build(box.work);
    const expected = await run(prog, args, { cwd: box.work });
    const hashes: string[] = [];
    const check = async (state: string) => {
      assertEquals((await run("readelf", ["-S", prog])).code, 0, `${label} ${state}: readelf`);
      const now = await run(prog, args, { cwd: box.work });
      assertEquals([now.code, now.stdout], [expected.code, expected.stdout], `${label} ${state}`);
    };
    // 1 marked
    assertEquals((await box.chalk(["insert", prog])).code, 0);
    hashes.push(String((await lastLogChalk(box.home)).HASH));
    await check("marked");
    // 2 re-marked with a longer mark: inside a git repository the mark gains the git keys
    const before = (await must("strings", [prog])).split("\n").find((l) => l.includes("MAGIC"))!;
    await Deno.writeTextFile(join(box.work, "README"), "x\n");
    await gitCommitAll(box.work, box.env);
    assertEquals((await box.chalk(["insert", prog])).code, 0);
    const after = (await must("strings", [prog])).split("\n").find((l) => l.includes("MAGIC"))!;
    assert(after.length > before.length + 40, "the second mark is longer");
    hashes.push(String((await lastLogChalk(box.home)).HASH));
    await check("re-marked");
    // 3 deleted
    assertEquals((await box.chalk(["delete", prog])).code, 0);
    await check("deleted");
    // 4 re-marked after delete
    assertEquals((await box.chalk(["insert", prog])).code, 0);
    hashes.push(String((await lastLogChalk(box.home)).HASH));
    await check("re-marked after delete");
    // the pristine HASH: chalk a fresh copy of the original build
    const fresh = await build(await Deno.makeTempDir({ dir: box.work }));
    assertEquals((await box.chalk(["insert", "--virtual", fresh])).code, 0);
    hashes.push(String((await lastLogChalk(box.home)).HASH));
    assert(/^[0-9a-f]{64}$/.test(hashes[0]));
    assertEquals(new Set(hashes).size, 1, `${label}: HASH differs across states: ${hashes}`);
    const ext = await box.chalk(["extract", prog]);
    assertEquals(ext.code, 0);
    assertEquals((await lastLogChalk(box.home))._VALIDATED_METADATA, true);
  } finally {
    await box.cleanup();
  }
}

const SRC = join(ROOT, "fixtures/e2e/lswrapper.c");

Deno.test("ELF five states keep HASH: gcc dynamic binary", async () => {
  await fiveStates("gcc", async (dir) => {
    const out = join(dir, "prog");
    await must("cc", ["-O1", "-o", out, SRC]);
    return out;
  }, ["/"]);
});

Deno.test("ELF five states keep HASH: static binary", async () => {
  const probe = await run("cc", ["-static", "-o", "/dev/null", SRC]);
  if (probe.code !== 0) {
    console.log("skipped: no static libc on this machine");
    return;
  }
  await fiveStates("static", async (dir) => {
    const out = join(dir, "prog");
    await must("cc", ["-static", "-o", out, SRC]);
    return out;
  }, ["/"]);
});

Deno.test("ELF five states keep HASH: a Go binary (docker client) if present", async () => {
  const candidates = ["/usr/bin/docker", "/usr/local/bin/docker", "/usr/bin/go"];
  const found = candidates.find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  if (!found) {
    console.log("skipped: no Go binary on this machine");
    return;
  }
  await fiveStates("go", async (dir) => {
    const out = join(dir, "goprog");
    await Deno.copyFile(found, out);
    return out;
  }, ["--version"]);
});
