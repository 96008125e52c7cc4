/**
 * The zip codec in memory: HASH is the original's content hash (checked
 * against an independent Python implementation of its rule), stable across
 * the five states and independent of member order, timestamps and
 * compression; every output passes `unzip -t` and `python3 -m zipfile -t`;
 * damaged and hostile archives are refused with a reason, never misread.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CodecRefusal } from "../../codecs/codec.ts";
import { join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { isSlot } from "../../codecs/plan.ts";
import { createZipCodec, zipCodec } from "../../codecs/zip.ts";
import { concat, hashHex, insertBytes, refusedReason, removeBytes } from "./_in_memory.ts";

const FACTS = { path: "/w/app.zip", executable: false, chalking: true };
const MARK = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "X" }';
const MARK2 = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "A LONGER ONE", "N" : 12345 }';

async function python(script: string, cwd: string): Promise<string> {
  const out = await new Deno.Command("python3", { args: ["-c", script], cwd, stderr: "piped" })
    .output();
  const text = new TextDecoder();
  if (out.code !== 0) throw new Error(`python3 failed: ${text.decode(out.stderr)}`);
  return text.decode(out.stdout).trim();
}

/** The original's rule, written independently: sorted files, `len name len data`. */
const PY_HASH = `
import zipfile, hashlib, sys
z = zipfile.ZipFile(sys.argv[1] if len(sys.argv) > 1 else 'a.zip')
files = sorted([i for i in z.infolist() if not i.is_dir() and i.filename not in ('chalk.json', 'chalk')],
               key=lambda i: ('/' + i.filename).encode())
h = hashlib.sha256(); h.update(str(len(files)).encode())
for i in files:
    n = ('/' + i.filename).encode(); d = z.read(i)
    h.update(str(len(n)).encode()); h.update(n); h.update(str(len(d)).encode()); h.update(d)
print(h.hexdigest())
`;

async function tool(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  const t = new TextDecoder();
  return { code: o.code, out: t.decode(o.stdout) + t.decode(o.stderr) };
}

async function assertValidZip(dir: string, bytes: Uint8Array, name = "check.zip"): Promise<void> {
  const path = join(dir, name);
  await Deno.writeFile(path, bytes);
  const unzip = await tool("unzip", ["-tq", path]);
  assertEquals(unzip.code, 0, unzip.out);
  const py = await tool("python3", ["-m", "zipfile", "-t", path]);
  assertEquals(py.code, 0, py.out);
}

async function archives(dir: string): Promise<void> {
  await python(
    `
import zipfile, random
r = random.Random(7)
data = bytes(r.getrandbits(8) for _ in range(5000))
text = ('hello world ' * 500).encode()
with zipfile.ZipFile('a.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('b.txt', text)
    z.writestr('dir/', '')
    z.writestr('dir/x.bin', data, compress_type=zipfile.ZIP_STORED)
    z.writestr('empty', '')
    z.writestr('sub/chalk.json', 'not the mark')
# The same contents: other order, other times, other compression.
with zipfile.ZipFile('b.zip', 'w', zipfile.ZIP_STORED) as z:
    z.writestr(zipfile.ZipInfo('sub/chalk.json', (2001, 2, 3, 4, 5, 6)), 'not the mark')
    z.writestr(zipfile.ZipInfo('empty', (2001, 2, 3, 4, 5, 6)), '')
    z.writestr(zipfile.ZipInfo('dir/x.bin', (1999, 1, 1, 0, 0, 0)), data)
    z.writestr(zipfile.ZipInfo('b.txt', (2020, 1, 1, 0, 0, 0)), text, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
`,
    dir,
  );
}

Deno.test("zip HASH is the original's content hash, whatever the order, times and compression", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await archives(dir);
    const a = await Deno.readFile(join(dir, "a.zip"));
    const b = await Deno.readFile(join(dir, "b.zip"));
    assertEquals(zipCodec.detect(wholeView(a), FACTS), "ZIP");
    assertEquals(hashHex(zipCodec, a, FACTS), await python(PY_HASH, dir));
    assertEquals(hashHex(zipCodec, b, FACTS), hashHex(zipCodec, a, FACTS));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zip insert → re-insert → delete keeps HASH, passes unzip and python, restores the bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await archives(dir);
    const pristine = await Deno.readFile(join(dir, "a.zip"));
    const hash = hashHex(zipCodec, pristine, FACTS);
    const marked = insertBytes(zipCodec, pristine, MARK, FACTS);
    await assertValidZip(dir, marked);
    const found = zipCodec.findMark(wholeView(marked), FACTS);
    assertEquals(found?.mark.get("CHALK_ID"), "X");
    assertEquals(new TextDecoder().decode(marked.subarray(found!.start, found!.end)), MARK);
    const remarked = insertBytes(zipCodec, marked, MARK2, FACTS);
    await assertValidZip(dir, remarked);
    assertEquals(zipCodec.findMark(wholeView(remarked), FACTS)?.mark.get("N"), 12345n);
    const deleted = removeBytes(zipCodec, remarked, FACTS)!;
    for (const state of [marked, remarked, deleted]) {
      assertEquals(hashHex(zipCodec, state, FACTS), hash);
    }
    assertEquals(deleted, pristine, "delete gives back the archive byte for byte");
    assertEquals(removeBytes(zipCodec, pristine, FACTS), undefined, "nothing to delete");
    // Everything before the old central directory keeps its offsets: one range, then new bytes.
    const plan = zipCodec.insertPlan(wholeView(pristine), MARK.length, FACTS);
    assertEquals(plan[0], { from: 0, to: plan[0] && (plan[0] as { to: number }).to });
    assertEquals(plan.filter(isSlot).map((s) => s.slot), ["markCrc32", "mark", "markCrc32"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zip marks an archive with bytes after its end record, keeps them, and delete restores it", async () => {
  // Padding or data appended to a finished archive: unzip and Python read past it; chalk said
  // "no end of central directory record (a truncated archive, or not a zip)".
  const dir = await Deno.makeTempDir();
  try {
    await archives(dir);
    const plain = await Deno.readFile(join(dir, "a.zip"));
    const junk = new TextEncoder().encode("\0\0\0\0appended after the archive\n");
    const pristine = concat([plain, junk]);
    assertEquals(hashHex(zipCodec, pristine, FACTS), hashHex(zipCodec, plain, FACTS));
    const marked = insertBytes(zipCodec, pristine, MARK, FACTS);
    await assertValidZip(dir, marked);
    assertEquals(marked.subarray(marked.length - junk.length), junk, "the bytes after stay after");
    assertEquals(zipCodec.findMark(wholeView(marked), FACTS)?.mark.get("CHALK_ID"), "X");
    const remarked = insertBytes(zipCodec, marked, MARK2, FACTS);
    await assertValidZip(dir, remarked);
    assertEquals(hashHex(zipCodec, remarked, FACTS), hashHex(zipCodec, plain, FACTS));
    assertEquals(removeBytes(zipCodec, remarked, FACTS), pristine);
    // A truncated end record is still one: its comment cannot run past the end of the file.
    const commented = plain.slice();
    new DataView(commented.buffer).setUint16(commented.length - 2, 40, true);
    assertMatch(
      refusal(concat([commented, junk.subarray(0, 20)]), "findMark"),
      /no end of central/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zip reads a mark deflated by another tool, and replaces it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await python(
      `
import zipfile
with zipfile.ZipFile('m.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('chalk.json', ${JSON.stringify(MARK2)})
    z.writestr('a.txt', 'aaaa' * 100)
`,
      dir,
    );
    const bytes = await Deno.readFile(join(dir, "m.zip"));
    assertEquals(zipCodec.findMark(wholeView(bytes), FACTS)?.mark.get("CHALK_ID"), "A LONGER ONE");
    // The old mark is the first member: it is cut out, the members after it move up.
    const marked = insertBytes(zipCodec, bytes, MARK, FACTS);
    await assertValidZip(dir, marked);
    assertEquals(zipCodec.findMark(wholeView(marked), FACTS)?.mark.get("CHALK_ID"), "X");
    assertEquals(hashHex(zipCodec, marked, FACTS), hashHex(zipCodec, bytes, FACTS));
    await assertValidZip(dir, removeBytes(zipCodec, marked, FACTS)!);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zip handles a zipapp behind a shebang line and a Zip64 archive", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await python(
      `
import zipfile, zipapp, os
os.mkdir('app')
open('app/__main__.py', 'w').write('print("zipapp ran")')
zipapp.create_archive('app', 'app.pyz', interpreter='/usr/bin/env python3')
with zipfile.ZipFile('big.zip', 'w') as z:
    for i in range(65540):
        z.writestr('f%05d' % i, '')
`,
      dir,
    );
    const facts = { ...FACTS, path: "/w/app.pyz" };
    const pyz = await Deno.readFile(join(dir, "app.pyz"));
    assertEquals(zipCodec.detect(wholeView(pyz), facts), "ZIP");
    const marked = insertBytes(zipCodec, pyz, MARK, facts);
    assertEquals(new TextDecoder().decode(marked.subarray(0, 2)), "#!");
    await Deno.writeFile(join(dir, "marked.pyz"), marked);
    const ran = await tool("python3", [join(dir, "marked.pyz")]);
    assertEquals(ran.out.trim(), "zipapp ran");
    assertEquals(removeBytes(zipCodec, marked, facts), pyz);

    const big = await Deno.readFile(join(dir, "big.zip"));
    const bigMarked = insertBytes(zipCodec, big, MARK, FACTS);
    await assertValidZip(dir, bigMarked, "big-marked.zip");
    assertEquals(hashHex(zipCodec, bigMarked, FACTS), hashHex(zipCodec, big, FACTS));
    assertEquals(removeBytes(zipCodec, bigMarked, FACTS), big);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zip leaves a root chalk.json that is no mark alone: insert refuses, delete keeps it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await python(
      `
import zipfile
for name, method in (('stored.jar', zipfile.ZIP_STORED), ('deflated.jar', zipfile.ZIP_DEFLATED)):
    with zipfile.ZipFile(name, 'w', method) as z:
        z.writestr('chalk.json', '{"project": "settings"}\\n')
        z.writestr('A.class', 'x')
`,
      dir,
    );
    for (const name of ["stored.jar", "deflated.jar"]) {
      const bytes = await Deno.readFile(join(dir, name));
      const view = wholeView(bytes);
      assertEquals(zipCodec.findMark(view, FACTS), undefined, name);
      let thrown: unknown;
      try {
        zipCodec.insertPlan(view, MARK.length, FACTS);
      } catch (e) {
        thrown = e;
      }
      assert(thrown instanceof CodecRefusal, `${name}: ${thrown}`);
      assertMatch(thrown.message, /^zip: its root chalk\.json is not a chalk mark/);
      assertEquals(zipCodec.removePlan(view, FACTS), undefined, `${name}: nothing to delete`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const refused = refusedReason;

function refusal(bytes: Uint8Array, what: "findMark" | "hashPlan" | "insertPlan"): string {
  const view = wholeView(bytes);
  return refused(() => {
    if (what === "findMark") zipCodec.findMark(view, FACTS);
    else if (what === "hashPlan") zipCodec.hashPlan(view, FACTS);
    else zipCodec.insertPlan(view, MARK.length, FACTS);
  });
}

Deno.test("zip refuses damaged and hostile archives with a reason", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await archives(dir);
    const good = await Deno.readFile(join(dir, "a.zip"));
    // Truncated: the end record is gone.
    assertMatch(
      refusal(good.slice(0, good.length - 30), "findMark"),
      /no end of central directory/,
    );
    // A central directory offset past its own start.
    const far = good.slice();
    const eocd = far.length - 22;
    new DataView(far.buffer).setUint32(eocd + 16, 0x7fff0000, true);
    assertMatch(refusal(far, "findMark"), /points outside the file/);
    // A member that claims 4 GiB from a few hundred compressed bytes.
    await python(
      `
import zipfile
with zipfile.ZipFile('bomb.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('zeros', b'\\0' * 100000)
with zipfile.ZipFile('two.zip', 'w') as z:
    z.writestr('chalk.json', '{}')
    import warnings; warnings.simplefilter('ignore')
    z.writestr('chalk.json', '{}')
`,
      dir,
    );
    const bomb = await Deno.readFile(join(dir, "bomb.zip"));
    const cd = new DataView(bomb.buffer).getUint32(bomb.length - 22 + 16, true);
    new DataView(bomb.buffer).setUint32(cd + 24, 0xffffffff - 1, true); // 4 GiB claimed
    assertMatch(refusal(bomb, "hashPlan"), /more than deflate can produce/);
    const small = createZipCodec({ maxInflatedBytes: 1000 });
    const honest = await Deno.readFile(join(dir, "bomb.zip"));
    assertMatch(refused(() => small.hashPlan(wholeView(honest), FACTS)), /zip\.max_inflated_size/);
    // Two chalk.json members: which one is the mark?
    assertMatch(
      refusal(await Deno.readFile(join(dir, "two.zip")), "findMark"),
      /2 chalk\.json members/,
    );
    // Encrypted members cannot be hashed.
    await Deno.writeTextFile(join(dir, "secret.txt"), "secret");
    const zip = await tool("zip", [
      "-q",
      "-P",
      "pw",
      join(dir, "enc.zip"),
      join(dir, "secret.txt"),
    ]);
    assertEquals(zip.code, 0, zip.out);
    assertMatch(refusal(await Deno.readFile(join(dir, "enc.zip")), "hashPlan"), /is encrypted/);
    // A member whose data does not match its CRC-32 fails when hashed, naming it.
    const corrupt = good.slice();
    corrupt[30 + "b.txt".length + 5] ^= 0xff; // inside b.txt's deflated data, the first member
    assertMatch(refused(() => hashHex(zipCodec, corrupt, FACTS)), /member b\.txt/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("zip claims files by extension with PK or an end record, and types them as the original", () => {
  const empty = new Uint8Array([0x50, 0x4b, 5, 6, ...new Array(18).fill(0)]);
  const facts = (path: string) => ({ ...FACTS, path });
  assertEquals(zipCodec.detect(wholeView(empty), facts("/w/a.jar")), "JAR");
  assertEquals(zipCodec.detect(wholeView(empty), facts("/w/a.WAR")), "WAR");
  assertEquals(zipCodec.detect(wholeView(empty), facts("/w/a.pyz")), "ZIP");
  // Not wheels by default (docs/decisions.md 20): installed, their chalk.json members collide.
  assertEquals(zipCodec.detect(wholeView(empty), facts("/w/a.whl")), undefined);
  assertEquals(zipCodec.detect(wholeView(empty), facts("/w/model.pt")), "PyTorch checkpoint");
  assertEquals(zipCodec.detect(wholeView(empty), facts("/w/a.txt")), undefined);
  assertEquals(zipCodec.detect(wholeView(new Uint8Array(100)), facts("/w/a.zip")), undefined);
  const marked = insertBytes(zipCodec, empty, MARK, facts("/w/a.zip"));
  assertEquals(removeBytes(zipCodec, marked, facts("/w/a.zip")), empty);
});
