/**
 * What chalk says about the paths named on its command line (docs/files.md, "Named paths"): each
 * one it does not act on gets a line with the reason, and the closing summary line counts it.
 */
import { assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, sandbox } from "./_chalk.ts";

/** The closing `info:  insert: ...` line. */
function summary(stderr: string, command: string): string {
  return stderr.split("\n").findLast((l) => l.startsWith(`info:  ${command}: `)) ?? "";
}

Deno.test("named paths that do not exist count as failed in the summary line", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "g.sh"), "#!/bin/sh\necho g\n", { mode: 0o755 });
    const r = await sb.chalk(["insert", "g.sh", "nope1", "nope2"]);
    assertEquals(r.code, 1, r.stderr);
    assertMatch(r.stderr, /nope1: No such file or directory/);
    assertMatch(r.stderr, /nope2: No such file or directory/);
    assertMatch(
      summary(r.stderr, "insert"),
      /^info: {2}insert: 1 chalked, 0 unchanged, 0 skipped, 2 failed in /,
    );
    const d = await sb.chalk(["delete", "g.sh", "nope1"]);
    assertEquals(d.code, 1, d.stderr);
    assertMatch(
      summary(d.stderr, "delete"),
      /^info: {2}delete: 1 deleted, 0 unchanged, 0 skipped, 1 failed in /,
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("a named file chalk does not mark gets one line with the reason; a walk stays quiet", async () => {
  const sb = await sandbox();
  try {
    const dir = join(sb.work, "d");
    await Deno.mkdir(dir);
    const program = await Deno.readFile("/bin/true");
    // A working program without a section header table (e_shoff, e_shnum, e_shstrndx zeroed).
    const sectionless = program.slice();
    const header = new DataView(sectionless.buffer);
    header.setBigUint64(0x28, 0n, true);
    header.setUint16(0x3c, 0, true);
    header.setUint16(0x3e, 0, true);
    await Deno.writeFile(join(dir, "sectionless"), sectionless, { mode: 0o755 });
    assertEquals((await new Deno.Command(join(dir, "sectionless")).output()).code, 0);
    await Deno.writeTextFile(join(dir, "o.c"), "int f(void) { return 1; }\n");
    const cc = await new Deno.Command("cc", {
      args: ["-c", "-o", join(dir, "o.o"), join(dir, "o.c")],
    })
      .output();
    assertEquals(cc.code, 0, "cc -c");
    await Deno.remove(join(dir, "o.c"));
    await Deno.writeFile(join(dir, "truncated"), program.slice(0, 100), { mode: 0o755 });
    await Deno.writeFile(join(dir, "empty"), new Uint8Array());
    await Deno.writeTextFile(join(dir, "notes.txt"), "hello\n");
    const names = ["sectionless", "o.o", "truncated", "empty", "notes.txt"];
    const expected: Record<string, RegExp> = {
      "sectionless": /without a section header table/,
      "o.o": /relocatable object/,
      "truncated": /truncated or damaged/,
      "empty": /an empty file/,
      "notes.txt": /not a kind of artifact chalk knows/,
    };
    const r = await sb.chalk(["insert", ...names.map((n) => join("d", n))]);
    assertEquals(r.code, 0, r.stderr);
    for (const name of names) {
      const lines = r.stderr.split("\n").filter((l) => l.includes(`/d/${name}:`));
      assertEquals(lines.length, 1, `${name}: ${r.stderr}`);
      assertMatch(lines[0], /^warn: {2}\S+: skipped: /);
      assertMatch(lines[0], expected[name]);
    }
    assertMatch(summary(r.stderr, "insert"), /0 chalked, 0 unchanged, 5 skipped in /);
    // Found by a walk, the same files are passed over without a word.
    const walk = await sb.chalk(["insert", "d"]);
    assertEquals(walk.code, 0, walk.stderr);
    assertEquals(walk.stderr.split("\n").filter((l) => l.includes("skipped:")), []);
    assertMatch(summary(walk.stderr, "insert"), /0 chalked, 0 unchanged, 5 skipped in /);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("names that are not UTF-8 are reported, not passed over in silence", async () => {
  const sb = await sandbox();
  try {
    // Made by the shell: Deno itself cannot create such a name.
    const made = await new Deno.Command("sh", {
      args: [
        "-c",
        `d=$(printf 'dir\\351'); mkdir "$d" && cp /bin/true "$d/t" &&
         printf '#!/bin/sh\\necho x\\n' > "$(printf 'caf\\351.sh')" &&
         printf '#!/bin/sh\\necho x\\n' > "$(printf '.hidden\\351.sh')" &&
         printf '#!/bin/sh\\necho x\\n' > ok.sh`,
      ],
      cwd: sb.work,
    }).output();
    assertEquals(made.code, 0);
    const walk = await sb.chalk(["insert", "."]);
    assertEquals(walk.code, 0, walk.stderr);
    const lines = walk.stderr.split("\n").filter((l) => l.includes("not valid UTF-8"));
    assertEquals(lines.length, 2, walk.stderr);
    assertMatch(lines[0], /^warn: {2}\S+\/caf\uFFFD\.sh: skipped: its name is not valid UTF-8/);
    assertMatch(lines[1], /^warn: {2}\S+\/dir\uFFFD: skipped: .*rename it to mark it$/);
    assertMatch(walk.stderr, /ok\.sh: chalk mark successfully added/);
    assertMatch(summary(walk.stderr, "insert"), /1 chalked, 0 unchanged, 2 skipped in /);
    // Named (the shell passes the bytes; chalk receives them replaced): an error, exit 1.
    const named = await new Deno.Command("sh", {
      args: ["-c", `"$0" insert "$(printf 'dir\\351')"`, CHALK],
      cwd: sb.work,
      env: sb.env,
      clearEnv: true,
    }).output();
    const stderr = new TextDecoder().decode(named.stderr);
    assertEquals(named.code, 1, stderr);
    assertMatch(stderr, /^error: \S+\/dir\uFFFD: its name is not valid UTF-8/m);
    assertMatch(summary(stderr, "insert"), /0 chalked, 0 unchanged, 0 skipped, 1 failed in /);
  } finally {
    await sb.cleanup();
  }
});
