import {
  assert,
  assertEquals,
  assertNotStrictEquals,
  assertStrictEquals,
  assertThrows,
} from "../_assert.ts";
import { createHash } from "node:crypto";
import { wholeView } from "../../codecs/byte_view.ts";
import { elfCodec } from "../../codecs/elf.ts";
import { wholeArtifact } from "../../codecs/plan.ts";
import { concat, hashHex, hashInput, insertBytes, removeBytes } from "./_in_memory.ts";
import { CodecError } from "../../codecs/codec.ts";
import { parseMarkJson } from "../../codecs/mark_json.ts";
import { writeMarkJson } from "../../codecs/mark_json.ts";
import { chalkIdFromHash } from "../../codecs/identity.ts";
import { toHex } from "../../internal/hex.ts";
import { syntheticElf } from "../../fixtures/codecs/synthetic_elf.ts";
import { isMarkDict, type MarkDict, type MarkValue } from "../../codecs/mark_value.ts";

const FIXTURES = new URL("../../fixtures/codecs/", import.meta.url);
const FACTS = { path: "prog", executable: true, chalking: true };
const decoder = new TextDecoder();

function hashOf(bytes: Uint8Array): string {
  return hashHex(elfCodec, bytes);
}

async function run(
  cmd: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const o = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  return { code: o.code, out: decoder.decode(o.stdout), err: decoder.decode(o.stderr) };
}

async function commandExists(cmd: string): Promise<boolean> {
  try {
    return (await run("sh", ["-c", `command -v ${cmd}`])).code === 0;
  } catch {
    return false;
  }
}

/** Compiles a fixture into `dir`; undefined when the compiler (or static libc) is missing. */
async function compile(
  dir: string,
  fixture: string,
  extra: string[] = [],
): Promise<string | undefined> {
  if (!(await commandExists("cc"))) return undefined;
  const suffix = extra.map((f) => f.replace(/[^a-z]/g, "")).join("_");
  const out = `${dir}/${fixture.replace(/\.c$/, "")}${suffix ? `_${suffix}` : ""}`;
  const r = await run("cc", [...extra, "-O1", "-o", out, new URL(fixture, FIXTURES).pathname]);
  return r.code === 0 ? out : undefined;
}

/** `readelf -S -W` must accept the file silently; returns the offset of a named section. */
async function readelfSectionOffset(path: string, name: string): Promise<number | undefined> {
  const r = await run("readelf", ["-S", "-W", path]);
  assertStrictEquals(r.code, 0, `readelf -S exit code on ${path}: ${r.err}`);
  assertStrictEquals(r.err, "", `readelf -S complained about ${path}`);
  const line = r.out.split("\n").find((l) => l.includes(` ${name} `));
  if (!line) return undefined;
  const fields = line.slice(line.indexOf(name) + name.length).trim().split(/\s+/);
  return parseInt(fields[2], 16); // type, address, offset
}

function markText(id: string, padding: number): string {
  const mark: MarkDict = new Map<string, MarkValue>([
    ["MAGIC", "dadfedabbadabbed"],
    ["CHALK_ID", id],
    ["CHALK_VERSION", "0.1.0"],
    ["X-PADDING", "p".repeat(padding)],
  ]);
  return writeMarkJson(mark);
}

async function writeExe(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.writeFile(path, bytes, { mode: 0o755 });
}

/**
 * The five-state invariant: pristine, marked, re-marked with a longer mark,
 * deleted, re-marked. HASH identical everywhere, readelf accepts every
 * output, the program prints the same thing.
 */
async function fiveStates(dir: string, exe: string, args: string[] | undefined): Promise<void> {
  const pristine = await Deno.readFile(exe);
  assertStrictEquals(elfCodec.detect(wholeView(pristine), FACTS), "ELF");
  assertStrictEquals(elfCodec.findMark(wholeView(pristine)), undefined);
  const expected = args ? await run(exe, args) : undefined;
  assertStrictEquals(expected?.code ?? 0, 0);
  const hash = hashOf(pristine);
  const check = async (label: string, bytes: Uint8Array, mark: string | undefined) => {
    const path = `${dir}/${label}`;
    await writeExe(path, bytes);
    assertStrictEquals(elfCodec.detect(wholeView(bytes), FACTS), "ELF", label);
    assertStrictEquals(hashOf(bytes), hash, `HASH after ${label}`);
    const section = mark === undefined ? ".chalk.free" : ".chalk.mark";
    const offset = await readelfSectionOffset(path, section);
    assert(offset !== undefined, `${section} listed by readelf after ${label}`);
    const found = elfCodec.findMark(wholeView(bytes));
    if (mark === undefined) {
      assertStrictEquals(found, undefined, label);
      // The 32 placeholder bytes hold the raw digest of everything else.
      const digest = createHash("sha256").update(bytes.subarray(0, offset))
        .update(bytes.subarray(offset + 32)).digest("hex");
      assertStrictEquals(digest, hash, `.chalk.free digest after ${label}`);
      assertStrictEquals(toHex(bytes.subarray(offset, offset + 32)), hash);
    } else {
      assert(found, `mark found after ${label}`);
      assertStrictEquals(found.start, offset);
      assertStrictEquals(decoder.decode(bytes.subarray(found.start, found.end)), mark);
      assertEquals(found.mark, parseMarkJson(new TextEncoder().encode(mark), 0).value);
    }
    if (!args || !expected) return; // not a program (shared object)
    const got = await run(path, args);
    assertEquals({ code: got.code, out: got.out }, { code: 0, out: expected.out }, label);
  };

  const mark1 = markText(chalkIdFromHash(hash), 10);
  const marked = insertBytes(elfCodec, pristine, mark1, FACTS);
  await check("marked", marked, mark1);
  const mark2 = markText(chalkIdFromHash(hash), 3000);
  const remarked = insertBytes(elfCodec, marked, mark2, FACTS);
  await check("remarked", remarked, mark2);
  const deleted = removeBytes(elfCodec, remarked, FACTS);
  assert(deleted);
  await check("deleted", deleted, undefined);
  assertStrictEquals(
    removeBytes(elfCodec, deleted, FACTS),
    undefined,
    "deleting twice changes nothing",
  );
  assertStrictEquals(removeBytes(elfCodec, pristine, FACTS), undefined, "nothing to remove");
  const mark3 = markText("SHORT", 0);
  const again = insertBytes(elfCodec, deleted, mark3, FACTS);
  await check("again", again, mark3);
  assertNotStrictEquals(hashOf(pristine), createHash("sha256").update(pristine).digest("hex"));
}

Deno.test("elf codec keeps HASH across the five states of a gcc-built program", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const exe = await compile(dir, "hello.c");
    if (!exe) {
      console.log("SKIPPED: no working `cc` on this machine");
      return;
    }
    await fiveStates(dir, exe, ["one", "two"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("elf codec keeps HASH across the five states of a static binary", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const exe = await compile(dir, "hello.c", ["-static"]);
    if (!exe) {
      console.log("SKIPPED: `cc -static` does not work here (no static libc?)");
      return;
    }
    await fiveStates(dir, exe, ["static"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("elf codec keeps HASH across the five states of a shared object", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const so = await compile(dir, "hello.c", ["-shared", "-fPIC"]);
    if (!so) {
      console.log("SKIPPED: `cc -shared` does not work here");
      return;
    }
    await fiveStates(dir, so, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("elf codec declines relocatable objects without program headers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const obj = await compile(dir, "hello.c", ["-c"]);
    if (!obj) {
      console.log("SKIPPED: `cc -c` does not work here");
      return;
    }
    const bytes = await Deno.readFile(obj);
    assertStrictEquals(bytes[0x10], 1, "ET_REL");
    expectDeclined(bytes, ".o file");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const GO_CANDIDATES = ["/usr/local/bin/docker", "/usr/bin/docker"];

async function findGoBinary(): Promise<string | undefined> {
  for (const p of GO_CANDIDATES) {
    try {
      const bytes = await Deno.readFile(p);
      if (new TextDecoder("latin1").decode(bytes).includes("\xff Go buildinf:")) {
        return p;
      }
    } catch {
      // not there
    }
  }
  return undefined;
}

Deno.test("elf codec keeps HASH across the five states of a Go binary (copy of docker)", async () => {
  const source = await findGoBinary();
  if (!source) {
    console.log(`SKIPPED: no Go binary found (looked at ${GO_CANDIDATES.join(", ")})`);
    return;
  }
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_go_" });
  try {
    const exe = `${dir}/docker`;
    await Deno.copyFile(source, exe);
    await fiveStates(dir, exe, ["--version"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("elf codec ignores MAGIC bytes outside a chalk section", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const exe = await compile(dir, "with_magic.c");
    if (!exe) {
      console.log("SKIPPED: no working `cc` on this machine");
      return;
    }
    const bytes = await Deno.readFile(exe);
    assert(decoder.decode(bytes).includes('{ "MAGIC" : "dadfedabbadabbed" }'));
    assertStrictEquals(elfCodec.detect(wholeView(bytes), FACTS), "ELF");
    assertStrictEquals(elfCodec.findMark(wholeView(bytes)), undefined);
    const mark = markText("ID", 1);
    const marked = insertBytes(elfCodec, bytes, mark, FACTS);
    assertStrictEquals(
      decoder.decode(
        marked.subarray(
          elfCodec.findMark(wholeView(marked))!.start,
          elfCodec.findMark(wholeView(marked))!.end,
        ),
      ),
      mark,
    );
    // A mark appended after the section table is not in a section either.
    const appended = concat([bytes, new TextEncoder().encode(mark)]);
    assertStrictEquals(elfCodec.detect(wholeView(appended), FACTS), "ELF");
    assertStrictEquals(elfCodec.findMark(wholeView(appended)), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function helloBytes(): Promise<Uint8Array | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const exe = await compile(dir, "hello.c");
    return exe ? await Deno.readFile(exe) : undefined;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function patched(bytes: Uint8Array, at: number, write: (v: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  write(new DataView(copy.buffer, at));
  return copy;
}

function expectDeclined(bytes: Uint8Array, label: string): void {
  assertStrictEquals(elfCodec.detect(wholeView(bytes), FACTS), undefined, label);
  assertStrictEquals(elfCodec.findMark(wholeView(bytes)), undefined, label);
  assertEquals(elfCodec.hashPlan(wholeView(bytes)), wholeArtifact(bytes.length), label);
  assertThrows(() => insertBytes(elfCodec, bytes, markText("X", 0), FACTS), CodecError, label);
}

Deno.test("elf codec declines empty, truncated and absurd ELF headers without throwing", async () => {
  const bytes = await helloBytes();
  if (!bytes) {
    console.log("SKIPPED: no working `cc` on this machine");
    return;
  }
  expectDeclined(new Uint8Array(0), "empty");
  expectDeclined(bytes.subarray(0, 64), "64 bytes");
  expectDeclined(bytes.subarray(0, 100), "first 100 bytes");
  expectDeclined(bytes.subarray(0, bytes.length - 100), "tail cut off");
  expectDeclined(patched(bytes, 0x28, (v) => v.setBigUint64(0, 1n << 63n, true)), "e_shoff 2^63");
  expectDeclined(
    patched(bytes, 0x28, (v) => v.setBigUint64(0, 0xffffffffffffffffn, true)),
    "e_shoff max",
  );
  expectDeclined(patched(bytes, 0x28, (v) => v.setBigUint64(0, 8n, true)), "e_shoff in header");
  expectDeclined(patched(bytes, 0x20, (v) => v.setBigUint64(0, 1n << 62n, true)), "e_phoff absurd");
  expectDeclined(patched(bytes, 0x20, (v) => v.setBigUint64(0, 0n, true)), "no program headers");
  expectDeclined(patched(bytes, 0x38, (v) => v.setUint16(0, 0xffff, true)), "e_phnum PN_XNUM");
  expectDeclined(patched(bytes, 0x38, (v) => v.setUint16(0, 0xfffe, true)), "e_phnum huge");
  expectDeclined(
    patched(bytes, 0x3c, (v) => v.setUint16(0, 1024, true)),
    "1024 sections [16-bit wrap]",
  );
  expectDeclined(patched(bytes, 0x3e, (v) => v.setUint16(0, 0, true)), "e_shstrndx 0");
  expectDeclined(patched(bytes, 0x04, (v) => v.setUint8(0, 1)), "ELFCLASS32");
  expectDeclined(patched(bytes, 0x05, (v) => v.setUint8(0, 2)), "big-endian");
  expectDeclined(patched(bytes, 0x10, (v) => v.setUint16(0, 4, true)), "core file");
  const shoff = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0x28, true));
  expectDeclined(
    patched(bytes, shoff + 64 + 0x18, (v) => v.setBigUint64(0, 1n << 60n, true)),
    "section offset absurd",
  );
});

Deno.test("elf codec survives random header corruption (seeded fuzz)", async () => {
  const bytes = await helloBytes();
  if (!bytes) {
    console.log("SKIPPED: no working `cc` on this machine");
    return;
  }
  const marked = insertBytes(elfCodec, bytes, markText("F", 5), FACTS);
  let seed = 0x2545f491;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const shoff = Number(new DataView(marked.buffer).getBigUint64(0x28, true));
  let claimed = 0;
  for (let i = 0; i < 1500; i++) {
    const copy = marked.slice();
    for (let k = 0; k < 1 + rand(4); k++) {
      const at = rand(2) === 0 ? rand(64) : shoff + rand(marked.length - shoff);
      copy[at] = rand(256);
    }
    if (elfCodec.detect(wholeView(copy), FACTS) === undefined) continue;
    claimed++;
    elfCodec.findMark(wholeView(copy));
    hashInput(elfCodec, copy);
    try {
      const out = insertBytes(elfCodec, copy, markText("G", 1), FACTS);
      assertStrictEquals(
        elfCodec.detect(wholeView(out), FACTS),
        "ELF",
        `re-parse after insert, case ${i}`,
      );
      removeBytes(elfCodec, copy, FACTS);
    } catch (e) {
      assert(e instanceof CodecError, `unexpected ${e}`);
    }
  }
  assert(claimed > 100, `only ${claimed} mutated files were claimed`);
});

Deno.test("elf codec refuses the replace path on a reordered tail and falls back to the file hash", async () => {
  const bytes = await helloBytes();
  if (!bytes) {
    console.log("SKIPPED: no working `cc` on this machine");
    return;
  }
  const marked = insertBytes(elfCodec, bytes, markText("R", 5), FACTS);
  const view = new DataView(marked.buffer);
  const shoff = Number(view.getBigUint64(0x28, true));
  const shnum = view.getUint16(0x3c, true);
  // Point the .chalk.mark header at the ELF program header table area.
  let chalkHeader = -1;
  for (let i = 0; i < shnum; i++) {
    const h = shoff + 64 * i;
    if (view.getUint32(h + 4, true) === 1 && view.getBigUint64(h + 0x20, true) > 20n) {
      const off = Number(view.getBigUint64(h + 0x18, true));
      if (decoder.decode(marked.subarray(off, off + 11)) === '{ "MAGIC" :') chalkHeader = h;
    }
  }
  assert(chalkHeader > 0);
  const broken = marked.slice();
  new DataView(broken.buffer).setBigUint64(chalkHeader + 0x18, 64n, true);
  assertStrictEquals(elfCodec.detect(wholeView(broken), FACTS), "ELF");
  assertStrictEquals(elfCodec.findMark(wholeView(broken)), undefined);
  assertEquals(elfCodec.hashPlan(wholeView(broken)), wholeArtifact(broken.length));
  assertThrows(() => insertBytes(elfCodec, broken, markText("S", 1), FACTS), CodecError);
  assertThrows(() => removeBytes(elfCodec, broken, FACTS), CodecError);
});

Deno.test("elf codec marks are found only when the section starts like a mark", async () => {
  const bytes = await helloBytes();
  if (!bytes) {
    console.log("SKIPPED: no working `cc` on this machine");
    return;
  }
  for (
    const text of ['\n\t { "MAGIC" : "dadfedabbadabbed", "A" : 1 }', '{"MAGIC":"dadfedabbadabbed"}']
  ) {
    const marked = insertBytes(elfCodec, bytes, text, FACTS);
    const found = elfCodec.findMark(wholeView(marked));
    assert(found && isMarkDict(found.mark), JSON.stringify(text));
  }
  const notMark = insertBytes(elfCodec, bytes, '{ "MAGIC" : "dadfedabbadabbed", "A" : }', FACTS);
  assertStrictEquals(
    elfCodec.findMark(wholeView(notMark)),
    undefined,
    "broken JSON after MAGIC is unmarked",
  );
  const noMagic = insertBytes(elfCodec, bytes, '{ "OTHER" : "dadfedabbadabbed" }', FACTS);
  assertStrictEquals(elfCodec.findMark(wholeView(noMagic)), undefined);
  assertStrictEquals(hashOf(noMagic), hashOf(bytes));
});

Deno.test("elf codec appends at EOF when a segment covers the section table", async () => {
  const pristine = syntheticElf(1000, 0xab, true);
  const dir = await Deno.makeTempDir({ prefix: "chalk_elf_" });
  try {
    const hash = hashOf(pristine);
    const shoff = Number(new DataView(pristine.buffer).getBigUint64(0x28, true));
    const marked = insertBytes(elfCodec, pristine, markText("EOF", 3), FACTS);
    // Everything before the old EOF survives, except the ELF header fields and
    // the shstrtab size in the old table [quirk: only its offset is restored].
    assertEquals(marked.subarray(0x40, shoff), pristine.subarray(0x40, shoff));
    assertStrictEquals(
      new DataView(marked.buffer).getBigUint64(shoff + 2 * 64 + 0x18, true),
      BigInt(1128),
    );
    assertStrictEquals(
      new DataView(marked.buffer).getBigUint64(shoff + 2 * 64 + 0x20, true),
      BigInt(17 + 12),
    );
    const states: [string, Uint8Array][] = [["marked", marked]];
    states.push(["remarked", insertBytes(elfCodec, marked, markText("EOF", 500), FACTS)]);
    states.push(["deleted", removeBytes(elfCodec, states[1][1], FACTS) ?? new Uint8Array()]);
    states.push(["again", insertBytes(elfCodec, states[2][1], markText("X", 0), FACTS)]);
    for (const [label, bytes] of states) {
      assertStrictEquals(hashOf(bytes), hash, label);
      await Deno.writeFile(`${dir}/${label}`, bytes);
      assert(
        (await readelfSectionOffset(
          `${dir}/${label}`,
          label === "deleted" ? ".chalk.free" : ".chalk.mark",
        )) !== undefined,
      );
    }
    assert(marked.length > pristine.length);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
