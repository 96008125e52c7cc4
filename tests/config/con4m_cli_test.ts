/**
 * `deno task con4m check FILE` on chalk configurations: chalk's schema and functions are
 * loaded without flags, every error of the file is reported with its line and a suggestion
 * for misspelled names, and `--bare` / `--spec` keep the plain language tool.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import type { CliIO } from "../../con4m/cli.ts";
import { runChalkCon4m } from "../../config/con4m_cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

function memoryIO(files: Record<string, string>): CliIO & { out_: string; err_: string } {
  const io = {
    out_: "",
    err_: "",
    out(t: string) {
      io.out_ += t;
    },
    err(t: string) {
      io.err_ += t;
    },
    readFile(p: string) {
      if (p in files) return Promise.resolve(files[p]);
      return Deno.readTextFile(p);
    },
  };
  return io;
}

Deno.test("con4m check accepts the tutorial's chalk configurations without flags", async () => {
  for (const name of ["demo-http.c4m", "demo-docker.c4m", "demo-wrap.c4m"]) {
    const io = memoryIO({});
    const file = join(ROOT, "docs/configs", name);
    assertEquals(await runChalkCon4m(["check", file], io), 0, io.err_);
    assertEquals(io.out_, `${file}: ok\n`);
  }
});

Deno.test("con4m check reports every schema error of a chalk configuration, with did-you-mean", async () => {
  const io = memoryIO({
    "bad.c4m": [
      "sink_config x {",
      '  sink: "post"',
      '  urii: "http://a"',
      "}",
      'log_levl: "info"',
      'outconf.insert.mark_templat: "x"',
      "",
    ].join("\n"),
  });
  assertEquals(await runChalkCon4m(["check", "bad.c4m"], io), 1);
  const lines = io.err_.split("\n");
  assert(
    lines.includes(
      "bad.c4m:3:3: Unknown field for a sink_config section: sink_config.x.urii (did you mean uri?)",
    ),
    io.err_,
  );
  assert(lines.includes('    urii: "http://a"'), io.err_);
  assert(
    lines.includes(
      "bad.c4m:5:1: Unknown field for a root section: log_levl (did you mean log_level?)",
    ),
    io.err_,
  );
  assertMatch(io.err_, /outconf\.insert\.mark_templat \(did you mean mark_template\?\)/);
  assertEquals(lines.at(-2), "bad.c4m: 3 errors");
});

Deno.test("con4m check reports every type error, and knows chalk's functions (subscribe)", async () => {
  const io = memoryIO({
    "typo.c4m": 'subscribe("report", "default_out")\nx := 1 + "a"\nsubscrib("a", "b")\n',
  });
  assertEquals(await runChalkCon4m(["check", "typo.c4m"], io), 1);
  assertMatch(io.err_, /typo\.c4m:2:6: Types of left and right side/);
  assertMatch(
    io.err_,
    /typo\.c4m:3:1: No function with the name 'subscrib' was found\. \(did you mean subscribe\?\)/,
  );
  assert(!io.err_.includes(":1:1:"), "subscribe is chalk's own function");
});

Deno.test("con4m --bare is the plain language tool: chalk's functions are unknown there", async () => {
  const io = memoryIO({ "s.c4m": 'subscribe("report", "default_out")\n' });
  assertEquals(await runChalkCon4m(["check", "--bare", "s.c4m"], io), 1);
  assertMatch(io.err_, /No function with the name 'subscribe' was found/);
});

Deno.test("deno task con4m check runs the chalk-aware tool as a process (exit 0, 1)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const good = join(dir, "good.c4m");
    const bad = join(dir, "bad.c4m");
    await Deno.writeTextFile(good, 'log_level: "info"\n');
    await Deno.writeTextFile(bad, "log_level: 3\n");
    const run = (file: string) =>
      new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", "con4m", "check", file],
        cwd: ROOT,
        stdout: "piped",
        stderr: "piped",
      }).output();
    assertEquals((await run(good)).code, 0);
    const r = await run(bad);
    assertEquals(r.code, 1);
    assertMatch(new TextDecoder().decode(r.stderr), /bad\.c4m:1:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
