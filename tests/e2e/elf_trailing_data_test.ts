/**
 * An ELF that carries data appended after everything its headers describe
 * (as self-extracting programs do) keeps that data at the end of the file
 * through insert, re-insert and delete, and can still read it at run time.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { must, ROOT, run, sandbox } from "./_chalk.ts";

function trailer(payload: string): Uint8Array {
  const body = new TextEncoder().encode(payload);
  const out = new Uint8Array(body.length + 16);
  out.set(body);
  out.set(new TextEncoder().encode("CHALKTST"), body.length);
  new DataView(out.buffer).setBigUint64(body.length + 8, BigInt(body.length), true);
  return out;
}

Deno.test("ELF with trailing data: the program still finds its payload after every state", async () => {
  const box = await sandbox();
  try {
    const prog = join(box.work, "selfreader");
    await must("cc", ["-O1", "-o", prog, join(ROOT, "fixtures/e2e/self_reader.c")]);
    const base = await Deno.readFile(prog);
    const payload = "x".repeat(3000) + "-end-of-payload";
    const withTail = new Uint8Array(base.length + payload.length + 16);
    withTail.set(base);
    withTail.set(trailer(payload), base.length);
    await Deno.writeFile(prog, withTail, { mode: 0o755 });
    const expect = `payload: ${payload}\n`;
    assertEquals((await run(prog, [])).stdout, expect);

    const hashes: string[] = [];
    const hashOf = async () => {
      const lines = (await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"))).trimEnd()
        .split("\n");
      return JSON.parse(lines.at(-1)!)[0]._CHALKS[0].HASH as string;
    };
    for (const step of [["insert"], ["insert"], ["delete"], ["insert"]]) {
      const r = await box.chalk([...step, prog]);
      assertEquals(r.code, 0, r.stderr);
      if (step[0] === "insert") hashes.push(await hashOf());
      assertEquals((await run("readelf", ["-S", prog])).code, 0);
      const out = await run(prog, []);
      assertEquals([out.code, out.stdout], [0, expect], `after ${step[0]}`);
    }
    assertEquals(new Set(hashes).size, 1, `HASH stable: ${hashes}`);
    const ext = await box.chalk(["extract", prog]);
    assertMatch(ext.stderr, /selfreader: Chalk mark extracted/);
  } finally {
    await box.cleanup();
  }
});
