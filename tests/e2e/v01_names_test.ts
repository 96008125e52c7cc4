/**
 * Chalk v0.1's flags and names, as its functional tests and the tutorial
 * use them: `--version`/`-V`, `--color`/`--no-color` (and NO_COLOR),
 * `--debug`, the base templates v0.1 shipped, `exec.heartbeat: true`,
 * `chalk.conf`, `chalk env`, and the `_OP_HOSTINFO`/`_OP_NODENAME` keys.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { CHALK, parseReports, run, type Sandbox, sandbox } from "./_chalk.ts";

type Json = Record<string, unknown>;

/** The last report appended to the sandbox's chalk.log. */
function lastLogged(sb: Sandbox): Json {
  const lines = Deno.readTextFileSync(join(sb.home, ".local/chalk/chalk.log")).trim().split("\n");
  return JSON.parse(lines[lines.length - 1])[0];
}

/** Runs chalk with stdin, stdout and stderr on a terminal (util-linux `script`). */
function onTerminal(sb: Sandbox, args: string, env: Record<string, string> = {}) {
  return run("script", ["-qec", `${CHALK} ${args}`, "/dev/null"], {
    cwd: sb.work,
    env: { ...sb.env, ...env },
  });
}

const ESC = "\x1b[";

Deno.test("--version and -V print the version, as `chalk version` does", async () => {
  const sb = await sandbox();
  try {
    const version = await sb.chalk(["version"]);
    assertMatch(version.stdout, /^Chalk Version {2}\d+\.\d+\.\d+/);
    for (const args of [["--version"], ["-V"], ["--log-level=error", "-V"], ["insert", "-V"]]) {
      const r = await sb.chalk(args);
      assertEquals([r.code, r.stdout], [0, version.stdout], args.join(" "));
    }
    // -V is not --no-virtual any more: nothing was inserted into the folder.
    await Deno.writeTextFile(join(sb.work, "s.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    await sb.chalk(["-V", "insert", "s.sh"]);
    assertEquals(await Deno.readTextFile(join(sb.work, "s.sh")), "#!/bin/sh\necho hi\n");
    // --no-virtual keeps its meaning.
    const nv = await sb.chalk(["--no-virtual", "insert", "s.sh"]);
    assertEquals(nv.code, 0, nv.stderr);
    assert((await Deno.readTextFile(join(sb.work, "s.sh"))).includes("MAGIC"));
    // The workload's --version is the workload's.
    const ex = await sb.chalk(["exec", "--", "sh", "-c", "echo $1", "sh", "--version"]);
    assertEquals(ex.stdout, "--version\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("log prefixes are coloured on a terminal, unless NO_COLOR, --no-color or color: false", async () => {
  const sb = await sandbox();
  try {
    const tty = await onTerminal(sb, "extract --skip-summary-report");
    assertEquals(tty.code, 0, tty.stdout);
    assert(tty.stdout.includes(`${ESC}33mwarn:${ESC}0m  No chalk marks extracted`), tty.stdout);
    const noColorEnv = await onTerminal(sb, "extract", { NO_COLOR: "1" });
    assert(noColorEnv.stdout.includes("warn:  No chalk marks"), noColorEnv.stdout);
    assert(!noColorEnv.stdout.includes(ESC), noColorEnv.stdout);
    const noColorFlag = await onTerminal(sb, "--no-color extract");
    assert(!noColorFlag.stdout.includes(ESC), noColorFlag.stdout);
    const conf = join(sb.work, "nocolor.c4m");
    await Deno.writeTextFile(conf, "color: false\n");
    const noColorConf = await onTerminal(sb, `--config-file ${conf} extract`);
    assert(!noColorConf.stdout.includes(ESC), noColorConf.stdout);
    // Not a terminal: plain, unless --color asks for it.
    const piped = await sb.chalk(["extract"]);
    assert(piped.stderr.includes("warn:  No chalk marks") && !piped.stderr.includes(ESC));
    const forced = await sb.chalk(["--color", "extract"]);
    assert(forced.stderr.includes(`${ESC}33mwarn:${ESC}0m`), forced.stderr);
    assert(!forced.stdout.includes(ESC), "the JSON report stays plain");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("--debug prints the stack trace of an error; without it, one line", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "s.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    // A signer key file that is not there: an error the command itself throws (exit 2).
    await Deno.writeTextFile(
      join(sb.work, "policy.c4m"),
      'verify_policy {\n  allowed_signers: ["/nonexistent/key.pem"]\n}\n',
    );
    const args = ["verify", "--policy", "policy.c4m", "s.sh"];
    const plain = await sb.chalk(args);
    assertEquals(plain.code, 2, plain.stderr);
    assertMatch(plain.stderr, /error: .*nonexistent\/key\.pem/);
    assert(!/^\s+at /m.test(plain.stderr), plain.stderr);
    const debug = await sb.chalk(["--debug", ...args]);
    assertEquals(debug.code, 2);
    assertMatch(debug.stderr, /error: .*nonexistent\/key\.pem/);
    assertMatch(debug.stderr, /^\s+at /m);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("v0.1's base templates exist: report_all, mark_large, push_default, audit, usage", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "s.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    const ins = await sb.chalk(["insert", "--mark-template", "mark_large", "s.sh"]);
    assertEquals(ins.code, 0, ins.stderr);
    const mark = JSON.parse(
      (await Deno.readTextFile(join(sb.work, "s.sh"))).split("\n").find((l) => l.includes("MAGIC"))!
        .replace(/^# /, ""),
    );
    // mark_large has what mark_default leaves out.
    assertEquals(mark.PATH_WHEN_CHALKED, join(sb.work, "s.sh"));
    assertEquals(typeof mark.NODENAME_WHEN_CHALKED, "string");
    assert(Array.isArray(mark.INJECTOR_ARGV));
    const all = await sb.chalk(["extract", "--report-template", "report_all", "s.sh"]);
    assertEquals(all.code, 0, all.stderr);
    const full = lastLogged(sb);
    assertEquals(full._OPERATION, "extract");
    for (const k of ["_OP_HOSTINFO", "_OP_NODENAME", "_OP_HOST_VERSION", "_OP_PLATFORM"]) {
      assert(k in full, `report_all has ${k}`);
    }
    const templates: [string, string[]][] = [
      ["audit", ["_OPERATION", "_ACTION_ID", "_TIMESTAMP", "_OP_CMD_FLAGS"]],
      ["usage", ["_OPERATION", "_TIMESTAMP", "_OP_CHALKER_VERSION", "_OP_PLATFORM"]],
      ["push_default", ["_OPERATION"]],
    ];
    for (const [template, keys] of templates) {
      const r = await sb.chalk(["env", "--report-template", template]);
      assertEquals(r.code, 0, `${template}: ${r.stderr}`);
      const report = lastLogged(sb);
      for (const k of keys) assert(k in report, `${template} has ${k}`);
      // A small template: none of report_default's host keys.
      for (const k of ["_ENV", "_OP_HOSTNAME", "_OP_ARGV"]) {
        assert(!(k in report), `${template}: ${k}`);
      }
    }
  } finally {
    await sb.cleanup();
  }
});

Deno.test("chalk env reports the host, no artifact, with v0.1's _OP_HOSTINFO/_OP_NODENAME", async () => {
  const sb = await sandbox();
  try {
    const r = await sb.chalk(["env"]);
    assertEquals(r.code, 0, r.stderr);
    const [summary] = parseReports(r.stdout);
    assertEquals(summary._OPERATION, "env");
    assertEquals(summary._CHALKS, undefined);
    const full = lastLogged(sb);
    const uname = (flag: string) => new Deno.Command("uname", { args: [flag] }).outputSync();
    const text = (o: Deno.CommandOutput) => new TextDecoder().decode(o.stdout).trim();
    assertEquals(full._OP_HOSTINFO, text(uname("-v")));
    assertEquals(full._OP_NODENAME, text(uname("-n")));
    assertEquals(full._OP_HOST_VERSION, full._OP_HOSTINFO);
    assertEquals(full._OP_HOST_NODENAME, full._OP_NODENAME);
    assertEquals((await sb.chalk(["environment"])).code, 0);
    // The insert report in chalk.log too, as the tutorial shows it.
    await Deno.writeTextFile(join(sb.work, "s.sh"), "#!/bin/sh\necho hi\n", { mode: 0o755 });
    assertEquals((await sb.chalk(["insert", "s.sh"])).code, 0);
    const inserted = lastLogged(sb);
    assertEquals([inserted._OP_HOSTINFO, inserted._OP_NODENAME], [
      full._OP_HOSTINFO,
      full._OP_NODENAME,
    ]);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("chalk.conf (v0.1's name) is found beside where chalk.c4m is looked for", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "chalk.conf"), 'log_level: "error"\n');
    const r = await sb.chalk(["env"]);
    assertEquals(r.code, 0, r.stderr);
    assertMatch(r.stderr, /chalk\.conf: Found config file/);
    // Its log_level applies: no info lines once it is loaded.
    assert(!r.stderr.includes("Full chalk report"), r.stderr);
    // chalk.c4m wins in the same folder.
    await Deno.writeTextFile(join(sb.work, "chalk.c4m"), 'log_level: "info"\n');
    const both = await sb.chalk(["env"]);
    assertMatch(both.stderr, /chalk\.c4m: Found config file/);
  } finally {
    await sb.cleanup();
  }
});
