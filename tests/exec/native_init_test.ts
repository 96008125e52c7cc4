/**
 * chalk's native init (docker/init/chalk_init.c; docs/exec.md, "The native init"), run on the
 * host as the program the image holds, with a stand-in reporter (a shell script that answers on
 * descriptor 3 as chalk's reporter does). The docker side is tests/docker/wrap_init_test.ts.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { initBinary, PID_SLOT } from "../../docker/init/chalk_init.ts";
import {
  CHALK_INIT_COMPILER,
  CHALK_INIT_SOURCE_SHA256,
} from "../../docker/init/chalk_init.generated.ts";
import { compileInit, INIT_SOURCE, sourceDigest } from "../../scripts/build_init.ts";

const binary = initBinary(Deno.build.arch);
const skip = binary === undefined || Deno.build.os !== "linux";

/** A stand-in reporter: logs its argv, sleeps REP_SLEEP, then says REP_WORD on descriptor 3. */
const REPORTER = `#!/bin/sh
echo "$@" > "$REP_LOG"
sleep "\${REP_SLEEP:-0}"
[ -n "$REP_WORD" ] && echo "$REP_WORD" >&3
exit 0
`;

interface Setup {
  dir: string;
  init: string;
  reporter: string;
  log: string;
}

async function setup(): Promise<Setup> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-init-test-" });
  const init = join(dir, "chalk-init");
  await Deno.writeFile(init, binary!, { mode: 0o755 });
  const reporter = join(dir, "reporter.sh");
  await Deno.writeTextFile(reporter, REPORTER, { mode: 0o755 });
  return { dir, init, reporter, log: join(dir, "reporter.log") };
}

async function runInit(
  s: Setup,
  wait: string,
  workload: string[],
  env: Record<string, string> = {},
) {
  const out = await new Deno.Command(s.init, {
    args: [wait, s.reporter, "--flag", PID_SLOT, "--", ...workload],
    env: { REP_LOG: s.log, REP_WORD: "ok", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

const WARN = "warn:  exec: the workload ended before its report was delivered (";

Deno.test({
  name:
    "native init: the workload runs first, the reporter gets its PID, the status is the workload's",
  ignore: skip,
  async fn() {
    const s = await setup();
    try {
      const r = await runInit(s, "1000", [
        "sh",
        "-c",
        'echo "pid=$$ args=$0 $1"; exit 5',
        "x",
        "y",
      ]);
      assertEquals([r.code, r.stderr], [5, ""]);
      const pid = /^pid=(\d+) args=x y\n$/.exec(r.stdout)?.[1];
      assert(pid, r.stdout);
      // The slot holds the workload's PID, zero-padded; the workload's argv follows `--`.
      const logged = (await Deno.readTextFile(s.log)).trim();
      assertEquals(
        logged,
        `--flag ${pid.padStart(10, "0")} -- sh -c ${'echo "pid=$$ args=$0 $1"; exit 5'} x y`,
      );
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "native init: a workload killed by a signal gives 128 + the signal",
  ignore: skip,
  async fn() {
    const s = await setup();
    try {
      const r = await runInit(s, "1000", ["sh", "-c", "kill -KILL $$"]);
      assertEquals(r.code, 137);
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "native init: an undelivered report gives one warning line (late, failed, reporter gone), q silences it",
  ignore: skip,
  async fn() {
    const s = await setup();
    try {
      const late = await runInit(s, "200", ["true"], { REP_SLEEP: "0.8" });
      assertEquals(late.code, 0);
      assertEquals(
        late.stderr,
        `${WARN}not delivered within 200 ms); the report is lost (exec.report_wait: 200 ms)\n`,
      );
      const failed = await runInit(s, "1000", ["true"], { REP_WORD: "failed sink conf x: down" });
      assertEquals(
        failed.stderr,
        `${WARN}sink conf x: down); the report is lost (exec.report_wait: 1000 ms)\n`,
      );
      const silent = await runInit(s, "1000", ["true"], { REP_WORD: "" });
      assertEquals(
        silent.stderr,
        `${WARN}the reporter ended before sending it); the report is lost (exec.report_wait: 1000 ms)\n`,
      );
      const quiet = await runInit(s, "200q", ["true"], { REP_SLEEP: "0.8" });
      assertEquals([quiet.code, quiet.stderr], [0, ""]);
      // Delivered while the workload still ran: no wait and no line when it ends.
      const t0 = performance.now();
      const early = await runInit(s, "5000", ["sh", "-c", "sleep 0.5"]);
      assertEquals([early.code, early.stderr], [0, ""]);
      assert(performance.now() - t0 < 3000, "no wait once delivered");
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "native init: PATH search, CHALK_TS_RUNTIME left out of the workload's environment",
  ignore: skip,
  async fn() {
    const s = await setup();
    try {
      const bin = join(s.dir, "bin");
      await Deno.mkdir(bin);
      await Deno.writeTextFile(
        join(bin, "hello"),
        '#!/bin/sh\necho "hello ${CHALK_TS_RUNTIME:-unset} $KEEP"\n',
        { mode: 0o755 },
      );
      const env = { PATH: `/nonexistent::${bin}:/usr/bin:/bin`, CHALK_TS_RUNTIME: "[]", KEEP: "k" };
      const r = await runInit(s, "1000", ["hello"], env);
      assertEquals([r.code, r.stdout, r.stderr], [0, "hello unset k\n", ""]);
      const missing = await runInit(s, "1000", ["no-such-program"], { ...env, REP_WORD: "ok" });
      assertEquals(missing.code, 127);
      assert(
        missing.stderr.startsWith(
          "chalk: No executable named 'no-such-program' found in your path.\n",
        ),
        missing.stderr,
      );
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "native init: signals sent to the init reach the workload",
  ignore: skip,
  async fn() {
    const s = await setup();
    try {
      const child = new Deno.Command(s.init, {
        args: [
          "1000",
          s.reporter,
          PID_SLOT,
          "--",
          "sh",
          "-c",
          "trap 'echo got-usr1; exit 4' USR1; echo ready; while :; do sleep 0.05; done",
        ],
        env: { REP_LOG: s.log, REP_WORD: "ok" },
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const reader = child.stdout.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      assertEquals(first, "ready\n");
      child.kill("SIGUSR1");
      let rest = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += new TextDecoder().decode(value);
      }
      const status = await child.status;
      assertEquals([status.code, rest], [4, "got-usr1\n"]);
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "native init: bad arguments give a usage line and exit 2",
  ignore: skip,
  async fn() {
    const s = await setup();
    try {
      const out = await new Deno.Command(s.init, { args: ["1000", "x"], stderr: "piped" }).output();
      assertEquals(out.code, 2);
      assert(new TextDecoder().decode(out.stderr).startsWith("chalk-init: usage:"));
    } finally {
      await Deno.remove(s.dir, { recursive: true });
    }
  },
});

Deno.test("native init: the committed binary was built from the committed source", async () => {
  assertEquals(
    sourceDigest(await Deno.readTextFile(INIT_SOURCE)),
    CHALK_INIT_SOURCE_SHA256,
    "docker/init/chalk_init.c changed: run `deno task init-binary`",
  );
});

const gcc = await new Deno.Command("gcc", { args: ["--version"], stdout: "piped" }).output()
  .then((o) => new TextDecoder().decode(o.stdout).split("\n")[0]).catch(() => undefined);

Deno.test({
  name: gcc === CHALK_INIT_COMPILER
    ? "native init: the same gcc rebuilds the committed bytes"
    : `native init rebuild: skipped, the committed binary was built by '${CHALK_INIT_COMPILER}' (here: ${
      gcc ?? "no gcc"
    })`,
  ignore: gcc !== CHALK_INIT_COMPILER || binary === undefined,
  async fn() {
    const { bytes } = await compileInit();
    assertEquals(bytes, binary);
  },
});
