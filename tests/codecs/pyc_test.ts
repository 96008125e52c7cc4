/**
 * The bytecode codec in memory: the mark goes after the code object, the
 * interpreter still imports the module, HASH is stable, delete restores the
 * bytes, and bytecode of another Python version round-trips untouched.
 */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { pycCodec } from "../../codecs/pyc.ts";
import { hashHex, insertBytes, removeBytes } from "./_in_memory.ts";

const MARK = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "PYC" }';
const MARK2 = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "PYC, AGAIN" }';

async function py(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  const o = await new Deno.Command("python3", { args, cwd, stdout: "piped", stderr: "piped" })
    .output();
  const t = new TextDecoder();
  return { code: o.code, out: (t.decode(o.stdout) + t.decode(o.stderr)).trim() };
}

Deno.test("pyc: a marked module still imports; five states keep HASH; delete restores it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A constant that looks like a mark sits inside the code object: not the file's mark.
    await Deno.writeTextFile(
      join(dir, "greet.py"),
      `FAKE = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "INSIDE" }'\nprint("greet ran")\n`,
    );
    const c = await py(
      ["-c", "import py_compile; py_compile.compile('greet.py', 'greet.pyc')"],
      dir,
    );
    assertEquals(c.code, 0, c.out);
    await Deno.remove(join(dir, "greet.py"));
    const facts = { path: join(dir, "greet.pyc"), executable: false, chalking: true };
    const pristine = await Deno.readFile(join(dir, "greet.pyc"));
    const view = wholeView(pristine);
    assertEquals(pycCodec.detect(view, facts), "Python Bytecode");
    assertEquals(pycCodec.findMark(view, facts), undefined, "a constant is not the mark");
    const marked = insertBytes(pycCodec, pristine, MARK, facts);
    await Deno.writeFile(join(dir, "greet.pyc"), marked);
    const ran = await py(["-c", "import greet"], dir);
    assertEquals(ran, { code: 0, out: "greet ran" });
    const remarked = insertBytes(pycCodec, marked, MARK2, facts);
    assertEquals(pycCodec.findMark(wholeView(remarked), facts)?.mark.get("CHALK_ID"), "PYC, AGAIN");
    const deleted = removeBytes(pycCodec, remarked, facts)!;
    const hash = hashHex(pycCodec, pristine, facts);
    for (const s of [marked, remarked, deleted]) assertEquals(hashHex(pycCodec, s, facts), hash);
    assertEquals(deleted, pristine);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pyc: bytecode of another Python version round-trips; a .pyd DLL is not claimed", () => {
  // Python 3.6's header (magic 3379) and a few bytes of code.
  const old = new Uint8Array([0x33, 0x0d, 0x0d, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8, 0xe3, 0, 0, 0]);
  const facts = { path: "/w/old.pyc", executable: false, chalking: true };
  assertEquals(pycCodec.detect(wholeView(old), facts), "Python Bytecode");
  const marked = insertBytes(pycCodec, old, MARK, facts);
  assertEquals(marked.subarray(0, old.length), old);
  assertEquals(removeBytes(pycCodec, marked, facts), old);
  const dll = new TextEncoder().encode("MZ\x90\x00 a Windows DLL named .pyd");
  assertEquals(pycCodec.detect(wholeView(dll), { ...facts, path: "/w/ext.pyd" }), undefined);
});
