/**
 * Builds whose `--output` exports files (BuildKit): chalk adds no `--iidfile`
 * (docker would fail it: no image id), builds once, and the mark is
 * `/chalk.json` among the exported files; files exported to stdout are left
 * to docker alone, so no report lands in them.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, run, sandbox } from "../e2e/_chalk.ts";
import { buildkitPath, dockerUnavailable, lastLogReport } from "./_docker.ts";
import { exportsFilesOnly, exportsToStdout, parseOutput } from "../../docker/build_outputs.ts";
import { wrappedBuildArgs } from "../../docker/early_docker.ts";
import { parseBuildArgs } from "../../docker/docker_args.ts";

type Json = Record<string, unknown>;

Deno.test("parseOutput reads the shorthand and the key=value form", () => {
  assertEquals(parseOutput("out"), { type: "local", dest: "out" });
  assertEquals(parseOutput("-"), { type: "tar", dest: "-" });
  assertEquals(parseOutput("type=tar,dest=x.tar"), { type: "tar", dest: "x.tar" });
  assertEquals(parseOutput("type=image,name=a,push=true"), { type: "image", dest: undefined });
});

Deno.test("exportsFilesOnly and exportsToStdout tell files from images", () => {
  assertEquals(exportsFilesOnly([]), false);
  assertEquals(exportsFilesOnly(["out", "type=tar,dest=a.tar"]), true);
  assertEquals(exportsFilesOnly(["type=docker,dest=a.tar"]), true);
  assertEquals(exportsFilesOnly(["type=docker"]), false);
  assertEquals(exportsFilesOnly(["out", "type=registry"]), false);
  assertEquals(exportsToStdout(["-"]), true);
  assertEquals(exportsToStdout(["type=tar,dest=-"]), true);
  assertEquals(exportsToStdout(["out"]), false);
});

Deno.test("wrappedBuildArgs adds an iidfile only when the build keeps an image", () => {
  const args = (rest: string[]) => wrappedBuildArgs(["build"], parseBuildArgs(rest), "/t/iid");
  assertEquals(args(["-o", "out", "."]), ["build", "-o", "out", ".", "-f", "-"]);
  assertEquals(args(["."]), ["build", ".", "-f", "-", "--iidfile", "/t/iid"]);
});

async function buildContext(work: string): Promise<string> {
  const dir = join(work, "ctx");
  await Deno.mkdir(dir);
  await Deno.writeTextFile(
    join(dir, "Dockerfile"),
    "FROM busybox-base\nRUN echo hi > /hi.txt\n",
  );
  return dir;
}

Deno.test({
  name: "chalk docker build -o DIR builds once and exports the mark with the files (BuildKit)",
  ignore: dockerUnavailable !== undefined || buildkitPath === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const dir = await buildContext(box.work);
      const out = join(box.work, "out");
      const r = await run(CHALK, ["docker", "build", "--network=none", "-o", out, dir], {
        env: { ...box.env, PATH: buildkitPath!, DOCKER_BUILDKIT: "1" },
      });
      assertEquals(r.code, 0, r.stderr);
      const log = r.stdout + r.stderr;
      assert(!log.includes("retrying without chalk"), log);
      assertEquals(log.match(/load build definition/g)?.length, 1, "docker built more than once");
      assertEquals(await Deno.readTextFile(join(out, "hi.txt")), "hi\n");
      const chalk = ((await lastLogReport(box.home))._CHALKS as Json[])[0];
      const mark = JSON.parse(await Deno.readTextFile(join(out, "chalk.json"))) as Json;
      assertEquals(mark.CHALK_ID, chalk.CHALK_ID);
      assertEquals(mark.METADATA_ID, chalk.METADATA_ID);
      assertEquals(chalk._IMAGE_ID, undefined);
    } finally {
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk docker build -o - leaves the tar on stdout to docker (BuildKit)",
  ignore: dockerUnavailable !== undefined || buildkitPath === undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const dir = await buildContext(box.work);
      const tar = join(box.work, "out.tar");
      const out = await new Deno.Command(CHALK, {
        args: ["docker", "build", "-q", "--network=none", "-o", "-", dir],
        env: { ...box.env, PATH: buildkitPath!, DOCKER_BUILDKIT: "1" },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
      await Deno.writeFile(tar, out.stdout);
      const list = await run("tar", ["tf", tar]);
      assertEquals(list.code, 0, list.stderr);
      assert(list.stdout.split("\n").includes("hi.txt"), list.stdout);
      assert(!list.stdout.split("\n").includes("chalk.json"), list.stdout);
    } finally {
      await box.cleanup();
    }
  },
});
