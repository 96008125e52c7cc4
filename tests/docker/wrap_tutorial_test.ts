/**
 * The tutorial's "Run-time reporting": with demo-wrap.c4m loaded,
 * `docker build` through chalk wraps the entrypoint;
 * `docker run --rm --network=host chalk-demo a b` prints what the unwrapped
 * image prints, and the server's `/execs` lists the run with the image's
 * CHALK_ID within 2 seconds of `docker run`. A workload that exits at once is
 * not silently lost: as PID 1, chalk sends the report before the workload starts.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { ROOT, run, sandbox } from "../e2e/_chalk.ts";
import { docker, dockerUnavailable, fileInImage, removeImages } from "./_docker.ts";
import { dockerRun, loadedChalk, waitFor } from "./_wrap.ts";
import { startServer } from "../server/_server.ts";

type Json = Record<string, unknown>;

/** The tutorial's hi.sh, with the `#!` line a direct exec needs and a shorter sleep. */
const HI_SH = "#!/bin/sh\nsleep ${HI_SLEEP:-3}\necho ${@:-Hello, world}\nexit ${HI_STATUS:-0}\n";

function execsOf(list: Json[], chalkId: string): Json[] {
  return list.filter((r) =>
    r._OPERATION === "exec" && (r._CHALKS as Json[] | undefined)?.[0]?.CHALK_ID === chalkId
  );
}

Deno.test({
  name: "tutorial: demo-wrap.c4m wraps the entrypoint and every start is reported",
  ignore: dockerUnavailable !== undefined,
  async fn() {
    const box = await sandbox();
    const server = await startServer({ dir: box.work });
    const tag = `chalk-demo-wrap-${crypto.randomUUID().slice(0, 8)}:latest`;
    const plain = `${tag.split(":")[0]}-plain:latest`;

    try {
      const config = (await Deno.readTextFile(join(ROOT, "docs/configs/demo-wrap.c4m")))
        .replace("http://localhost:8585", server.url);
      const chalk = await loadedChalk(box.work, config, box.env);

      const project = join(box.work, "project");
      await Deno.mkdir(project);
      await Deno.writeTextFile(join(project, "hi.sh"), HI_SH, { mode: 0o755 });
      await Deno.chmod(join(project, "hi.sh"), 0o755);
      await Deno.writeTextFile(
        join(project, "Dockerfile"),
        'FROM busybox-base\nCOPY hi.sh /hi.sh\nENTRYPOINT ["/hi.sh"]\n',
      );

      // `docker build -t chalk-demo:latest .` with docker aliased to chalk.
      const build = await run(chalk, ["build", "-t", tag, "."], { cwd: project, env: box.env });
      assertEquals(build.code, 0, build.stderr);
      assert(!build.stdout.includes('"_OPERATION"'), "no chalk report on the terminal");
      assertEquals(build.stderr.includes("error:"), false, build.stderr);
      await docker(["build", "-q", "-t", plain, project]);

      const ep = JSON.parse(await docker(["inspect", "-f", "{{json .Config.Entrypoint}}", tag]));
      assertEquals(ep.slice(-4), ["exec", "--exec-command-name", "/hi.sh", "--"]);
      const mark = await fileInImage(tag, "/chalk.json");
      assert(mark, "/chalk.json in the image");
      const chalkId = JSON.parse(mark.text).CHALK_ID as string;
      const program = await fileInImage(tag, "/.chalk/chalk");
      assert(program && (program.mode & 0o111) !== 0, "/.chalk/chalk is executable");
      // The copy carries the loaded configuration (it reports to the same server).
      assert(program.text.includes(server.url), "the embedded configuration was copied");

      // `docker run --rm --network=host chalk-demo:latest a b`.
      const started = Date.now();
      const running = dockerRun([tag, "a", "b"]);
      const seen = await waitFor(2_000, async () => {
        const list = execsOf(await (await fetch(`${server.url}/execs`)).json(), chalkId);
        return list.length > 0 ? list : undefined;
      });
      const after = Date.now() - started;
      const out = await running;
      assertEquals([out.code, out.stdout], [0, "a b\n"]);
      const reference = await dockerRun([plain, "a", "b"]);
      assertEquals([out.code, out.stdout], [reference.code, reference.stdout]);
      assert(seen, `no exec report within 2 s of docker run (waited ${after} ms)`);
      const chalkEntry = (seen[0]._CHALKS as Json[])[0];
      assertEquals(chalkEntry._PROCESS_PID, 1);
      assertEquals(chalkEntry.METADATA_ID, JSON.parse(mark.text).METADATA_ID);

      // The script's status is the container's.
      const failing = await dockerRun(["-e", "HI_SLEEP=0", "-e", "HI_STATUS=7", tag, "x"]);
      assertEquals([failing.code, failing.stdout], [7, "x\n"]);

      // A workload that exits at once under --rm: chalk, as PID 1, sent the report before the
      // workload started, so the container's end cannot take it along.
      const before = execsOf(await server.getJson("/execs"), chalkId).length;
      const once = await dockerRun(["-e", "HI_SLEEP=0", tag, "once"]);
      assertEquals([once.code, once.stdout, once.stderr], [0, "once\n", ""]);
      const after2 = execsOf(await server.getJson("/execs"), chalkId);
      assertEquals(after2.length, before + 1, "the instant exit's report was delivered");
    } finally {
      await removeImages(tag, plain);
      await server.stop();
      await box.cleanup();
    }
  },
});
