/**
 * The exec reporter in-process against a real local HTTP server (the `post`
 * sink) and real workload processes: the exec report, its heartbeats, and
 * the report cache when the server is down.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { Logger } from "../../internal/logger.ts";
import { DEFAULT_CACHE, hubFor, type RunContext } from "../../ops/run_context.ts";
import type { OutputConfig } from "../../config/output_config.ts";
import { loadChalkConfig } from "../../config/load_config.ts";
import { selfInfo } from "../../ops/self_path.ts";
import { selfCommand } from "../../exec/reporter_launch.ts";
import { reportExec } from "../../exec/report_exec.ts";
import { parseExecProtocol } from "../../exec/exec_outcome.ts";
import { ExecSession } from "../../exec/session.ts";
import { ExecJobError, parseJob } from "../../exec/job.ts";
import { collectExecArtifact, containerIdFromMountInfo } from "../../exec/exec_artifact.ts";

type Report = Record<string, unknown>;

const CONFIG = await loadChalkConfig({
  command: "exec",
  noEmbeddedConfig: true,
  noExternalConfig: true,
});

function contextFor(uri: string, cacheDir?: string): RunContext {
  const log = new Logger("none");
  const output: OutputConfig = {
    ...CONFIG.outputConfig(),
    sinkConfigs: [{
      name: "to_server",
      sink: "post",
      enabled: true,
      filters: [],
      params: { uri, timeout: 2000 },
    }],
    subscriptions: [["report", "to_server"]],
    customReports: [],
  };
  const cache = cacheDir === undefined
    ? { ...DEFAULT_CACHE, enabled: false }
    : { ...DEFAULT_CACHE, path: join(cacheDir, "chalk-reports.jsonl") };
  return {
    command: "exec",
    self: selfInfo(),
    log,
    output,
    hub: hubFor(output, log, cache),
    config: CONFIG,
    template: (name) => CONFIG.template(name),
    ignorePatterns: [],
    options: {
      recursive: true,
      virtual: false,
      symlinkChalking: "skip",
      skipSummaryReport: true,
      skipCommandReport: false,
    },
    failed: false,
    facts: {
      selfPath: "/opt/chalk",
      args: ["exec", "--", "sleep", "5"],
      commandArgs: ["sleep", "5"],
      flags: [],
      started: new Date(),
      version: "0.1.0",
    },
  };
}

async function withServer(
  fn: (uri: string, received: Report[]) => Promise<void>,
): Promise<void> {
  const received: Report[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = await req.json();
    received.push(...body);
    return new Response("ok");
  });
  try {
    await fn(`http://127.0.0.1:${server.addr.port}/report`, received);
  } finally {
    await server.shutdown();
  }
}

function sleeper(): Deno.ChildProcess {
  return new Deno.Command("sleep", { args: ["5"], stdout: "null", stderr: "null" }).spawn();
}

async function stop(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  await child.status;
}

Deno.test("reportExec posts the exec report and numbered heartbeats to a server", async () => {
  await withServer(async (uri, received) => {
    const child = sleeper();
    try {
      const ctx = contextFor(uri);
      const session = new ExecSession("00112233aabbccdd", Date.now());
      const beats = await reportExec(ctx, session, {
        pid: child.pid,
        program: "/usr/bin/sleep",
        argv: ["sleep", "5"],
        cwd: Deno.cwd(),
      }, { heartbeat: { run: true, rateMs: 20 }, alive: () => true, maxBeats: 3 });
      await ctx.hub.close();
      assertEquals(beats, 3);
      assertEquals(received.map((r) => r._OPERATION), [
        "exec",
        "heartbeat",
        "heartbeat",
        "heartbeat",
      ]);
      const exec = received[0];
      assertEquals(exec._EXEC_ID, "00112233aabbccdd");
      const chalk = (exec._CHALKS as Report[])[0];
      assertEquals(chalk._PROCESS_PID, child.pid);
      // Deno puts the resolved path in argv[0].
      assertMatch((chalk._PROCESS_ARGV as string[]).join(" "), /^\/\S*\/sleep 5$/);
      assertEquals(exec._OP_ARGV, ["/opt/chalk", "exec", "--", "sleep", "5"]);
      assertEquals(received.slice(1).map((r) => r._HEARTBEAT_COUNT), [1, 2, 3]);
      assert(received.slice(1).every((r) => r._EXEC_ID === "00112233aabbccdd"));
    } finally {
      await stop(child);
    }
  });
});

Deno.test("reportExec stops heartbeating once the workload is gone", async () => {
  await withServer(async (uri, received) => {
    const child = sleeper();
    const ctx = contextFor(uri);
    let checks = 0;
    const beats = await reportExec(ctx, new ExecSession("0a", Date.now()), {
      pid: child.pid,
      program: "/usr/bin/sleep",
      argv: ["sleep", "5"],
      cwd: Deno.cwd(),
    }, {
      heartbeat: { run: true, rateMs: 10 },
      alive: () => {
        // The workload dies after the second beat.
        if (++checks === 3) child.kill("SIGKILL");
        return checks < 3;
      },
    });
    await child.status;
    await ctx.hub.close();
    assertEquals(beats, 2);
    assertEquals(received.filter((r) => r._OPERATION === "heartbeat").length, 2);
  });
});

Deno.test("reportExec caches the exec report when the server is down", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_exec_cache_" });
  // A port that was just free: nothing listens there.
  const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (probe.addr as Deno.NetAddr).port;
  probe.close();
  const child = sleeper();
  try {
    const ctx = contextFor(`http://127.0.0.1:${port}/report`, dir);
    await reportExec(ctx, new ExecSession("feedfacefeedface", Date.now()), {
      pid: child.pid,
      program: "/usr/bin/sleep",
      argv: ["sleep", "5"],
      cwd: Deno.cwd(),
    }, { heartbeat: { run: false, rateMs: 0 }, alive: () => true });
    await ctx.hub.close();
    const cached = await Deno.readTextFile(join(dir, "chalk-reports.jsonl"));
    const entry = JSON.parse(cached.trim().split("\n")[0]);
    assertEquals(entry.$sinks, ["to_server"]);
    const report = JSON.parse(entry.$message)[0];
    assertEquals([report._OPERATION, report._EXEC_ID], ["exec", "feedfacefeedface"]);
  } finally {
    await stop(child);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseJob names the field that is missing or the JSON error", () => {
  const reason = (text: string): string => {
    try {
      parseJob(text);
    } catch (e) {
      assert(e instanceof ExecJobError);
      return e.message;
    }
    throw new Error(`accepted ${text}`);
  };
  assertMatch(reason('{"execId":"a","pid":0}'), /field 'pid'/);
  assertMatch(reason("not json"), /^__exec-report: bad job argument: /);
});

Deno.test("selfCommand honours CHALK_TS_RUNTIME and falls back to deno run", () => {
  const words = [
    "/.chalk/ld.so",
    "--library-path",
    "/.chalk/lib",
    "/.chalk/deno",
    "run",
    "-A",
    "/.chalk/chalk",
  ];
  assertEquals(selfCommand({ CHALK_TS_RUNTIME: JSON.stringify(words) }), words);
  const fallback = selfCommand({ CHALK_TS_RUNTIME: "not json" });
  assertEquals(fallback.slice(0, 3), [Deno.execPath(), "run", "-A"]);
});

Deno.test("collectExecArtifact reads /chalk.json in a wrapped container", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk_exec_art_" });
  try {
    const mark = join(dir, "chalk.json");
    await Deno.writeTextFile(
      mark,
      '{ "MAGIC" : "dadfed' + 'abbadabbed", "CHALK_ID" : "64V66C-V36G-TK8D-HJCSHK", ' +
        '"METADATA_ID" : "2VSF2B-EFCA-5J7E-YDJPZ2" }',
    );
    const id = "3f4e5d6c7b8a3f4e5d6c7b8a3f4e5d6c7b8a3f4e5d6c7b8a3f4e5d6c7b8a1234";
    const mounts = join(dir, "mountinfo");
    await Deno.writeTextFile(
      mounts,
      `605 584 254:0 /var/lib/docker/containers/${id}/hostname /etc/hostname rw - ext4 /dev/vda rw\n`,
    );
    const art = collectExecArtifact("/hi.sh", new Logger("none"), {
      containerMark: mark,
      mountInfo: mounts,
    });
    assert(art.marked);
    assertEquals(Object.fromEntries(art.data), {
      CHALK_ID: "64V66C-V36G-TK8D-HJCSHK",
      METADATA_ID: "2VSF2B-EFCA-5J7E-YDJPZ2",
      _OP_ARTIFACT_PATH: "/hi.sh",
      _OP_ARTIFACT_TYPE: "Docker Container",
      _INSTANCE_CONTAINER_ID: id,
    });
    // Outside a container's mount table it is the image's mark.
    await Deno.writeTextFile(mounts, "22 27 0:21 / /proc rw - proc proc rw\n");
    const image = collectExecArtifact("/hi.sh", new Logger("none"), {
      containerMark: mark,
      mountInfo: mounts,
    });
    assertEquals(image.data.get("_OP_ARTIFACT_TYPE"), "Docker Image");
    assertEquals(containerIdFromMountInfo("no containers here"), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("collectExecArtifact reports an unchalked program as unmarked", () => {
  const art = collectExecArtifact("/bin/sh", new Logger("none"), {
    containerMark: "/nonexistent/chalk.json",
    mountInfo: "/proc/self/mountinfo",
  });
  assertEquals(art.marked, false);
  assertEquals(art.data.get("_OP_ARTIFACT_PATH"), "/bin/sh");
  assertEquals(art.data.get("_OP_ARTIFACT_TYPE"), "ELF");
  assertEquals(art.data.get("CHALK_ID"), undefined);
});

Deno.test("parseExecProtocol reads the last candidate tried and a cancel", () => {
  assertEquals(parseExecProtocol(""), { ran: true, candidate: 0 });
  assertEquals(parseExecProtocol("try 0\ntry 1\n"), { ran: true, candidate: 1 });
  assertEquals(parseExecProtocol("try 0\ntry 1\ncancel\n"), { ran: false, candidate: 1 });
});
