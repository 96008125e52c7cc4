/**
 * `chalk exec` configured by a con4m file (the tutorial's run-time reporting):
 * reports POSTed to a real local HTTP server by the detached reporter,
 * heartbeats switched on by `exec.heartbeat`, `exec.chalk_as_parent` and
 * `exec.command_name` taken from the configuration.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { ROOT, sandbox } from "../e2e/_chalk.ts";
import { firstChalk, ofOperation, type Report, startChalk } from "./_exec.ts";

async function withServer(fn: (port: number, received: Report[]) => Promise<void>): Promise<void> {
  const received: Report[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    if (req.method === "POST" && new URL(req.url).pathname === "/report") {
      received.push(...await req.json());
      return new Response("ok");
    }
    return new Response("no", { status: 404 });
  });
  try {
    await fn(server.addr.port, received);
  } finally {
    await server.shutdown();
  }
}

function httpConfig(port: number, extra: string): string {
  return `sink_config exec_http {
  sink: "post"
  uri:  "http://127.0.0.1:${port}/report"
}
subscribe("report", "exec_http")
unsubscribe("report", "default_out")
${extra}
`;
}

async function until(cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test("exec posts the exec report and heartbeats configured by exec.heartbeat", async () => {
  await withServer(async (port, received) => {
    const sb = await sandbox();
    try {
      const conf = join(sb.work, "exec.c4m");
      await Deno.writeTextFile(
        conf,
        httpConfig(port, "exec.heartbeat.run: true\nexec.heartbeat.rate: <<150 msec>>"),
      );
      const s = startChalk(sb, ["--config-file", conf, "exec", "--", "sleep", "2"]);
      assertEquals((await s.finish()).code, 0);
      await until(() => ofOperation(received, "heartbeat").length >= 3);
      const exec = ofOperation(received, "exec");
      assertEquals(exec.length, 1);
      assertEquals(firstChalk(exec[0])._PROCESS_PID, s.child.pid);
      const beats = ofOperation(received, "heartbeat");
      assertEquals(beats.map((b) => b._HEARTBEAT_COUNT), beats.map((_, i) => i + 1));
      assert(beats.every((b) => b._EXEC_ID === exec[0]._EXEC_ID));
      // default_out was unsubscribed in the reporter too: nothing in the log file.
      let logged = true;
      try {
        await Deno.stat(join(sb.home, ".local", "chalk", "chalk.log"));
      } catch {
        logged = false;
      }
      assert(!logged, "the reporter ignored the configuration file");
    } finally {
      await sb.cleanup();
    }
  });
});

Deno.test("exec takes command_name and chalk_as_parent from the configuration", async () => {
  await withServer(async (port, received) => {
    const sb = await sandbox();
    try {
      const script = join(ROOT, "fixtures", "exec", "hi.sh");
      const conf = join(sb.work, "exec.c4m");
      await Deno.writeTextFile(
        conf,
        httpConfig(port, `exec.command_name: "${script}"\nexec.chalk_as_parent: true`),
      );
      const s = startChalk(sb, ["--config-file", conf, "exec", "--", "-a", "b c"]);
      const r = await s.finish();
      assertEquals([r.code, r.stdout], [0, "hi from the workload: -a|b c|\n"]);
      // As parent, chalk delivered before exiting.
      const exec = ofOperation(received, "exec");
      assertEquals(exec.length, 1);
      const chalk = firstChalk(exec[0]);
      assertEquals(chalk._OP_ARTIFACT_PATH, script);
      assertEquals(chalk._PROCESS_PARENT_PID, s.child.pid);
    } finally {
      await sb.cleanup();
    }
  });
});

for (
  const [form, text] of [
    ["dotted", "exec.heartbeat: true\nexec.heartbeat_rate: <<150 msec>>"],
    ["section", "exec {\n  heartbeat: true\n  heartbeat_rate: <<150 msec>>\n}"],
  ]
) {
  Deno.test(`exec takes v0.1's exec.heartbeat / exec.heartbeat_rate attributes (${form})`, async () => {
    await withServer(async (port, received) => {
      const sb = await sandbox();
      try {
        const conf = join(sb.work, "exec.c4m");
        await Deno.writeTextFile(conf, httpConfig(port, text));
        const s = startChalk(sb, ["exec", "--config-file", conf, "--", "sleep", "1.5"]);
        const r = await s.finish();
        assertEquals(r.code, 0, r.stderr);
        await until(() => ofOperation(received, "heartbeat").length >= 3);
        const beats = ofOperation(received, "heartbeat");
        assertEquals(beats.map((b) => b._HEARTBEAT_COUNT), beats.map((_, i) => i + 1));
      } finally {
        await sb.cleanup();
      }
    });
  });
}

Deno.test("exec loading a configuration adds no info line to the workload's stderr", async () => {
  const sb = await sandbox();
  try {
    await Deno.writeTextFile(join(sb.work, "ex.c4m"), "exec { initial_sleep_time: <<10 msec>> }\n");
    const viaFlag = await sb.chalk(["--config-file", "ex.c4m", "exec", "--", "echo", "hi"]);
    assertEquals([viaFlag.code, viaFlag.stdout, viaFlag.stderr], [0, "hi\n", ""]);
    const asParent = await sb.chalk([
      "--config-file",
      "ex.c4m",
      "exec",
      "--chalk-as-parent",
      "--",
      "echo",
      "hi",
    ]);
    assertEquals([asParent.code, asParent.stdout, asParent.stderr], [0, "hi\n", ""]);
    const dir = join(sb.home, ".config", "chalk");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.copyFile(join(sb.work, "ex.c4m"), join(dir, "chalk.c4m"));
    const found = await sb.chalk(["exec", "--", "echo", "hi"]);
    assertEquals([found.code, found.stdout, found.stderr], [0, "hi\n", ""]);
    // Asked for, the line is there.
    const loud = await sb.chalk(["--log-level", "info", "exec", "--", "echo", "hi"]);
    assert(loud.stderr.includes("chalk.c4m: Found config file"), loud.stderr);
  } finally {
    await sb.cleanup();
  }
});
