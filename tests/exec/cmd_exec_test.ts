/** The pure parts of `chalk exec`: argv splitting, program choice, lookup, settings. */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { splitExecArgv } from "../../exec/exec_argv.ts";
import { defaultExecSettings, durationMs, ExecSetupError, withFlags } from "../../exec/settings.ts";
import { UsageError } from "../../internal/errors.ts";
import { chooseCommand, findExecutables, workloadEnv } from "../../exec/workload.ts";

Deno.test("splitExecArgv keeps exec flags for chalk and everything after them for the workload", () => {
  assertEquals(splitExecArgv(["--trace", "exec", "--heartbeat", "--", "ls", "-l"]), {
    chalkArgs: ["--trace", "exec", "--heartbeat"],
    globalArgs: ["--trace"],
    workload: ["ls", "-l"],
  });
  assertEquals(splitExecArgv(["exec", "--exec-command-name", "x", "--heartbeat-rate=2s", "-a"]), {
    chalkArgs: ["exec", "--exec-command-name", "x", "--heartbeat-rate=2s"],
    globalArgs: [],
    workload: ["-a"],
  });
  // The first word that is not a chalk flag starts the workload; later flags are its own.
  assertEquals(splitExecArgv(["exec", "ls", "--heartbeat", "--trace", "--", "x"]), {
    chalkArgs: ["exec"],
    globalArgs: [],
    workload: ["ls", "--heartbeat", "--trace", "--", "x"],
  });
  // `-l` takes a value (here the word "exec"); the second "exec" is the command.
  assertEquals(splitExecArgv(["-l", "exec", "exec", "--", "a"]), {
    chalkArgs: ["-l", "exec", "exec"],
    globalArgs: ["-l", "exec"],
    workload: ["a"],
  });
  assertEquals(splitExecArgv(["insert", "exec"]), undefined);
  // Help before the workload is chalk's; after it, the workload's.
  assertEquals(splitExecArgv(["exec", "--help"])?.workload, []);
  assertEquals(splitExecArgv(["exec", "--", "ls", "--help"])?.workload, ["ls", "--help"]);
});

Deno.test("splitExecArgv takes chalk's global flags after exec, before the workload", () => {
  // The original's functional tests call exec this way.
  assertEquals(splitExecArgv(["exec", "--log-level=none", "--exec-command-name=./uname"]), {
    chalkArgs: ["exec", "--log-level=none", "--exec-command-name=./uname"],
    globalArgs: ["--log-level=none"],
    workload: [],
  });
  assertEquals(
    splitExecArgv([
      "exec",
      "--config-file",
      "/c.c4m",
      "--no-use-embedded-config",
      "--chalk-as-parent",
      "-l",
      "error",
      "--virtual",
      "sleep",
      "5",
    ]),
    {
      chalkArgs: [
        "exec",
        "--config-file",
        "/c.c4m",
        "--no-use-embedded-config",
        "--chalk-as-parent",
        "-l",
        "error",
        "--virtual",
      ],
      globalArgs: [
        "--config-file",
        "/c.c4m",
        "--no-use-embedded-config",
        "-l",
        "error",
        "--virtual",
      ],
      workload: ["sleep", "5"],
    },
  );
  // `--` ends chalk's flags: what follows is the workload's even when it looks like chalk's.
  assertEquals(splitExecArgv(["exec", "--trace", "--", "--log-level=none"]), {
    chalkArgs: ["exec", "--trace"],
    globalArgs: ["--trace"],
    workload: ["--log-level=none"],
  });
  // A flag chalk does not know starts the workload (as a program name it fails later).
  assertEquals(splitExecArgv(["exec", "--nosuch", "x"])?.workload, ["--nosuch", "x"]);
});

Deno.test("chooseCommand takes the program from the arguments unless one is named", () => {
  const s = defaultExecSettings({ PATH: "/bin" });
  assertEquals(chooseCommand(s, ["ls", "-l"]), { name: "ls", args: ["-l"] });
  const named = { ...s, commandName: "/hi.sh" };
  assertEquals(chooseCommand(named, ["-x"]), { name: "/hi.sh", args: ["-x"] });
  const defaults = { ...named, defaultArgs: ["a"], appendCommandLineArgs: true };
  assertEquals(chooseCommand(defaults, ["b"]), { name: "/hi.sh", args: ["a", "b"] });
  const fixed = { ...named, defaultArgs: ["a"], overrideOk: false };
  let caught: unknown;
  try {
    chooseCommand(fixed, ["b"]);
  } catch (e) {
    caught = e;
  }
  assert(caught instanceof ExecSetupError);
  assertMatch(caught.message, /Cannot override default arguments/);
  assertEquals(chooseCommand(fixed, []), { name: "/hi.sh", args: ["a"] });
});

Deno.test("findExecutables walks the search path and skips non-executable files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_find_" });
  try {
    await Deno.mkdir(join(dir, "a"));
    await Deno.mkdir(join(dir, "b"));
    await Deno.writeTextFile(join(dir, "a", "tool"), "x", { mode: 0o644 });
    await Deno.writeTextFile(join(dir, "b", "tool"), "#!/bin/sh\n", { mode: 0o755 });
    assertEquals(findExecutables("tool", [join(dir, "a"), join(dir, "b")]), [
      join(dir, "b", "tool"),
    ]);
    assertEquals(findExecutables(join(dir, "a", "tool"), []), []);
    assertEquals(findExecutables(join(dir, "b", "tool"), []), [join(dir, "b", "tool")]);
    assertEquals(findExecutables("tool", [join(dir, "a")]), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("defaultExecSettings appends '.' to $PATH and withFlags overrides it", () => {
  const s = defaultExecSettings({ PATH: "/usr/bin:/bin" });
  assertEquals(s.searchPath, ["/usr/bin", "/bin", "."]);
  assertEquals([s.chalkAsParent, s.heartbeat.run, s.heartbeat.rateMs, s.initialSleepMs], [
    false,
    false,
    20_000,
    50,
  ]);
  const f = withFlags(s, { chalkAsParent: true, heartbeat: true, heartbeatRate: "<<2 seconds>>" });
  assertEquals([f.chalkAsParent, f.heartbeat.run, f.heartbeat.rateMs], [true, true, 2000]);
});

Deno.test("durationMs reads con4m durations and rejects nonsense", () => {
  assertEquals(durationMs("10ms"), 10);
  assertEquals(durationMs("1 min 30 sec"), 90_000);
  for (const bad of ["", "fast", "0s"]) {
    let caught: unknown;
    try {
      durationMs(bad);
    } catch (e) {
      caught = e;
    }
    // A flag's bad value is a usage error: exit 2, as for `load --timeout`.
    assert(caught instanceof UsageError, bad);
    assertEquals(caught.exitCode, 2);
  }
});

Deno.test("workloadEnv removes CHALK_TS_RUNTIME and keeps the rest", () => {
  assertEquals(workloadEnv({ A: "1", CHALK_TS_RUNTIME: "[]", PATH: "/bin" }), {
    A: "1",
    PATH: "/bin",
  });
});

Deno.test("workloadEnv drops what a wrapped image set only for chalk's runtime", () => {
  const own = JSON.stringify({ DENO_DIR: "/.chalk/cache", DENO_DISABLE_NODE_SHIM: "1" });
  assertEquals(
    workloadEnv({
      A: "1",
      DENO_DIR: "/.chalk/cache",
      DENO_DISABLE_NODE_SHIM: "0", // changed by the image's own ENV: the workload's now
      CHALK_TS_RUNTIME_ENV: own,
    }),
    { A: "1", DENO_DISABLE_NODE_SHIM: "0" },
  );
});
