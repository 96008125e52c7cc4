/**
 * More artifact types through the built program, each proven by its own
 * tool after insert, re-insert and delete: a jar (`jar tf`, `java -jar`), a
 * wheel (`pip install --no-index` into a fresh venv), bytecode (`import`),
 * Python and JavaScript/TypeScript sources marked by extension when the
 * configuration asks (run by python3, node and deno), a Mach-O binary
 * (`llvm-objdump`). CHALK_ID and HASH stay the same across re-insert; bad
 * archives are one line and exit 1, the file untouched.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { must, run, type Sandbox, sandbox, sha256sum } from "./_chalk.ts";
import { thinMacho } from "../codecs/_macho_fixture.ts";

/** A JDK (javac, jar, java) proves a marked jar; without one that test is skipped, saying so. */
const JDK = (() => {
  try {
    return new Deno.Command("javac", { args: ["-version"], stdout: "null", stderr: "null" })
      .outputSync().code === 0;
  } catch {
    return false;
  }
})();
if (!JDK) console.log("artifact_types_test: no JDK (javac) on PATH; the jar test is skipped");

function noStackTrace(stderr: string): void {
  assert(!/\n\s+at /.test(stderr), `stack trace in stderr:\n${stderr}`);
}

/** The mark in the archive's chalk.json member. */
async function zipMark(path: string): Promise<Record<string, unknown>> {
  return JSON.parse(await must("unzip", ["-p", path, "chalk.json"]));
}

/** The mark chalk appended at the end of a file (bytecode, Mach-O). */
async function trailingMark(path: string): Promise<Record<string, unknown>> {
  const bytes = await Deno.readFile(path);
  const at = new TextDecoder("latin1").decode(bytes).lastIndexOf('{ "MAGIC"');
  assert(at >= 0, `${path} has no mark`);
  return JSON.parse(new TextDecoder().decode(bytes.subarray(at)));
}

/** insert, then insert again: both succeed, and the two marks share CHALK_ID and HASH. */
async function insertTwice(
  box: Sandbox,
  file: string,
  read: () => Promise<Record<string, unknown>>,
  flags: readonly string[] = [],
) {
  const first = await box.chalk([...flags, "insert", file]);
  assertEquals(first.code, 0, first.stderr);
  const a = await read();
  const second = await box.chalk([...flags, "insert", file]);
  assertEquals(second.code, 0, second.stderr);
  const b = await read();
  assertEquals([b.CHALK_ID, b.HASH], [a.CHALK_ID, a.HASH], "CHALK_ID and HASH stable");
  assert(a.CHALK_RAND !== b.CHALK_RAND, "a new mark");
  const ext = await box.chalk([...flags, "extract", file]);
  assertEquals(ext.code, 0, ext.stderr);
  assertMatch(ext.stderr, /Chalk mark extracted/);
  assert(!/error/.test(ext.stderr), ext.stderr);
  return b;
}

Deno.test({
  name: "a jar round-trips insert → extract → delete, and jar and java still take it",
  ignore: !JDK,
}, async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    await Deno.writeTextFile(
      join(dir, "Hello.java"),
      'public class Hello { public static void main(String[] a) { System.out.println("hello jar"); } }',
    );
    await must("javac", ["-d", join(dir, "cls"), join(dir, "Hello.java")]);
    await must("jar", ["cfe", join(dir, "app.jar"), "Hello", "-C", join(dir, "cls"), "."]);
    const pristine = await sha256sum(join(dir, "app.jar"));
    const mark = await insertTwice(box, "app.jar", () => zipMark(join(dir, "app.jar")));
    assertEquals(mark.ARTIFACT_TYPE, "JAR");
    assertMatch(await must("jar", ["tf", join(dir, "app.jar")]), /Hello\.class\nchalk\.json\n/);
    await must("unzip", ["-tq", join(dir, "app.jar")]);
    assertEquals((await must("java", ["-jar", join(dir, "app.jar")])).trim(), "hello jar");
    const del = await box.chalk(["delete", "app.jar"]);
    assertEquals(del.code, 0, del.stderr);
    assertEquals(await sha256sum(join(dir, "app.jar")), pristine, "byte-identical after delete");
  } finally {
    await box.cleanup();
  }
});

Deno.test("a wheel is left alone by default; marked when zip_extensions lists whl, it still installs with pip", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    // A minimal wheel, as a build backend writes it (RECORD lists every file but itself).
    await must("python3", [
      "-c",
      `
import zipfile, hashlib, base64
files = {
  'hello_chalk/__init__.py': b'GREETING = "hello wheel"\\n',
  'hello_chalk-1.0.dist-info/METADATA': b'Metadata-Version: 2.1\\nName: hello-chalk\\nVersion: 1.0\\n',
  'hello_chalk-1.0.dist-info/WHEEL': b'Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n',
}
record = ''
for name, data in files.items():
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b'=').decode()
    record += f'{name},sha256={digest},{len(data)}\\n'
record += 'hello_chalk-1.0.dist-info/RECORD,,\\n'
with zipfile.ZipFile('hello_chalk-1.0-py3-none-any.whl', 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in files.items(): z.writestr(name, data)
    z.writestr('hello_chalk-1.0.dist-info/RECORD', record)
`,
    ], { cwd: dir });
    const wheel = join(dir, "hello_chalk-1.0-py3-none-any.whl");
    // Not by default, as the original: installed, every marked wheel's chalk.json is one file.
    const pristine = await sha256sum(wheel);
    const plain = await box.chalk(["insert", wheel]);
    assertEquals(plain.code, 0, plain.stderr);
    assertEquals(await sha256sum(wheel), pristine);
    const config = join(dir, "wheels.c4m");
    await Deno.writeTextFile(config, 'zip_extensions: ["zip", "jar", "whl"]\n');
    const mark = await insertTwice(box, wheel, () => zipMark(wheel), ["--config-file", config]);
    assertEquals(mark.ARTIFACT_TYPE, "ZIP");
    await must("/usr/bin/python3", ["-m", "venv", join(dir, "venv")]);
    const pip = join(dir, "venv", "bin", "pip");
    await must(pip, ["install", "-q", "--no-index", "--no-deps", wheel]);
    const python = join(dir, "venv", "bin", "python");
    const got = await must(python, ["-c", "import hello_chalk; print(hello_chalk.GREETING)"]);
    assertEquals(got.trim(), "hello wheel");
  } finally {
    await box.cleanup();
  }
});

Deno.test("bytecode: a marked .pyc still imports; delete restores it", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    await Deno.writeTextFile(join(dir, "mod.py"), 'print("pyc ran")\n');
    await must("python3", ["-c", "import py_compile; py_compile.compile('mod.py', 'mod.pyc')"], {
      cwd: dir,
    });
    await Deno.remove(join(dir, "mod.py"));
    const pristine = await sha256sum(join(dir, "mod.pyc"));
    const mark = await insertTwice(box, "mod.pyc", () => trailingMark(join(dir, "mod.pyc")));
    assertEquals(mark.ARTIFACT_TYPE, "Python Bytecode");
    assertEquals((await must("python3", ["-c", "import mod"], { cwd: dir })).trim(), "pyc ran");
    assertEquals((await box.chalk(["delete", "mod.pyc"])).code, 0);
    assertEquals(await sha256sum(join(dir, "mod.pyc")), pristine);
  } finally {
    await box.cleanup();
  }
});

Deno.test("sources without a shebang are marked by extension only when the configuration asks", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    const sources: Record<string, [string, string[]]> = {
      "tool.py": ['print("py ran")\n', ["python3", "tool.py"]],
      "tool.js": ['console.log("js ran");\n', ["node", "tool.js"]],
      "tool.mjs": ['export const x = 1;\nconsole.log("mjs ran");', ["node", "tool.mjs"]],
      "tool.cjs": ['module.exports = 1;\nconsole.log("cjs ran");\n', ["node", "tool.cjs"]],
      "tool.ts": ['const n: number = 1;\nconsole.log("ts ran", n);\n', [
        Deno.execPath(),
        "run",
        "tool.ts",
      ]],
    };
    for (const [name, [text]] of Object.entries(sources)) {
      await Deno.writeTextFile(join(dir, name), text);
    }
    // Default (v0.1): a script without a shebang is left alone.
    const plain = await box.chalk(["insert", ...Object.keys(sources)]);
    assertEquals(plain.code, 0, plain.stderr);
    for (const name of Object.keys(sources)) {
      assert(!(await Deno.readTextFile(join(dir, name))).includes("MAGIC"), `${name} untouched`);
    }
    await Deno.writeTextFile(
      join(dir, "by-extension.c4m"),
      "source_marks {\n  only_mark_shebangs: false\n}\n",
    );
    const flags = ["--config-file", join(dir, "by-extension.c4m")];
    const r = await box.chalk([...flags, "insert", ...Object.keys(sources)]);
    assertEquals(r.code, 0, r.stderr);
    for (const [name, [, cmd]] of Object.entries(sources)) {
      const text = await Deno.readTextFile(join(dir, name));
      const prefix = name.endsWith(".py") ? "#" : "//";
      assertMatch(text, new RegExp(`\\n${prefix} \\{ "MAGIC" : "dadfedabbadabbed"[^\\n]*\\}\\n?$`));
      const ran = await run(cmd[0], cmd.slice(1), { cwd: dir });
      assertEquals(ran.code, 0, `${name}: ${ran.stderr}`);
      assertMatch(ran.stdout, /ran/);
    }
    // JavaScript must stay valid for both runtimes, not only the one in the table.
    for (const name of ["tool.js", "tool.mjs"]) {
      const ran = await run(Deno.execPath(), ["run", name], { cwd: dir });
      assertEquals(ran.code, 0, `deno run ${name}: ${ran.stderr}`);
    }
    const d = await box.chalk([...flags, "delete", ...Object.keys(sources)]);
    assertEquals(d.code, 0, d.stderr);
    for (const [name, [text]] of Object.entries(sources)) {
      assertEquals(await Deno.readTextFile(join(dir, name)), text, `${name} restored`);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("a Mach-O binary is marked as the original marks it; a signed one is skipped with the reason", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    await Deno.writeFile(join(dir, "tool"), thinMacho(), { mode: 0o755 });
    await Deno.writeFile(join(dir, "signed"), thinMacho({ signature: "adhoc" }), { mode: 0o755 });
    const mark = await insertTwice(box, "tool", () => trailingMark(join(dir, "tool")));
    assertEquals(mark.ARTIFACT_TYPE, "Mach-O executable");
    assertMatch(
      await must("llvm-objdump", ["--macho", "--private-headers", join(dir, "tool")]),
      /cmd LC_NOTE[\s\S]*data_owner chalk/,
    );
    const signedBefore = await sha256sum(join(dir, "signed"));
    const s = await box.chalk(["insert", "signed"]);
    assertEquals(s.code, 1, s.stderr);
    noStackTrace(s.stderr);
    assertMatch(s.stderr, /signed: insertion failed: macho: code-signed \(an ad-hoc signature\)/);
    assertEquals(await sha256sum(join(dir, "signed")), signedBefore);
    assertEquals((await box.chalk(["delete", "tool"])).code, 0);
    assertEquals((await Deno.readFile(join(dir, "tool"))).length, thinMacho().length);
  } finally {
    await box.cleanup();
  }
});

Deno.test("bad archives: one line naming the file and the reason, exit 1, the file untouched", async () => {
  const box = await sandbox();
  try {
    const dir = box.work;
    await must("python3", [
      "-c",
      `
import zipfile
with zipfile.ZipFile('good.zip', 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('a.txt', 'a' * 1000)
data = open('good.zip', 'rb').read()
open('truncated.zip', 'wb').write(data[:len(data) - 10])
with zipfile.ZipFile('two.jar', 'w') as z:
    z.writestr('chalk.json', '{}')
    z.writestr('chalk.json', '{}')
`,
    ], { cwd: dir });
    for (
      const [file, reason] of [
        ["truncated.zip", /truncated\.zip: zip: no end of central directory record/],
        ["two.jar", /two\.jar: zip: 2 chalk\.json members/],
      ] as const
    ) {
      const before = await sha256sum(join(dir, file));
      for (const op of ["insert", "extract", "delete"]) {
        const r = await box.chalk([op, file]);
        assertEquals(r.code, 1, `${op} ${file}: ${r.stderr}`);
        noStackTrace(r.stderr);
        const errors = r.stderr.split("\n").filter((l) => l.startsWith("error:"));
        assertEquals(errors.length, 1, r.stderr);
        assertMatch(errors[0], reason);
      }
      assertEquals(await sha256sum(join(dir, file)), before, `${file} untouched`);
    }
  } finally {
    await box.cleanup();
  }
});
