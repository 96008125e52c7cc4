import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { wholeView } from "../../codecs/byte_view.ts";
import { createSourceCodec, shebangLanguage, sourceCodec } from "../../codecs/source.ts";
import { hashHex, insertBytes, removeBytes } from "./_in_memory.ts";
import type { ArtifactFacts } from "../../codecs/codec.ts";
import { chalkIdFromHash } from "../../codecs/identity.ts";
import { writeMarkJson } from "../../codecs/mark_json.ts";
import { EMPTY_MARK, type MarkValue } from "../../codecs/mark_value.ts";
// The deno script below finds the running deno on PATH even when the suite runs through npx.
import "../e2e/_chalk.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const CHALK: ArtifactFacts = { path: "/w/script", executable: true, chalking: true };
const EXTRACT: ArtifactFacts = { path: "/w/script", executable: true, chalking: false };
const facts = (path: string, chalking = true): ArtifactFacts => ({
  path,
  executable: true,
  chalking,
});

function hashOf(bytes: Uint8Array, f: ArtifactFacts = CHALK): string {
  return hashHex(sourceCodec, bytes, f);
}

function mark(id: string, note = 'it\'s "quoted", has # and // and */ and é'): string {
  return writeMarkJson(
    new Map<string, MarkValue>([
      ["MAGIC", "dadfedabbadabbed"],
      ["CHALK_ID", id],
      ["X-NOTE", note],
    ]),
  );
}

Deno.test("shebangLanguage reads the interpreter like chalk, first env token [deliberate]", () => {
  const cases: [string, string][] = [
    ["#!/bin/sh", "sh"],
    ["#!/bin/bash -e\necho", "bash"],
    ["#! /usr/bin/python3\n", "python3"],
    ["#!/usr/bin/env python3.11\n", "python"],
    ["#!/usr/bin/env  -S  deno run -A\n", "deno"],
    ["#!/usr/bin/env node\r\nconsole.log(1)", "node"],
    ["#!/usr/bin/env VAR=1 ruby2.7 -w\n", "ruby"],
    ["#!/usr/bin/env\n", ""],
    ["#!\n", ""],
    ["#!   \t\n", ""],
    ["#!/usr/bin/env 3\n", "3"],
  ];
  for (const [text, lang] of cases) assertStrictEquals(shebangLanguage(enc(text)), lang, text);
});

Deno.test("source detect picks language and declines like chalk's defaults", () => {
  assertStrictEquals(sourceCodec.detect(wholeView(enc("#!/bin/sh\necho hi\n")), CHALK), "sh");
  assertStrictEquals(
    sourceCodec.detect(wholeView(enc("#!/usr/bin/env -S deno run -A\n")), facts("/w/chalk.js")),
    "deno",
  );
  assertStrictEquals(
    sourceCodec.commentPrefix(wholeView(enc("#!/usr/bin/env -S deno run -A\n")), CHALK),
    "//",
  );
  assertStrictEquals(
    sourceCodec.commentPrefix(wholeView(enc("#!/usr/bin/env node\n")), CHALK),
    "//",
  );
  assertStrictEquals(
    sourceCodec.commentPrefix(wholeView(enc("#!/usr/bin/env python3\n")), CHALK),
    "#",
  );
  // The shebang overrides the extension.
  assertStrictEquals(
    sourceCodec.detect(wholeView(enc("#!/usr/bin/env python3\n")), facts("/w/x.js")),
    "python",
  );
  // No shebang: declined when chalking (only_mark_shebangs), claimed otherwise.
  assertStrictEquals(sourceCodec.detect(wholeView(enc("print(1)\n")), facts("/w/x.py")), undefined);
  assertStrictEquals(
    sourceCodec.detect(wholeView(enc("print(1)\n")), facts("/w/x.py", false)),
    "python",
  );
  assertStrictEquals(
    sourceCodec.detect(wholeView(enc("console.log(1)\n")), facts("/w/x.mjs", false)),
    "node",
  );
  assertStrictEquals(
    sourceCodec.commentPrefix(wholeView(enc("console.log(1)\n")), facts("/w/x.mjs")),
    "//",
  );
  assertStrictEquals(
    sourceCodec.detect(wholeView(enc("plain\n")), facts("/w/README", false)),
    "sh",
  );
  assertStrictEquals(sourceCodec.detect(wholeView(enc("#!\n")), CHALK), undefined);
  assertStrictEquals(sourceCodec.detect(wholeView(enc("#!\n")), EXTRACT), "sh");
  // Dot files have no extension (Nim splitFile).
  assertStrictEquals(sourceCodec.detect(wholeView(enc("x\n")), facts("/w/.bashrc", false)), "sh");
  // text-only and sidecar extensions are never source, even with a shebang.
  for (const p of ["/w/a.txt", "/w/a.json", "/w/a.md", "/w/model.bin"]) {
    assertStrictEquals(sourceCodec.detect(wholeView(enc("#!/bin/sh\n")), facts(p)), undefined, p);
    assertStrictEquals(
      sourceCodec.detect(wholeView(enc("#!/bin/sh\n")), facts(p, false)),
      undefined,
      p,
    );
  }
});

Deno.test("source detect sniffs exactly the first 256 bytes for UTF-8", () => {
  const text = new Uint8Array(300).fill(0x61);
  assertStrictEquals(sourceCodec.detect(wholeView(text), EXTRACT), "sh");
  const lateBinary = text.slice();
  lateBinary[280] = 0xff;
  assertStrictEquals(sourceCodec.detect(wholeView(lateBinary), EXTRACT), "sh");
  const earlyBinary = text.slice();
  earlyBinary[10] = 0xff;
  assertStrictEquals(sourceCodec.detect(wholeView(earlyBinary), EXTRACT), undefined);
  // [quirk] a two-byte character cut at byte 256 makes the file "binary".
  const cut = text.slice();
  cut.set([0xc3, 0xa9], 255);
  assertStrictEquals(sourceCodec.detect(wholeView(cut), EXTRACT), undefined);
  const whole = text.slice();
  whole.set([0xc3, 0xa9], 254);
  assertStrictEquals(sourceCodec.detect(wholeView(whole), EXTRACT), "sh");
  // A shebang skips the sniff.
  assertStrictEquals(sourceCodec.detect(wholeView(enc("#!/bin/sh\n\xff")), EXTRACT), "sh");
  const binaryShebang = new Uint8Array([...enc("#!/bin/sh\n"), 0xff, 0xfe]);
  assertStrictEquals(sourceCodec.detect(wholeView(binaryShebang), CHALK), "sh");
});

Deno.test("source detect honours its options per instance and per call", () => {
  const lax = createSourceCodec({ onlyMarkShebangs: false });
  assertStrictEquals(lax.detect(wholeView(enc("print(1)\n")), facts("/w/x.py")), "python");
  const exeOnly = createSourceCodec({ onlyMarkWhenExecuteSet: true });
  const notExe = { path: "/w/s", executable: false, chalking: true };
  assertStrictEquals(exeOnly.detect(wholeView(enc("#!/bin/sh\n")), notExe), undefined);
  assertStrictEquals(
    exeOnly.detect(wholeView(enc("#!/bin/sh\n")), { ...notExe, chalking: false }),
    "sh",
  );
  assertStrictEquals(
    sourceCodec.detect(wholeView(enc("#!/bin/sh\n")), notExe, { onlyMarkWhenExecuteSet: true }),
    undefined,
  );
  const seen: unknown[] = [];
  const custom = createSourceCodec({
    customLogic: (...args) => {
      seen.push(args);
      return false;
    },
  });
  assertStrictEquals(
    custom.detect(wholeView(enc("#!/usr/bin/env node\n")), facts("/w/a.js")),
    undefined,
  );
  assertEquals(seen, [["/w/a.js", "node", "js", true, true]]);
  const tcl = createSourceCodec({ languageToComment: { tclsh: ";#" } });
  assertStrictEquals(tcl.commentPrefix(wholeView(enc("#!/usr/bin/tclsh\n")), CHALK), ";#");
});

Deno.test("source insert and remove invert each other for the three file shapes", () => {
  const m = mark("ID1");
  const cases: [string, string][] = [
    ["abc\n", `abc\n# ${m}\n`],
    ["abc", `abc\n# ${m}`],
    ["", `\n# ${m}`],
    ["#!/bin/sh", `#!/bin/sh\n# ${m}`],
    ["#!/bin/sh\n", `#!/bin/sh\n# ${m}\n`],
  ];
  for (const [original, expected] of cases) {
    const bytes = enc(original);
    assertStrictEquals(sourceCodec.findMark(wholeView(bytes)), undefined);
    assertStrictEquals(removeBytes(sourceCodec, bytes, CHALK), undefined, "nothing to remove");
    const marked = insertBytes(sourceCodec, bytes, m, CHALK);
    assertStrictEquals(dec(marked), expected, JSON.stringify(original));
    const found = sourceCodec.findMark(wholeView(marked));
    assert(found);
    assertStrictEquals(dec(marked.subarray(found.start, found.end)), m);
    assertStrictEquals(found.mark.get("X-NOTE"), 'it\'s "quoted", has # and // and */ and é');
    assertStrictEquals(
      dec(removeBytes(sourceCodec, marked, CHALK) ?? new Uint8Array()),
      original,
      JSON.stringify(original),
    );
    assertStrictEquals(hashOf(marked), hashOf(bytes));
    // Re-marking replaces the JSON in place.
    const m2 = mark("ID2", "longer ".repeat(20));
    const remarked = dec(insertBytes(sourceCodec, marked, m2, CHALK));
    assertStrictEquals(remarked, expected.replace(m, m2));
    assertStrictEquals(hashOf(enc(remarked)), hashOf(bytes));
  }
});

Deno.test("source codec reproduces the reference source-file HASH and CHALK_ID", () => {
  const bytes = enc("#!/bin/sh\necho hello\n");
  const hash = hashOf(bytes);
  assertStrictEquals(hash, "bfdeaeb08cffb6a36438bcd12dda25417e3cdd36f1e7e482a2849d539225288b");
  assertStrictEquals(chalkIdFromHash(hash), "C9K68S-B1CN-H30E-33CSK6");
  const marked = insertBytes(sourceCodec, bytes, mark(chalkIdFromHash(hash)), CHALK);
  assertStrictEquals(hashOf(marked), hash);
});

Deno.test("source codec uses the comment prefix of the language for node and deno scripts", () => {
  const m = mark("JS");
  const node = enc("#!/usr/bin/env node\nconsole.log(1);\n");
  assertStrictEquals(
    dec(insertBytes(sourceCodec, node, m, CHALK)),
    `#!/usr/bin/env node\nconsole.log(1);\n// ${m}\n`,
  );
  const marked = insertBytes(sourceCodec, node, m, CHALK);
  assertStrictEquals(dec(removeBytes(sourceCodec, marked, CHALK) ?? new Uint8Array()), dec(node));
  // Without facts for an extension-only language the prefix falls back to the shebang/`#`.
  const plain = enc("console.log(1)\n");
  assertStrictEquals(
    dec(insertBytes(sourceCodec, plain, m, facts("/w/a.js"))),
    `console.log(1)\n// ${m}\n`,
  );
  assertStrictEquals(dec(insertBytes(sourceCodec, plain, m)), `console.log(1)\n# ${m}\n`);
});

Deno.test("a sh/JavaScript polyglot is marked with // [deliberate]", () => {
  const m = mark("POLY");
  const cases: [string, string, string][] = [
    [
      '#!/bin/sh\n":" /* chalk-ts runs on deno, started by\nexec deno run "$0"\n*/\nx()\n',
      "deno",
      "//",
    ],
    ['#!/bin/sh\n":" //; exec /usr/bin/env node "$0" "$@"\nconsole.log(1)\n', "node", "//"],
    ['#!/usr/bin/env bash\n":" //# exec deno run -A "$0"\nconsole.log(1)\n', "deno", "//"],
    // Not the idiom: a shell script stays one.
    ["#!/bin/sh\n: // deno\necho hi\n", "sh", "#"],
    ['#!/bin/sh\n":" echo // deno\n', "sh", "#"],
    ['#!/usr/bin/python3\n":" //deno\n', "python3", "#"],
    ["#!/bin/sh", "sh", "#"],
  ];
  for (const [text, language, prefix] of cases) {
    const bytes = enc(text);
    assertStrictEquals(sourceCodec.detect(wholeView(bytes), CHALK), language, text);
    assertStrictEquals(sourceCodec.commentPrefix(wholeView(bytes), CHALK), prefix, text);
    const marked = insertBytes(sourceCodec, bytes, m, CHALK);
    assert(dec(marked).includes(`\n${prefix} ${m}`), text);
    assertStrictEquals(dec(removeBytes(sourceCodec, marked, CHALK) ?? new Uint8Array()), text);
  }
});

Deno.test("source codec treats the placeholder as a mark and keeps marks that are not on their own line", () => {
  const withPlaceholder = enc(`x = 1 # ${EMPTY_MARK} trailing\n`);
  const found = sourceCodec.findMark(wholeView(withPlaceholder));
  assertEquals(found?.mark, new Map([["MAGIC", "dadfedabbadabbed"]]));
  assertStrictEquals(
    removeBytes(sourceCodec, withPlaceholder, CHALK),
    undefined,
    "placeholder stays",
  );
  const m = mark("P");
  const marked = insertBytes(sourceCodec, withPlaceholder, m, CHALK);
  assertStrictEquals(dec(marked), `x = 1 # ${m} trailing\n`);
  assertStrictEquals(
    dec(removeBytes(sourceCodec, marked, CHALK) ?? new Uint8Array()),
    dec(withPlaceholder),
  );
  assertStrictEquals(hashOf(marked), hashOf(withPlaceholder));
  // Our own line shape but a CR after the mark: replaced by the placeholder.
  const crlf = enc(`abc\n# ${m}\r\n`);
  assertStrictEquals(
    dec(removeBytes(sourceCodec, crlf, CHALK) ?? new Uint8Array()),
    `abc\n# ${EMPTY_MARK}\r\n`,
  );
  // Two spaces after the prefix: not our shape either.
  const spaced = enc(`abc\n#  ${m}\n`);
  assertStrictEquals(
    dec(removeBytes(sourceCodec, spaced, CHALK) ?? new Uint8Array()),
    `abc\n#  ${EMPTY_MARK}\n`,
  );
  // The placeholder on a line of its own is removed like a mark.
  assertStrictEquals(
    dec(removeBytes(sourceCodec, enc(`abc\n# ${EMPTY_MARK}\n`), CHALK) ?? new Uint8Array()),
    "abc\n",
  );
});

Deno.test("source codec treats MAGIC followed by broken JSON as unmarked", () => {
  const original = enc(`#!/bin/sh\necho '{ "MAGIC" : "dadfedabbadabbed", "A" : }'\n`);
  assertStrictEquals(sourceCodec.findMark(wholeView(original)), undefined);
  assertStrictEquals(removeBytes(sourceCodec, original, CHALK), undefined);
  const m = mark("B");
  const marked = insertBytes(sourceCodec, original, m, CHALK);
  assertStrictEquals(dec(marked), `${dec(original)}# ${m}\n`);
  const found = sourceCodec.findMark(wholeView(marked));
  assertStrictEquals(found?.mark.get("CHALK_ID"), "B");
  assertStrictEquals(
    dec(removeBytes(sourceCodec, marked, CHALK) ?? new Uint8Array()),
    dec(original),
  );
  assertStrictEquals(hashOf(marked), hashOf(original));
});

async function commandPath(cmd: string): Promise<string | undefined> {
  const o = await new Deno.Command("sh", { args: ["-c", `command -v ${cmd}`], stdout: "piped" })
    .output();
  return o.code === 0 ? new TextDecoder().decode(o.stdout).trim() : undefined;
}

interface ScriptCase {
  interpreter: string;
  shebang: string;
  body: string;
  prefix: string;
  language: string;
}

const SCRIPTS: ScriptCase[] = [
  {
    interpreter: "sh",
    shebang: "#!/bin/sh",
    body: 'echo "sh says $1"',
    prefix: "#",
    language: "sh",
  },
  {
    interpreter: "bash",
    shebang: "#!/usr/bin/env bash",
    body: 'x=(a b); echo "bash says ${x[1]} $1"',
    prefix: "#",
    language: "bash",
  },
  {
    interpreter: "python3",
    shebang: "#!/usr/bin/env python3",
    body: 'import sys\nprint("python says", sys.argv[1])',
    prefix: "#",
    language: "python",
  },
  {
    interpreter: "perl",
    shebang: "#!/usr/bin/env perl",
    body: 'print "perl says $ARGV[0]\\n";',
    prefix: "#",
    language: "perl",
  },
  {
    interpreter: "node",
    shebang: "#!/usr/bin/env node",
    body: 'console.log("node says", process.argv[2]);',
    prefix: "//",
    language: "node",
  },
  {
    interpreter: "ruby",
    shebang: "#!/usr/bin/env ruby",
    body: 'puts "ruby says #{ARGV[0]}"',
    prefix: "#",
    language: "ruby",
  },
  {
    interpreter: "deno",
    shebang: "#!/usr/bin/env -S deno run --quiet --no-config",
    body: 'console.log("deno says", Deno.args[0]);',
    prefix: "//",
    language: "deno",
  },
  {
    // A sh prologue that starts deno on the file, as chalk-ts's bundle does.
    interpreter: "deno",
    shebang: "#!/bin/sh",
    body: '":" /* sh starts deno\nexec deno run --quiet --no-config --ext=js "$0" "$@"\n*/\n' +
      'console.log("deno says", Deno.args[0]);',
    prefix: "//",
    language: "deno",
  },
];

for (const sc of SCRIPTS) {
  const name = sc.shebang === "#!/bin/sh" && sc.interpreter !== "sh"
    ? `sh/${sc.interpreter} polyglot`
    : sc.interpreter;
  Deno.test(`source codec keeps a ${name} script running after insert`, async () => {
    if (!(await commandPath(sc.interpreter))) {
      console.log(`SKIPPED: ${sc.interpreter} is not installed here`);
      return;
    }
    const dir = await Deno.makeTempDir({ prefix: "chalk_src_" });
    try {
      for (const trailingNewline of [true, false]) {
        const text = `${sc.shebang}\n${sc.body}${trailingNewline ? "\n" : ""}`;
        const path = `${dir}/script_${trailingNewline ? "nl" : "nonl"}`;
        const f = facts(path);
        const bytes = enc(text);
        assertStrictEquals(sourceCodec.detect(wholeView(bytes), f), sc.language);
        const runIt = async (content: Uint8Array) => {
          await Deno.writeFile(path, content, { mode: 0o755 });
          const o = await new Deno.Command(path, {
            args: ["arg1"],
            stdout: "piped",
            stderr: "piped",
          })
            .output();
          return { code: o.code, out: dec(o.stdout), err: dec(o.stderr) };
        };
        const before = await runIt(bytes);
        assertStrictEquals(before.code, 0, before.err);
        assert(before.out.includes(`${sc.interpreter.replace("3", "")} says`), before.out);
        assert(before.out.includes("arg1"), before.out);
        const m = mark("RUN");
        const marked = insertBytes(sourceCodec, bytes, m, f);
        assert(dec(marked).startsWith(`${sc.shebang}\n`), "shebang stays on line 1");
        assert(dec(marked).includes(`\n${sc.prefix} ${m}`));
        assertEquals(await runIt(marked), before);
        assertStrictEquals(sourceCodec.findMark(wholeView(marked))?.mark.get("CHALK_ID"), "RUN");
        assertStrictEquals(dec(removeBytes(sourceCodec, marked, f) ?? new Uint8Array()), text);
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
