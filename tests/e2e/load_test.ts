/**
 * `chalk load` and `chalk dump` on the built program (issue 5): bad
 * configurations and bad sources leave the program byte-identical with exit
 * code 2; a read-only program gets a reconfigured copy beside it; two loads
 * at once never tear the file; --no-use-embedded-config repairs anything.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { privateChalk, ROOT, run, sandbox, sha256sum } from "./_chalk.ts";
import { sourceCodec } from "../../codecs/source.ts";
import { insertBytes } from "../codecs/_in_memory.ts";
import { writeMarkJson } from "../../codecs/mark_json.ts";

/**
 * Loads each `[file name, text, reason]` into `chalk`: exit 2, the reason on stderr, no stack
 * trace, no "validated", and the program byte-identical.
 */
async function expectRejected(
  chalk: string,
  box: { work: string; env: Record<string, string> },
  cases: readonly [string, string, RegExp][],
): Promise<void> {
  const pristine = await sha256sum(chalk);
  for (const [name, text, reason] of cases) {
    const path = join(box.work, name);
    await Deno.writeTextFile(path, text);
    const r = await run(chalk, ["load", path], { cwd: box.work, env: box.env });
    assertEquals(r.code, 2, `${name}: ${r.stderr}`);
    assertMatch(r.stderr, reason, name);
    assert(!/\n\s+at /.test(r.stderr), `${name}: no stack trace`);
    assert(!r.stderr.includes("successfully validated"), name);
    assertEquals(await sha256sum(chalk), pristine, `${name}: program untouched`);
  }
}

const BAD_CONFIGS: [string, string, RegExp][] = [
  ["syntax.c4m", "sink_config x {\n  sink: \n", /syntax\.c4m:\d+:\d+: /],
  ["type.c4m", 'virtual_chalk: "yes please"\n', /type\.c4m:1:\d+: .*/],
  [
    "sinktype.c4m",
    'sink_config x {\n  sink: "carrier_pigeon"\n}\n',
    /sinktype\.c4m:2:3: .*sink_config\.x\.sink.*carrier_pigeon.*stdout, stderr, file/,
  ],
  ["section.c4m", "no_such_section {\n  a: 1\n}\n", /section\.c4m:\d+:\d+: .*no_such_section/],
  // A sink's values are checked when a run delivers to it (docs/configuration.md): subscribed.
  [
    "uri.c4m",
    'sink_config x {\n  sink: "post"\n  uri: "ftp://x"\n}\nsubscribe("report", "x")\n',
    /uri\.c4m:\d+:\d+: .*uri/,
  ],
];

Deno.test("load rejects bad configurations and leaves the program byte-identical", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    await expectRejected(chalk, box, BAD_CONFIGS);
  } finally {
    await box.cleanup();
  }
});

Deno.test("load rejects bad URLs: 404, HTML, nothing listening", async () => {
  const box = await sandbox();
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/html") {
      return new Response("<!DOCTYPE html><html><body>login</body></html>", {
        headers: { "content-type": "text/html" },
      });
    }
    if (path === "/ok.c4m") return new Response('log_level: "info"\n');
    return new Response("not here", { status: 404 });
  });
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const cases: [string, RegExp][] = [
      [`${base}/missing.c4m`, /HTTP 404/],
      [`${base}/html`, /HTML/],
      ["http://127.0.0.1:9/x.c4m", /could not request configuration/],
    ];
    for (const [url, reason] of cases) {
      const r = await run(chalk, ["load", url], { cwd: box.work, env: box.env });
      assertEquals(r.code, 2, `${url}: ${r.stderr}`);
      assertMatch(r.stderr, reason);
      assertEquals(await sha256sum(chalk), pristine);
    }
    const ok = await run(chalk, ["load", `${base}/ok.c4m`], { cwd: box.work, env: box.env });
    assertEquals(ok.code, 0, ok.stderr);
    assertEquals((await run(chalk, ["dump"], { env: box.env })).stdout, 'log_level: "info"\n');
  } finally {
    await server.shutdown();
    await box.cleanup();
  }
});

Deno.test("load on a read-only program writes the copy beside it, or to --output", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    await Deno.chmod(chalk, 0o555);
    const pristine = await sha256sum(chalk);
    const conf = join(box.work, "c.c4m");
    await Deno.writeTextFile(conf, 'log_level: "warn"\n');
    const r = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, new RegExp(`Attempting to write a copy .* to: ${box.work}/chalk`));
    assertEquals(await sha256sum(chalk), pristine);
    assertEquals(
      (await run(join(box.work, "chalk"), ["dump"], { env: box.env })).stdout,
      'log_level: "warn"\n',
    );
    const out = join(box.work, "other-chalk");
    const r2 = await run(chalk, ["load", conf, "--output", out], { cwd: box.work, env: box.env });
    assertEquals(r2.code, 0, r2.stderr);
    assertEquals((await run(out, ["dump"], { env: box.env })).stdout, 'log_level: "warn"\n');
  } finally {
    await box.cleanup();
  }
});

Deno.test("load default --output writes the program even when this one runs the default", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    const out = join(box.work, "fresh-chalk");
    const r = await run(chalk, ["load", "default", "-o", out], { cwd: box.work, env: box.env });
    assertEquals(r.code, 0, r.stderr);
    // Before: "Nothing to load", exit 0, and no program at the path the user named.
    const dump = await run(out, ["dump"], { env: box.env });
    assertEquals(dump.code, 0, dump.stderr);
    assertMatch(dump.stdout, /default config is empty/);
    assertEquals(await sha256sum(chalk), pristine, "this program untouched");
    // Without --output there is still nothing to do.
    const again = await run(chalk, ["load", "default"], { cwd: box.work, env: box.env });
    assertEquals(again.code, 0, again.stderr);
    assertMatch(again.stderr, /Nothing to load/);
    assertEquals(await sha256sum(chalk), pristine);
  } finally {
    await box.cleanup();
  }
});

Deno.test("two loads at once leave one of the two configurations, never a torn file", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const a = join(box.work, "a.c4m");
    const b = join(box.work, "b.c4m");
    await Deno.writeTextFile(a, 'log_level: "warn"\n');
    await Deno.writeTextFile(b, 'log_level: "error"\n');
    for (let i = 0; i < 3; i++) {
      const [ra, rb] = await Promise.all([
        run(chalk, ["load", a], { cwd: box.work, env: box.env }),
        run(chalk, ["load", b], { cwd: box.work, env: box.env }),
      ]);
      assertEquals([ra.code, rb.code], [0, 0], ra.stderr + rb.stderr);
      const dumped = (await run(chalk, ["dump"], { env: box.env })).stdout;
      assert([await Deno.readTextFile(a), await Deno.readTextFile(b)].includes(dumped), dumped);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("--no-use-embedded-config repairs a program whose embedded config is broken", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    // Break it the way an old or hand-edited program could be: a config that does not parse.
    const bytes = await Deno.readFile(chalk);
    const facts = { path: chalk, executable: true, chalking: true };
    const mark = new Map<string, string | bigint>([
      ["MAGIC", "dadfedabbadabbed"],
      ["CHALK_ID", "X"],
      ["$CHALK_CONFIG", "this is = not con4m\n"],
      ["$CHALK_IMPLEMENTATION_NAME", "chalk-ts"],
      ["METADATA_ID", "X"],
    ]);
    await Deno.writeFile(chalk, insertBytes(sourceCodec, bytes, writeMarkJson(mark), facts), {
      mode: 0o755,
    });
    const broken = await run(chalk, ["env"], { env: box.env });
    assertEquals(broken.code, 2);
    assertMatch(broken.stderr, /\[embedded config\]|--no-use-embedded-config/);
    // version and dump still answer (dump with the text to fix), with a warning.
    const version = await run(chalk, ["version"], { env: box.env });
    assertEquals(version.code, 0, version.stderr);
    assertMatch(version.stdout, /^Chalk Version/);
    assertMatch(version.stderr, /^warn: {2}\[embedded config\]:1:\d+: /m);
    const dump = await run(chalk, ["dump"], { env: box.env });
    assertEquals(dump.code, 0, dump.stderr);
    assertEquals(dump.stdout, "this is = not con4m\n");
    assertMatch(
      dump.stderr,
      /warn: {2}The embedded configuration does not load; dump runs without it/,
    );
    const fix = await run(chalk, ["--no-use-embedded-config", "load", "default"], {
      cwd: box.work,
      env: box.env,
    });
    assertEquals(fix.code, 0, fix.stderr);
    assertEquals((await run(chalk, ["version"], { env: box.env })).code, 0);
    assertEquals(
      (await run(chalk, ["dump"], { env: box.env })).stdout,
      "# The default config is empty. Please see chalk documentation for examples.\n",
    );
  } finally {
    await box.cleanup();
  }
});

Deno.test("every example configuration in docs/configs passes chalk load", async () => {
  const box = await sandbox();
  try {
    for (const name of ["demo-http.c4m", "demo-docker.c4m", "demo-wrap.c4m"]) {
      // A fresh default program per example: a load is reported with the configuration
      // being replaced, and these examples post to localhost:8585, where another test's
      // server may be listening.
      const chalk = await privateChalk(join(box.work, name));
      const path = join(ROOT, "docs/configs", name);
      const r = await run(chalk, ["load", path], { cwd: box.work, env: box.env });
      assertEquals(r.stderr.includes("8585"), false, `${name} reported over HTTP: ${r.stderr}`);
      assertEquals(r.code, 0, `${name}: ${r.stderr}`);
      assertEquals(
        (await run(chalk, ["dump"], { env: box.env })).stdout,
        await Deno.readTextFile(path),
      );
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("load shows the offending source line and a caret under each error", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const path = join(box.work, "typo.c4m");
    await Deno.writeTextFile(path, '# mine\nsink_config x {\n\tsink: "carrier_pigeon"\n}\n');
    const r = await run(chalk, ["load", path], { cwd: box.work, env: box.env });
    assertEquals(r.code, 2, r.stderr);
    const lines = r.stderr.split("\n");
    const at = lines.findIndex((l) => /^error: .*typo\.c4m:3:2: .*carrier_pigeon/.test(l));
    assert(at >= 0, r.stderr);
    // The line as written (its tab kept, so the caret lines up), then the caret.
    assertEquals(lines.slice(at + 1, at + 3), ['  \tsink: "carrier_pigeon"', "  \t^"]);
    // A parse error points at where the parser stopped.
    const syntax = join(box.work, "syntax.c4m");
    await Deno.writeTextFile(syntax, "log_level: \n");
    const s = await run(chalk, ["load", syntax], { cwd: box.work, env: box.env });
    assertEquals(s.code, 2, s.stderr);
    assertMatch(s.stderr, /syntax\.c4m:1:11: .*\n {2}log_level: \n {12}\^\n/);
  } finally {
    await box.cleanup();
  }
});

Deno.test("load rejects what a later run would fail on: unknown sinks and templates", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const cases: [string, string, RegExp][] = [
      [
        "sub.c4m",
        'subscribe("report", "nosuch")\n',
        /sub\.c4m:1:1: .*no sink_config named 'nosuch'/,
      ],
      [
        "branch.c4m",
        'if command_name() == "insert" {\n  subscribe("report", "nowhere")\n}\n',
        /branch\.c4m:2:3: .*no sink_config named 'nowhere'/,
      ],
      [
        "computed.c4m",
        'x := "no" + "sink"\nsubscribe("report", x)\n',
        /computed\.c4m:2:1: .*no sink_config named 'nosink'/,
      ],
      [
        "outconf.c4m",
        'outconf insert {\n  report_template: "nosuch_tpl"\n}\n',
        /outconf\.c4m:2:3: .*no report_template named 'nosuch_tpl'/,
      ],
      [
        "custom.c4m",
        'custom_report r {\n  report_template: "report_default"\n  sink_configs: ["gone"]\n}\n',
        /custom\.c4m:3:3: .*no sink_config named 'gone'/,
      ],
      [
        "labels.c4m",
        'docker.label_template: "nosuch_labels"\n',
        /labels\.c4m:1:1: .*no mark_template named 'nosuch_labels'/,
      ],
    ];
    await expectRejected(chalk, box, cases);
    // A subscription to a sink the same file defines is fine.
    const good = join(box.work, "good.c4m");
    await Deno.writeTextFile(
      good,
      'sink_config mine {\n  sink: "file"\n  filename: "/tmp/x.log"\n}\nsubscribe("report", "mine")\n',
    );
    const ok = await run(chalk, ["load", good], { cwd: box.work, env: box.env });
    assertEquals(ok.code, 0, ok.stderr);
  } finally {
    await box.cleanup();
  }
});

Deno.test("load keeps the program's mode exactly (no execute bits added for group or others)", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const conf = join(box.work, "c.c4m");
    await Deno.writeTextFile(conf, 'log_level: "warn"\n');
    for (const mode of [0o700, 0o750, 0o755]) {
      await Deno.chmod(chalk, mode);
      const r = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(((await Deno.stat(chalk)).mode! & 0o7777).toString(8), mode.toString(8));
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("load checks the candidate's embedded configuration alone, and tells its error", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const good = join(box.work, "good.c4m");
    await Deno.writeTextFile(good, 'log_level: "warn"\n');
    // A broken chalk.c4m where the candidate would look (working folder, HOME) is not what is loaded.
    await Deno.writeTextFile(join(box.work, "chalk.c4m"), "x := 1 +\n");
    await Deno.writeTextFile(join(box.home, "chalk.c4m"), "x := 1 +\n");
    const skip = ["--no-use-external-config"];
    const r = await run(chalk, [...skip, "load", good], { cwd: box.work, env: box.env });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(
      (await run(chalk, [...skip, "dump"], { env: box.env })).stdout,
      await Deno.readTextFile(good),
    );
    const back = await run(chalk, ["--no-use-embedded-config", ...skip, "load", "default"], {
      cwd: box.work,
      env: box.env,
    });
    assertEquals(back.code, 0, back.stderr);

    // Valid when `load` checks it, failing when the candidate starts: the reason is its error line.
    const odd = join(box.work, "odd.c4m");
    await Deno.writeTextFile(
      odd,
      'info("starting")\nif command_name() != "load" {\n  l := [1]\n  y := l[5]\n}\n',
    );
    const pristine = await sha256sum(chalk);
    const bad = await run(chalk, [...skip, "load", odd], { cwd: box.work, env: box.env });
    assertEquals(bad.code, 2, bad.stderr);
    assertMatch(
      bad.stderr,
      /^error: the new configuration does not start: \[embedded config\]:4:\d+: .*index/m,
    );
    assertEquals(await sha256sum(chalk), pristine);
  } finally {
    await box.cleanup();
  }
});

Deno.test("load and setup refuse an empty --output before anything runs", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    const good = join(box.work, "good.c4m");
    await Deno.writeTextFile(good, 'log_level: "warn"\n');
    for (
      const args of [
        ["load", "-o", "", good],
        ["load", "--output=", good],
        ["setup", "--output="],
        ["setup", "-o", ""],
      ]
    ) {
      const r = await run(chalk, args, { cwd: box.work, env: box.env });
      assertEquals(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assertMatch(
        r.stderr,
        /^error: option '-o, --output <path>' argument '' is invalid\. the path is empty\n/,
      );
      assertEquals(await sha256sum(chalk), pristine, args.join(" "));
    }
    assertEquals([...Deno.readDirSync(box.work)].map((e) => e.name).sort(), ["bin", "good.c4m"]);
  } finally {
    await box.cleanup();
  }
});

Deno.test("every load removes what a killed load left beside the program, a no-op one too", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const bin = join(box.work, "bin");
    const bad = join(box.work, "bad.c4m");
    await Deno.writeTextFile(bad, "x := 1 +\n");
    // The default program (a no-op `load default`), then a load refused for its configuration.
    for (const source of ["default", bad]) {
      const leftover = join(bin, ".chalk.chalk-k1ll3d.tmp");
      await Deno.writeTextFile(leftover, "half a program");
      const r = await run(chalk, ["load", source], { cwd: box.work, env: box.env });
      assertEquals(r.code, source === bad ? 2 : 0, r.stderr);
      assertMatch(
        r.stderr,
        /\.chalk\.chalk-k1ll3d\.tmp: removed, left by an interrupted chalk run/,
      );
      assertEquals([...Deno.readDirSync(bin)].map((e) => e.name), ["chalk"], source);
    }
  } finally {
    await box.cleanup();
  }
});
