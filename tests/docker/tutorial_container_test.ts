/**
 * The tutorial's "Chalking a Container": with demo-docker.c4m loaded, an
 * unchanged `docker build` command line given to chalk (as `alias
 * docker=chalk` does) builds a marked, labelled image, prints nothing of
 * chalk's own on stdout, and sends the build report to the server.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, gitCommitAll, ROOT, run, sandbox } from "../e2e/_chalk.ts";
import { dockerUnavailable, fileInImage, imageLabels, removeImages } from "./_docker.ts";
import { startServer } from "../server/_server.ts";

type Json = Record<string, unknown>;

Deno.test({
  name: "tutorial: docker build through chalk with demo-docker.c4m",
  ignore: dockerUnavailable !== undefined,
  async fn() {
    const box = await sandbox();
    const serverDir = await Deno.makeTempDir();
    const server = await startServer({ dir: serverDir });
    const tag = `chalk-demo-${crypto.randomUUID().slice(0, 8)}:latest`;
    try {
      const chalk = join(box.work, "chalk");
      await Deno.copyFile(CHALK, chalk);
      await Deno.chmod(chalk, 0o755);
      // demo-docker.c4m as the tutorial loads it, pointed at this test's server port.
      const conf = join(box.work, "demo-docker.c4m");
      const text = (await Deno.readTextFile(join(ROOT, "docs/configs/demo-docker.c4m")))
        .replace("http://localhost:8585", server.url);
      await Deno.writeTextFile(conf, text);
      const load = await run(chalk, ["load", conf], { cwd: box.work, env: box.env });
      assertEquals(load.code, 0, load.stderr);

      const project = join(box.work, "project");
      await Deno.mkdir(project);
      await Deno.copyFile(join(ROOT, "fixtures/docker/hi.sh"), join(project, "hi.sh"));
      await Deno.chmod(join(project, "hi.sh"), 0o755);
      await Deno.writeTextFile(
        join(project, "Dockerfile"),
        'FROM busybox-base\nCOPY hi.sh /hi.sh\nENTRYPOINT ["/hi.sh"]\n',
      );
      const commit = await gitCommitAll(project, box.env);

      // `docker build -t chalk-demo:latest .` with docker aliased to chalk.
      const build = await run(chalk, ["build", "-t", tag, "."], { cwd: project, env: box.env });
      assertEquals(build.code, 0, build.stderr);
      assert(!build.stdout.includes('"_OPERATION"'), "no chalk report on the terminal");
      assertEquals(build.stderr.includes("info:"), false, "chalk stays quiet at log level error");

      const labels = await imageLabels(tag);
      assertEquals(labels["run.crashoverride.branch"], "main");
      assertEquals(labels["run.crashoverride.commit-id"], commit);
      assertEquals(labels["run.crashoverride.origin-uri"], "local");

      const reports = await (await fetch(`${server.url}/reports?operation=build`)).json() as Json[];
      assertEquals(reports.length, 1);
      const chalkEntry = (reports[0]._CHALKS as Json[])[0];
      assertEquals(chalkEntry.ARTIFACT_TYPE, "Docker Image");
      assert((chalkEntry.DOCKER_TAGS as string[]).some((t) => tag.startsWith(t.split(":")[0])));
      const mark = await fileInImage(tag, "/chalk.json");
      assert(mark, "/chalk.json in the image");
      assertEquals(mark.mode & 0o777, 0o444);
      const inImage = JSON.parse(mark.text);
      assertEquals(inImage.CHALK_ID, chalkEntry.CHALK_ID);
      assertEquals(inImage.METADATA_ID, chalkEntry.METADATA_ID);

      // The workload behaves as before: arguments pass through.
      const out = await run("docker", ["run", "--rm", tag, "a", "b"]);
      assertEquals([out.code, out.stdout], [0, "a b\n"]);

      // Commands chalk does not process are docker's own.
      const images = await run(chalk, ["images", "--format", "{{.Repository}}:{{.Tag}}"], {
        env: box.env,
      });
      assertEquals(images.code, 0);
      assert(images.stdout.split("\n").includes(tag), images.stdout);
    } finally {
      await removeImages(tag);
      await server.stop();
      await Deno.remove(serverDir, { recursive: true });
      await box.cleanup();
    }
  },
});
