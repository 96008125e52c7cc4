/**
 * The tutorial's "Run-time reporting": with demo-wrap.c4m loaded,
 * `docker build` through chalk wraps the entrypoint;
 * `docker run --rm --network=host chalk-demo a b` prints what the unwrapped
 * image prints, and the server's `/execs` lists the run with the image's
 * CHALK_ID within 2 seconds of `docker run`. A workload that exits at once is
 * not silently lost: its job waits in the container's exec spool and is
 * delivered by the next start that finds it.
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
    const later = `${tag.split(":")[0]}-later:latest`;
    const containers: string[] = [];
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

      // A workload that exits at once: its job is kept in the container's exec spool
      // (~/.local/chalk/exec-pending) and delivered by the next chalk start that finds it,
      // here a run of the stopped container's file system (committed) that lives long enough.
      const before = execsOf(await server.getJson("/execs"), chalkId).length;
      const id = (await docker(["create", "--network=host", "-e", "HI_SLEEP=0", tag, "once"]))
        .trim();
      containers.push(id);
      const first = await run("docker", ["start", "-a", id]);
      assertEquals([first.code, first.stdout], [0, "once\n"]);
      const spooled = await run("docker", ["cp", `${id}:/root/.local/chalk/exec-pending`, "-"]);
      assertEquals(spooled.code, 0, `the job is spooled in the container: ${spooled.stderr}`);
      await docker(["commit", id, later]);
      // An unclaimed job waits 10 s for its own reporter before another adopts it.
      await new Promise((r) => setTimeout(r, 10_500));
      const next = await dockerRun(["-e", "HI_SLEEP=3", later, "again"]);
      assertEquals(next.stdout, "again\n");
      const delivered = await waitFor(8_000, async () => {
        const n = execsOf(await server.getJson("/execs"), chalkId).length;
        return n >= before + 2 ? n : undefined;
      });
      assert(delivered, "the instant exit's report was delivered by the next start");
    } finally {
      for (const c of containers) await run("docker", ["rm", "-f", c]);
      await removeImages(tag, plain, later);
      await server.stop();
      await box.cleanup();
    }
  },
});
