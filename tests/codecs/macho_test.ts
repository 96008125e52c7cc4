/**
 * The Mach-O codec on binaries built with known layouts
 * (`_macho_fixture.ts`): chalk's LC_NOTE as the original places it, read by
 * `llvm-objdump`; HASH stable across the five states; signed and universal
 * binaries refused with the reason; hostile headers declined.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { wholeView } from "../../codecs/byte_view.ts";
import { machoCodec } from "../../codecs/macho.ts";
import { fatMacho, thinMacho } from "./_macho_fixture.ts";
import { hashHex, insertBytes, refusedReason, removeBytes } from "./_in_memory.ts";

const FACTS = { path: "/w/tool", executable: true, chalking: true };
const MARK = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "MACHO" }';
const MARK2 = '{ "MAGIC" : "dadfedabbadabbed", "CHALK_ID" : "MACHO, LONGER", "N" : 1 }';

const refused = refusedReason;

async function privateHeaders(bytes: Uint8Array): Promise<string> {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(join(dir, "bin"), bytes);
    const o = await new Deno.Command("llvm-objdump", {
      args: ["--macho", "--private-headers", join(dir, "bin")],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const t = new TextDecoder();
    assertEquals(o.code, 0, t.decode(o.stderr));
    assertEquals(t.decode(o.stderr), "");
    return t.decode(o.stdout);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("macho: a thin binary gets chalk's LC_NOTE at the end of __LINKEDIT; HASH holds", async () => {
  const pristine = thinMacho();
  const view = wholeView(pristine);
  assertEquals(machoCodec.detect(view, FACTS), "Mach-O executable");
  assertEquals(machoCodec.findMark(view, FACTS), undefined);
  const marked = insertBytes(machoCodec, pristine, MARK, FACTS);
  const headers = await privateHeaders(marked);
  assertMatch(
    headers,
    new RegExp(
      `cmd LC_NOTE[\\s\\S]*data_owner chalk\\s+offset ${pristine.length}\\s+size ${MARK.length}`,
    ),
  );
  assertMatch(headers, new RegExp(`segname __LINKEDIT[\\s\\S]*filesize ${0x100 + MARK.length}`));
  assertEquals(new TextDecoder().decode(marked.subarray(pristine.length)), MARK);
  assertEquals(machoCodec.findMark(wholeView(marked), FACTS)?.mark.get("CHALK_ID"), "MACHO");
  const remarked = insertBytes(machoCodec, marked, MARK2, FACTS);
  assertEquals(machoCodec.findMark(wholeView(remarked), FACTS)?.mark.get("N"), 1n);
  assertEquals(remarked.length, pristine.length + MARK2.length, "the old mark is replaced");
  const deleted = removeBytes(machoCodec, remarked, FACTS)!;
  await privateHeaders(deleted);
  assertEquals(deleted.length, pristine.length);
  assertEquals(machoCodec.findMark(wholeView(deleted), FACTS), undefined);
  const hash = hashHex(machoCodec, pristine, FACTS);
  for (const s of [marked, remarked, deleted]) assertEquals(hashHex(machoCodec, s, FACTS), hash);
});

Deno.test("macho: signed binaries are refused with the reason, and keep HASH when read", () => {
  for (const [kind, said] of [["adhoc", "ad-hoc"], ["certificate", "Developer ID"]] as const) {
    const signed = thinMacho({ signature: kind });
    const reason = refused(() => machoCodec.insertPlan(wholeView(signed), MARK.length, FACTS));
    assertMatch(reason, new RegExp(`code-signed \\(an? ${said}.*would invalidate the signature`));
    // HASH strips the signature, as the original: the same binary unsigned hashes alike.
    assertEquals(hashHex(machoCodec, signed, FACTS), hashHex(machoCodec, thinMacho(), FACTS));
  }
});

Deno.test("macho: too little load-command slack is refused, naming the fix", () => {
  const tight = thinMacho({ textOffset: 32 + 152 + 72 + 16 });
  const reason = refused(() => machoCodec.insertPlan(wholeView(tight), MARK.length, FACTS));
  assertMatch(reason, /load-command slack.*-headerpad/);
});

Deno.test("macho: universal binaries are read, not rewritten; absurd headers are declined", () => {
  const slice = insertBytes(machoCodec, thinMacho({ fill: 1 }), MARK, FACTS);
  const fat = fatMacho([thinMacho({ fill: 2 }), slice]);
  const view = wholeView(fat);
  assertEquals(machoCodec.detect(view, FACTS), "Mach-O executable");
  const found = machoCodec.findMark(view, FACTS)!;
  assertEquals(found.mark.get("CHALK_ID"), "MACHO");
  assertEquals(new TextDecoder().decode(fat.subarray(found.start, found.end)), MARK);
  // HASH of a universal binary's mark is its slice's.
  assertEquals(hashHex(machoCodec, fat, FACTS), hashHex(machoCodec, thinMacho({ fill: 1 }), FACTS));
  assertMatch(refused(() => machoCodec.insertPlan(view, MARK.length, FACTS)), /universal/);
  assertMatch(refused(() => machoCodec.removePlan(view, FACTS)), /universal/);
  const absurd = fatMacho([thinMacho()], 0x7fffffff);
  assertMatch(
    refused(() => machoCodec.findMark(wholeView(absurd), FACTS)),
    /claiming 2147483647 architectures/,
  );
  // A Java class file shares the magic number: never claimed.
  const cls = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61, 1, 2, 3, 4]);
  assertEquals(machoCodec.detect(wholeView(cls), { ...FACTS, path: "/w/A.class" }), undefined);
  // Load commands running past the file are a reason, not a crash.
  const broken = thinMacho();
  new DataView(broken.buffer).setUint32(20, 0x7fffffff, true);
  assertMatch(refused(() => machoCodec.findMark(wholeView(broken), FACTS)), /past the end/);
});
