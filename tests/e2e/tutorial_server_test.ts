/**
 * The tutorial's "Sending the Data Somewhere" and "Basic Configurations"
 * with the built program and the real chalk server on port 8585:
 * load demo-http.c4m, delete and insert POST their reports, /chalks shows
 * the mark merged with the report, dump prints the loaded text, load default
 * restores the log file, and a report the server missed arrives later.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, gitCommitAll, must, parseReports, ROOT, run, sandbox } from "./_chalk.ts";
import { type ServerProcess, startServer } from "../server/_server.ts";

type Json = Record<string, unknown>;
const PORT = 8585;
const BASE = `http://127.0.0.1:${PORT}`;

/** The tutorial's server on its fixed port, with its database in `dir` (kept across restarts). */
function startTutorialServer(dir: string): Promise<ServerProcess> {
  return startServer({ dir, port: PORT });
}

async function getJson(path: string): Promise<Json[]> {
  const r = await fetch(`${BASE}${path}`);
  assertEquals(r.status, 200);
  return await r.json();
}

Deno.test("tutorial: demo-http.c4m sends reports to the chalk server", async () => {
  const box = await sandbox();
  const serverDir = await Deno.makeTempDir();
  let server = await startTutorialServer(serverDir);
  try {
    const bin = join(box.work, "bin");
    await Deno.mkdir(bin);
    const chalk = join(bin, "chalk");
    await Deno.copyFile(CHALK, chalk);
    await Deno.chmod(chalk, 0o755);
    const dir = join(box.work, "chalktest");
    await Deno.mkdir(dir);
    await Deno.copyFile(join(ROOT, "fixtures/e2e/lswrapper.c"), join(dir, "lswrapper.c"));
    const commit = await gitCommitAll(dir, box.env);
    await must("cc", ["-o", join(dir, "ls"), join(dir, "lswrapper.c")]);
    const c = (args: string[]) => run(chalk, args, { cwd: dir, env: box.env });
    const logPath = join(box.home, ".local/chalk/chalk.log");
    const logLines = async () => {
      try {
        return (await Deno.readTextFile(logPath)).trimEnd().split("\n").filter((l) => l).length;
      } catch {
        return 0;
      }
    };

    // chalk load demo-http.c4m (a local copy, as the tutorial's last step does)
    const conf = join(dir, "demo-http.c4m");
    await Deno.copyFile(join(ROOT, "docs/configs/demo-http.c4m"), conf);
    const load = await c(["load", conf]);
    assertEquals(load.code, 0, load.stderr);
    assertMatch(load.stderr, /Configuration replaced in binary: .*\/bin\/chalk/);
    assertEquals((await c(["dump"])).stdout, await Deno.readTextFile(conf));
    const dumped = join(dir, "dumped.c4m");
    assertEquals((await c(["dump", dumped])).code, 0);
    assertEquals(await Deno.readTextFile(dumped), await Deno.readTextFile(conf));

    // chalk delete: the server gets the report, the log file does not grow
    await c(["insert", "ls"]);
    const before = await logLines();
    const del = await c(["delete"]);
    assertEquals(del.code, 0, del.stderr);
    assertMatch(del.stderr, /info: {2}Post 200 OK \(sink conf='demo_http_config'\)/);
    assertEquals(parseReports(del.stdout)[0]._OPERATION, "delete", "summary still printed");
    assertEquals(await logLines(), before);
    assertEquals((await getJson("/reports?operation=delete")).length, 1);

    // chalk insert ls: /chalks shows the mark merged with the report keys
    const ins = await c(["insert", "ls"]);
    assertEquals(ins.code, 0, ins.stderr);
    const chalkId = (parseReports(ins.stdout)[0]._CHALKS as Json[])[0].CHALK_ID;
    const rows = await getJson("/chalks");
    const row = rows.findLast((r) => r.CHALK_ID === chalkId && r._OPERATION === "insert");
    assert(row, "an insert row for the CHALK_ID");
    assertEquals(row.COMMIT_ID, commit);
    assertEquals(row.BRANCH, "main");
    assertEquals(row.ORIGIN_URI, "local");
    assertEquals(row.ARTIFACT_TYPE, "ELF");
    assertEquals(row.PATH_WHEN_CHALKED, join(dir, "ls"));
    for (
      const k of [
        "HASH",
        "METADATA_ID",
        "METADATA_HASH",
        "_TIMESTAMP",
        "_ACTION_ID",
        "_ENV",
        "_OP_ARGV",
      ]
    ) {
      assert(k in row, `/chalks row has ${k}`);
    }

    // chalk load default: reported with the old configuration, then back to the log file
    const loads = (await getJson("/reports?operation=load")).length;
    const def = await c(["load", "default"]);
    assertEquals(def.code, 0, def.stderr);
    assertEquals((await getJson("/reports?operation=load")).length, loads + 1);
    assertEquals(
      (await c(["dump"])).stdout,
      "# The default config is empty. Please see chalk documentation for examples.\n",
    );
    const n = await logLines();
    await c(["extract", "ls"]);
    assertEquals(await logLines(), n + 1);
    const again = await c(["load", "default"]);
    assertEquals(again.code, 0);
    assertMatch(again.stderr, /already using the default configuration/);

    // the server is down: the report is cached, then delivered with the next one
    assertEquals((await c(["load", conf])).code, 0);
    await server.stop();
    const down = await c(["extract", "ls"]);
    assertEquals(down.code, 0, down.stderr);
    assertMatch(down.stderr, /demo_http_config/);
    const cache = JSON.parse(
      (await Deno.readTextFile(join(box.home, ".local/state/chalk/chalk-reports.jsonl"))).split(
        "\n",
      )[0],
    );
    assertEquals(cache.$sinks, ["demo_http_config"]);
    server = await startTutorialServer(serverDir);
    const extracts = (await getJson("/reports?operation=extract")).length;
    const up = await c(["extract", "ls"]);
    assertMatch(up.stderr, /Reporting cache was successfully flushed/);
    assertEquals((await getJson("/reports?operation=extract")).length, extracts + 2);
    assertEquals(
      await Deno.stat(join(box.home, ".local/state/chalk/chalk-reports.jsonl")).then(
        () => true,
        () => false,
      ),
      false,
    );
  } finally {
    await server.stop();
    await Deno.remove(serverDir, { recursive: true });
    await box.cleanup();
  }
});
