/**
 * `docker.wrap_init` (docs/exec.md, "The native init"): a wrapped image starts through chalk's
 * native init, which runs the workload first and chalk's reporter beside it. Checked on a real
 * docker: the output, exit status and signals are the workload's, the exec report names the
 * workload (not PID 1) and the image's CHALK_ID, a workload that exits at once is still
 * reported, and when the report cannot be delivered one warning line says so.
 */
import { assert, assertEquals } from "../_assert.ts";
import { run, sandbox } from "../e2e/_chalk.ts";
import { docker, dockerUnavailable, fileInImage, removeImages } from "./_docker.ts";
import { dockerRun, loadedChalk, postConfig, scriptContext, waitFor } from "./_wrap.ts";
import { startServer } from "../server/_server.ts";

type Json = Record<string, unknown>;

const SCRIPT = `#!/bin/sh
trap 'echo term; exit 9' TERM
echo "$@"
echo "runtime=\${CHALK_TS_RUNTIME:-none} pid=$$"
if [ -n "$LOOP" ]; then while :; do sleep 0.1; done; fi
exit \${STATUS:-0}
`;

function execsOf(list: Json[], chalkId: string): Json[] {
  return list.filter((r) =>
    r._OPERATION === "exec" && (r._CHALKS as Json[] | undefined)?.[0]?.CHALK_ID === chalkId
  );
}

Deno.test({
  name: "docker.wrap_init: the workload runs under chalk's init and every start is reported",
  ignore: dockerUnavailable !== undefined,
  async fn() {
    const box = await sandbox();
    const server = await startServer({ dir: box.work });
    const tag = `chalk-wrap-init-${crypto.randomUUID().slice(0, 8)}:latest`;
    try {
      const chalk = await loadedChalk(
        box.work,
        postConfig(server.url, "docker.wrap_init: true"),
        box.env,
      );
      const ctx = await scriptContext(box.work, "hi.sh", SCRIPT);
      const build = await run(chalk, ["docker", "build", "-t", tag, ctx], { env: box.env });
      assertEquals(build.code, 0, build.stderr);

      const ep = JSON.parse(await docker(["inspect", "-f", "{{json .Config.Entrypoint}}", tag]));
      assertEquals([ep[0], ep[1]], ["/.chalk/chalk-init", "1000"]);
      assertEquals(ep.slice(-4), ["__init-report", "0000000000", "--", "/hi.sh"]);
      const init = await fileInImage(tag, "/.chalk/chalk-init");
      assert(init && (init.mode & 0o111) !== 0, "/.chalk/chalk-init is executable");
      const chalkId = JSON.parse((await fileInImage(tag, "/chalk.json"))!.text).CHALK_ID;

      // Output and status are the workload's; chalk's runtime variable is not in its environment.
      const out = await dockerRun(["-e", "STATUS=3", tag, "a", "b"]);
      assertEquals(out.code, 3, out.stderr);
      const [args, facts] = out.stdout.split("\n");
      assertEquals(args, "a b");
      const pid = Number(/^runtime=none pid=(\d+)$/.exec(facts)?.[1]);
      assert(pid > 1, `the workload is not PID 1: ${facts}`);
      assertEquals(out.stderr, "");

      // The workload exited at once: its report arrived anyway (the init waited for it).
      const execs = execsOf(await server.getJson("/execs"), chalkId);
      assertEquals(execs.length, 1, "one exec report per start");
      const entry = (execs[0]._CHALKS as Json[])[0];
      assertEquals(
        [entry._PROCESS_PID, entry._PROCESS_PARENT_PID, entry._OP_ARTIFACT_PATH],
        [pid, 1, "/hi.sh"],
      );

      // `docker stop` reaches the workload through the init (its TERM trap sets the status).
      const id = (await docker(["run", "-d", "--network=host", "-e", "LOOP=1", tag])).trim();
      const seen = await waitFor(10_000, async () => {
        const n = execsOf(await server.getJson("/execs"), chalkId).length;
        return n >= 2 ? n : undefined;
      });
      assert(seen, "the long-running start was reported");
      const t0 = Date.now();
      await docker(["stop", "-t", "20", id]);
      const stopMs = Date.now() - t0;
      const state = JSON.parse(await docker(["inspect", "-f", "{{json .State}}", id]));
      const logs = await run("docker", ["logs", id]);
      await docker(["rm", "-f", id]);
      assertEquals(state.ExitCode, 9, `the workload's trap ran: ${logs.stdout}`);
      assert(logs.stdout.endsWith("term\n"), logs.stdout);
      assert(stopMs < 10_000, `stopped by the forwarded TERM, not by the kill (${stopMs} ms)`);

      // With the server gone, the report cannot be delivered: one line says so.
      await server.stop();
      const lost = await dockerRun([tag, "x"]);
      assertEquals(lost.code, 0);
      assertEquals(lost.stdout.split("\n")[0], "x");
      const lines = lost.stderr.trim().split("\n");
      assertEquals(lines.length, 1, lost.stderr);
      assert(
        lines[0].startsWith("warn:  exec: the workload ended before its report was delivered ("),
        lost.stderr,
      );
      assert(lines[0].endsWith("(exec.report_wait: 1000 ms)"), lost.stderr);
    } finally {
      await removeImages(tag);
      await server.stop().catch(() => {});
      await box.cleanup();
    }
  },
});
