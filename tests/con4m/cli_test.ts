/** The `con4m` command (`deno task con4m <parse|check|run> FILE... [--spec SPEC...]`). */

import { assert, assertEquals, assertMatch } from "../_assert.ts";
import * as path from "node:path";
import { type CliIO, parseCliArgs, runCli, USAGE } from "../../con4m/cli.ts";

interface Captured {
  code: number;
  out: string;
  err: string;
}

async function cli(args: string[], files: Record<string, string> = {}): Promise<Captured> {
  let out = "";
  let err = "";
  const io: CliIO = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    readFile: (p) =>
      p in files ? Promise.resolve(files[p]) : Promise.reject(new Error(`no such file ${p}`)),
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

const SPEC = `root {
  user_def_ok: false
  field port {
    type: int
    default: 8080
    range: (1, 65535)
  }
  field name {
    type: string
    require: true
  }
}
`;

Deno.test("con4m run prints the attribute tree as JSON and exits 0", async () => {
  const r = await cli(["run", "a.c4m"], { "a.c4m": 'a: 1\ns { b: "x"\n c: [true] }\n' });
  assertEquals(r.code, 0, r.err);
  assertEquals(JSON.parse(r.out), { a: 1, s: { b: "x", c: [true] } });
});

Deno.test("con4m run validates against --spec and fills defaults", async () => {
  const files = { "s.c42spec": SPEC, "ok.c4m": 'name: "svc"\n', "bad.c4m": "port: 0\n" };
  const ok = await cli(["run", "ok.c4m", "--spec", "s.c42spec"], files);
  assertEquals(ok.code, 0, ok.err);
  assertEquals(JSON.parse(ok.out), { name: "svc", port: 8080 });
  const bad = await cli(["run", "bad.c4m", "--spec=s.c42spec"], files);
  assertEquals(bad.code, 1);
  assertMatch(bad.err, /Value '0' is outside of allowed range: 1 \.\. 65535/);
  assertEquals(bad.out, "");
});

Deno.test("con4m reports errors as file:line:col with the line and a caret", async () => {
  const r = await cli(["check", "e.c4m"], { "e.c4m": 'ok: 1\nx := 1 + "a"\n' });
  assertEquals(r.code, 1);
  const lines = r.err.split("\n");
  assertMatch(lines[0], /^e\.c4m:2:\d+: Types of left and right side of binary ops must match/);
  assertEquals(lines[1], '  x := 1 + "a"');
  assertMatch(lines[2], /^ +\^$/);
  assert(!/\bat .*\.ts:\d+/.test(r.err), "no stack trace");
});

Deno.test("con4m parse stops after the grammar", async () => {
  // A type error is not a parse error.
  const r = await cli(["parse", "t.c4m"], { "t.c4m": 'x := 1 + "a"\n' });
  assertEquals(r.code, 0, r.err);
  assertEquals(r.out, "t.c4m: ok\n");
  const bad = await cli(["parse", "b.c4m"], { "b.c4m": "blah blah blah\n" });
  assertEquals(bad.code, 1);
  assertMatch(bad.err, /^b\.c4m:1:11: Parse error/);
});

Deno.test("con4m check type-checks without running", async () => {
  const r = await cli(["check", "c.c4m"], { "c.c4m": 'x: abort("would exit")\n' });
  assertEquals(r.code, 0, r.err);
  assertEquals(r.out, "c.c4m: ok\n");
});

Deno.test("con4m accepts host function stubs", async () => {
  const text = 'ok: subscribe("report", "console")\n';
  const without = await cli(["run", "s.c4m"], { "s.c4m": text });
  assertEquals(without.code, 1);
  const withStub = await cli(
    ["run", "s.c4m", "--stub", "subscribe(string, string) -> bool"],
    { "s.c4m": text },
  );
  assertEquals(withStub.code, 0, withStub.err);
  assertEquals(JSON.parse(withStub.out), { ok: false });
});

Deno.test("con4m exits 2 on usage errors", async () => {
  for (
    const args of [[], ["frob", "a.c4m"], ["run"], ["run", "a.c4m", "--bogus"], ["run", "--spec"]]
  ) {
    const r = await cli(args, { "a.c4m": "a: 1\n" });
    assertEquals(r.code, 2, args.join(" "));
    assertMatch(r.err, /^con4m: .*\nusage: con4m/);
  }
  const missing = await cli(["run", "nope.c4m"]);
  assertEquals(missing.code, 2);
  assertMatch(missing.err, /cannot read nope\.c4m/);
  const help = await cli(["--help"]);
  assertEquals([help.code, help.out], [0, USAGE]);
});

Deno.test("parseCliArgs collects files, specs, stubs and the check level", () => {
  assertEquals(
    parseCliArgs(["run", "a", "--spec", "s1", "b", "--spec=s2", "--check", "defaults"]),
    { mode: "run", files: ["a", "b"], specs: ["s1", "s2"], stubs: [], check: "defaults" },
  );
});

Deno.test("deno task con4m runs as a process with documented exit codes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "con4m_cli_" });
  try {
    const good = path.join(dir, "good.c4m");
    const bad = path.join(dir, "bad.c4m");
    await Deno.writeTextFile(good, "a: 1 + 2\n");
    await Deno.writeTextFile(bad, "a: 1 +\n");
    const root = path.resolve(import.meta.dirname!, "../..");
    const runIt = async (args: string[]): Promise<Deno.CommandOutput> =>
      await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", path.join(root, "con4m/cli.ts"), ...args],
        cwd: root,
        stdout: "piped",
        stderr: "piped",
      }).output();
    const g = await runIt(["run", good]);
    assertEquals(g.code, 0);
    assertEquals(JSON.parse(new TextDecoder().decode(g.stdout)), { a: 3 });
    const b = await runIt(["run", bad]);
    assertEquals(b.code, 1);
    assertMatch(new TextDecoder().decode(b.stderr), /bad\.c4m:\d+:\d+: Parse error/);
    assertEquals((await runIt(["nonsense"])).code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("con4m check checks later files against what earlier files declare", async () => {
  const files = {
    "base.c4m": "exec { rate: 10 }\nfunc helper(x) { return x + 1 }\n",
    "user.c4m": "r: exec.rate + helper(1)\n",
    "wrong.c4m": 'r: exec.rate + "a"\n',
  };
  const ok = await cli(["check", "base.c4m", "user.c4m"], files);
  assertEquals(ok.code, 0, ok.err);
  assertEquals(ok.out, "base.c4m: ok\nuser.c4m: ok\n");
  const bad = await cli(["check", "base.c4m", "wrong.c4m"], files);
  assertEquals(bad.code, 1);
  assertMatch(bad.err, /^wrong\.c4m:1:/);
});
