/**
 * `chalk docker build` against a real daemon (legacy builder here; BuildKit
 * where present), table-driven over Dockerfile shapes. Each case checks the
 * exit code, the image labels, `/chalk.json` (content and mode 0444)
 * against the report, that `chalk extract` finds the mark, and that the
 * build context is exactly as it was.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { gitCommitAll, ROOT, run, type RunResult, sandbox } from "../e2e/_chalk.ts";
import {
  buildkitPath,
  dockerUnavailable,
  fileInImage,
  imageLabels,
  inspectImage,
  lastLogReport,
  removeImages,
  snapshot,
  summaryAfterDockerOutput,
} from "./_docker.ts";
import { CHALK } from "../e2e/_chalk.ts";

type Json = Record<string, unknown>;

interface Case {
  name: string;
  files: Record<string, string>;
  /** Build flags besides `-t <tag>` and the context `.`. */
  flags?: string[];
  /** Dockerfile text given on stdin with `-f -`. */
  stdin?: string;
  /** Also run with BuildKit (when a BuildKit-capable docker is available). */
  buildkit?: boolean;
  /** Checks on the chalked artifact of the full build report and the image. */
  check?: (chalk: Json, image: Json, dir: string) => void | Promise<void>;
}

const HI = Deno.readTextFileSync(join(ROOT, "fixtures/docker/hi.sh"));
const BASE = "FROM busybox-base\n";

const CASES: Case[] = [
  {
    name: "exec-entrypoint",
    buildkit: true,
    files: { "Dockerfile": `${BASE}COPY hi.sh /hi.sh\nENTRYPOINT ["/hi.sh"]\n`, "hi.sh": HI },
    check: async (_c, image) => {
      assertEquals((image.Config as Json).Entrypoint, ["/hi.sh"]);
      const out = await run("docker", ["run", "--rm", "--network", "none", String(image.Id)]);
      assertEquals(out.stdout, "Hello, world\n");
    },
  },
  {
    name: "shell-entrypoint",
    files: { "Dockerfile": `${BASE}ENTRYPOINT echo hello\n` },
    check: (_c, image) =>
      assertEquals((image.Config as Json).Entrypoint, ["/bin/sh", "-c", "echo hello"]),
  },
  {
    name: "empty-entrypoint",
    files: { "Dockerfile": `${BASE}ENTRYPOINT []\n` },
  },
  {
    name: "blank-entrypoint",
    files: { "Dockerfile": `${BASE}ENTRYPOINT [""]\n` },
  },
  {
    name: "cmd-only",
    files: { "Dockerfile": `${BASE}CMD ["echo", "cmd"]\n` },
    check: (_c, image) => assertEquals((image.Config as Json).Cmd, ["echo", "cmd"]),
  },
  {
    name: "no-entrypoint",
    files: { "Dockerfile": `${BASE}ENV A=1\n` },
  },
  {
    name: "multi-stage-target",
    buildkit: true,
    files: {
      "Dockerfile": "FROM busybox-base AS first\nCOPY a.txt /a.txt\n" +
        "FROM first AS second\nCOPY b.txt /b.txt\n\n# the last stage is not the target\n" +
        "FROM busybox-base AS third\nCOPY c.txt /c.txt\n",
      "a.txt": "a\n",
      "b.txt": "b\n",
      "c.txt": "c\n",
    },
    flags: ["--target", "second"],
    check: async (chalk, image) => {
      assertEquals(chalk.DOCKER_TARGET, "second");
      const chalked = String(chalk.DOCKER_FILE_CHALKED);
      assert(chalked.indexOf("# }}}") < chalked.indexOf("FROM busybox-base AS third"));
      assertEquals((await fileInImage(String(image.Id), "/b.txt"))?.text, "b\n");
      assertEquals(await fileInImage(String(image.Id), "/c.txt"), undefined);
    },
  },
  {
    name: "arg-before-from",
    files: { "Dockerfile": "ARG BASE=no-such-image\nFROM ${BASE}\nARG BASE\nENV B=$BASE\n" },
    flags: ["--build-arg", "BASE=busybox-base"],
    check: (chalk) => assertEquals(chalk.DOCKER_BASE_IMAGE, "busybox-base"),
  },
  {
    name: "dockerfile-on-stdin",
    buildkit: true,
    files: { "data.txt": "x\n" },
    flags: ["-f", "-"],
    stdin: `${BASE}COPY data.txt /data.txt\n`,
    check: (chalk) => {
      assertEquals(chalk.DOCKERFILE_PATH, "-");
      assertEquals(chalk.DOCKER_FILE, `${BASE}COPY data.txt /data.txt\n`);
    },
  },
  {
    name: "dockerignore-excludes-all",
    buildkit: true,
    files: { "Dockerfile": `${BASE}ENV X=1\n`, ".dockerignore": "*", "secret.txt": "s\n" },
    check: async (_c, image) =>
      assertEquals(await fileInImage(String(image.Id), "/secret.txt"), undefined),
  },
  {
    // docker ends a continuation left open at the end of the file; chalk's lines must not join it.
    name: "continuation-open-at-eof",
    buildkit: true,
    flags: ["--network=none"],
    files: { "Dockerfile": `${BASE}RUN echo a > /a.txt && \\\n    echo b >> /a.txt \\\n` },
    check: async (chalk, image) => {
      assertEquals((await fileInImage(String(image.Id), "/a.txt"))?.text, "a\nb\n");
      assertEquals(
        chalk.DOCKER_FILE,
        `${BASE}RUN echo a > /a.txt && \\\n    echo b >> /a.txt \\\n`,
      );
    },
  },
  {
    name: "tags-iidfile-platform",
    files: { "Dockerfile": `${BASE}LABEL user.label=kept\n` },
    flags: ["-t", "chalk-test-extra:v2", "--iidfile", "../iid.txt", "--platform", "linux/amd64"],
    check: async (chalk, image, dir) => {
      const iid = (await Deno.readTextFile(join(dir, "../iid.txt"))).trim();
      assertEquals(iid, image.Id);
      assertEquals(chalk._CURRENT_HASH, iid.replace("sha256:", ""));
      assert((chalk.DOCKER_TAGS as string[]).includes("chalk-test-extra:v2"));
      assertEquals(chalk.DOCKER_PLATFORM, "linux/amd64");
      assertEquals((chalk.DOCKER_LABELS as Json)["user.label"], "kept");
      assertEquals(((image.Config as Json).Labels as Json)["user.label"], "kept");
      await removeImages("chalk-test-extra:v2");
    },
  },
];

async function makeContext(
  box: { work: string; env: Record<string, string> },
  files: Record<string, string>,
) {
  const dir = join(box.work, "ctx");
  await Deno.mkdir(dir);
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(dir, name), text, { mode: name.endsWith(".sh") ? 0o755 : 0o644 });
  }
  const commit = await gitCommitAll(dir, box.env);
  return { dir, commit };
}

const VARIANTS = [
  { builder: "default builder", path: undefined as string | undefined },
  { builder: "BuildKit", path: buildkitPath },
];

for (const c of CASES) {
  for (const v of VARIANTS) {
    if (v.builder === "BuildKit" && !c.buildkit) continue;
    Deno.test({
      name: `chalk docker build marks the image (${v.builder}): ${c.name}`,
      ignore: dockerUnavailable !== undefined || (v.builder === "BuildKit" && v.path === undefined),
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => {
        const box = await sandbox();
        const tag = `chalk-test-${c.name}-${v.path ? "bk" : "default"}:latest`;
        const env = v.path ? { ...box.env, PATH: v.path, DOCKER_BUILDKIT: "1" } : box.env;
        try {
          const { dir, commit } = await makeContext(box, c.files);
          const before = await snapshot(dir);
          const r = await run(CHALK, ["docker", "build", "-t", tag, ...(c.flags ?? []), "."], {
            cwd: dir,
            env,
            stdin: c.stdin,
          });
          assertEquals(r.code, 0, r.stderr);
          assert(!r.stderr.includes("retrying without chalk"), r.stderr);
          assertEquals(await snapshot(dir), before, "the build context changed");

          const summary = summaryAfterDockerOutput(r.stdout);
          assertEquals(summary._OPERATION, "build");
          const full = await lastLogReport(box.home);
          assertEquals(full._OPERATION, "build");
          const chalk = (full._CHALKS as Json[])[0];
          assertEquals(chalk.ARTIFACT_TYPE, "Docker Image");
          assertEquals(chalk.COMMIT_ID, commit);

          const image = await inspectImage(tag);
          assert(image, `image ${tag} missing`);
          const imageId = String(image.Id).replace("sha256:", "");
          assertEquals(chalk._CURRENT_HASH, imageId);
          assertEquals(chalk._IMAGE_CONFIG_DIGEST, imageId);
          assertEquals((summary._CHALKS as Json[])[0]._IMAGE_ID, imageId);
          // The full report too, as the tutorial's server output shows it (v0.1 checks both).
          assertEquals([chalk._IMAGE_ID, chalk._VIRTUAL], [imageId, false]);
          assertEquals(chalk.DOCKER_CONTEXT, dir);
          assert((chalk.DOCKER_TAGS as string[]).includes(tag));
          assertEquals(typeof chalk.DOCKER_FILE, "string");
          assertEquals(typeof chalk.DOCKERFILE_PATH, "string");
          const repoTags = chalk._REPO_TAGS as Record<
            string,
            Record<string, Record<string, string>>
          >;
          assertEquals(repoTags["docker.io"][`library/${tag.split(":")[0]}`].latest, imageId);
          const labels = await imageLabels(tag);
          assertEquals(labels["run.crashoverride.commit-id"], commit);
          assertEquals(labels["run.crashoverride.branch"], "main");
          assertEquals(labels["run.crashoverride.origin-uri"], "local");
          assertEquals((chalk.DOCKER_CHALK_ADDED_LABELS as Json).COMMIT_ID, commit);
          assert(
            (chalk.DOCKER_CHALK_ADDED_TO_DOCKERFILE as string[]).at(-1)?.includes("/chalk.json"),
          );

          const file = await fileInImage(tag, "/chalk.json");
          assert(file, "/chalk.json missing from the image");
          assertEquals(file.mode & 0o777, 0o444);
          const mark = JSON.parse(file.text) as Json;
          assertEquals(mark.MAGIC, "dadfedabbadabbed");
          assertEquals(mark.CHALK_ID, chalk.CHALK_ID);
          assertEquals(mark.METADATA_ID, chalk.METADATA_ID);
          assertEquals(mark.COMMIT_ID, commit);

          const x = await box.chalk(["extract", tag], { cwd: dir });
          assertEquals(x.code, 0, x.stderr);
          const extracted = await lastLogReport(box.home);
          assertEquals(extracted._OPERATION, "extract");
          const found = (extracted._CHALKS as Json[])[0];
          assertEquals(found.CHALK_ID, chalk.CHALK_ID);
          assertEquals(found.METADATA_ID, chalk.METADATA_ID);
          assertEquals(found._OP_ARTIFACT_TYPE, "Docker Image");
          assertEquals(found._VALIDATED_METADATA, true);
          await c.check?.(chalk, image, dir);
        } finally {
          await removeImages(tag);
          await box.cleanup();
        }
      },
    });
  }
}

async function plainBuild(dir: string): Promise<RunResult> {
  return await run("docker", ["build", "--force-rm", "-t", "chalk-test-plain-broken", "."], {
    cwd: dir,
  });
}

Deno.test({
  name: "chalk docker build of a broken Dockerfile returns docker's own error and exit code",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const { dir } = await makeContext(box, { "Dockerfile": `${BASE}RUN exit 3\n` });
      const before = await snapshot(dir);
      const plain = await plainBuild(dir);
      assert(plain.code !== 0);
      const r = await box.chalk(["docker", "build", "--force-rm", "-t", "chalk-test-broken", "."], {
        cwd: dir,
      });
      assertEquals(r.code, plain.code);
      assertMatch(r.stderr, /docker: retrying without chalk due to: docker build failed/);
      assertMatch(r.stderr, /returned a non-zero code: 3|exit code: 3/);
      assertEquals(await snapshot(dir), before);
      assertEquals(await inspectImage("chalk-test-broken"), undefined);
    } finally {
      await removeImages("chalk-test-broken", "chalk-test-plain-broken");
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk docker build still builds, unmarked, when chalk itself fails",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-chalk-fails:latest";
    try {
      const { dir } = await makeContext(box, { "Dockerfile": `${BASE}ENV A=1\n` });
      const before = await snapshot(dir);
      // chalk cannot create its temporary files; docker does not need them.
      const r = await run(CHALK, ["docker", "build", "-t", tag, "."], {
        cwd: dir,
        env: { ...box.env, TMPDIR: join(box.work, "no-such-dir") },
      });
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, /docker: retrying without chalk due to: /);
      assertEquals(await snapshot(dir), before);
      assert(await inspectImage(tag), "the image was not built");
      assertEquals(await imageLabels(tag), {});
      assertEquals(await fileInImage(tag, "/chalk.json"), undefined);

      // The same with the Dockerfile on stdin: chalk read it, so it replays it to docker.
      await removeImages(tag);
      const s = await run(CHALK, ["docker", "build", "-t", tag, "-f", "-", "."], {
        cwd: dir,
        env: { ...box.env, TMPDIR: join(box.work, "no-such-dir") },
        stdin: `${BASE}ENV FROM_STDIN=1\n`,
      });
      assertEquals(s.code, 0, s.stderr);
      assertMatch(s.stderr, /docker: retrying without chalk due to: /);
      const env = ((await inspectImage(tag))?.Config as Json).Env as string[];
      assert(env.includes("FROM_STDIN=1"), JSON.stringify(env));
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk docker build restores .dockerignore and removes the mark file after SIGINT",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    try {
      const { dir } = await makeContext(box, {
        "Dockerfile": `${BASE}RUN sleep 30\n`,
        ".dockerignore": "*.tmp",
      });
      const ignoreTime = new Date("2001-02-03T04:05:06Z");
      await Deno.utime(join(dir, ".dockerignore"), ignoreTime, ignoreTime);
      const before = await snapshot(dir);
      const child = new Deno.Command(CHALK, {
        args: ["docker", "build", "--force-rm", "-t", "chalk-test-sigint", "."],
        cwd: dir,
        env: box.env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "piped",
      }).spawn();
      // Wait until the build is running (the mark file exists), then interrupt chalk.
      for (let i = 0; i < 100; i++) {
        if ((await snapshot(dir)).has("chalk.json.chalk")) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      assert((await snapshot(dir)).has("chalk.json.chalk"), "the build never started");
      assertEquals(
        (await Deno.readTextFile(join(dir, ".dockerignore"))).includes("!*.chalk"),
        true,
      );
      // Let docker get into `RUN sleep 30`, then interrupt: chalk forwards the signal.
      await new Promise((res) => setTimeout(res, 1500));
      const interrupted = performance.now();
      child.kill("SIGINT");
      const out = await child.output();
      assert(out.code !== 0);
      assert(performance.now() - interrupted < 15_000, "docker was not interrupted");
      assertEquals((await Deno.stat(join(dir, ".dockerignore"))).mtime, ignoreTime);
      assertEquals(await snapshot(dir), before);
      assert(!new TextDecoder().decode(out.stderr).includes("retrying without chalk"));
    } finally {
      await removeImages("chalk-test-sigint");
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "a chalk program named docker impersonates docker and finds the real one",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-impersonate:latest";
    try {
      const bin = join(box.work, "bin");
      await Deno.mkdir(bin);
      await Deno.symlink(CHALK, join(bin, "docker"));
      const env = { ...box.env, PATH: `${bin}:${box.env.PATH}` };
      const real = await run("docker", ["version", "--format", "{{.Client.Version}}"]);
      const fake = await run("docker", ["version", "--format", "{{.Client.Version}}"], { env });
      assertEquals(fake.code, 0, fake.stderr);
      assertEquals(fake.stdout, real.stdout);
      const { dir } = await makeContext(box, { "Dockerfile": `${BASE}ENV A=1\n` });
      const b = await run("docker", ["build", "-q", "-t", tag, "."], { cwd: dir, env });
      assertEquals(b.code, 0, b.stderr);
      assert((await imageLabels(tag))["run.crashoverride.commit-id"]);
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk docker build applies docker.label_prefix, custom_labels and additional_env_vars",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-config:latest";
    try {
      const { dir, commit } = await makeContext(box, { "Dockerfile": `${BASE}ENV A=1\n` });
      const config = join(box.work, "docker.c4m");
      await Deno.writeTextFile(
        config,
        'docker {\n  label_prefix: "org.example"\n' +
          '  custom_labels: { "HELLO": "world $HOME \\"q\\"" }\n' +
          '  additional_env_vars: { "chalked_commit": "@COMMIT_ID", "1bad": "x" }\n}\n',
      );
      const r = await box.chalk(["--config-file", config, "docker", "build", "-t", tag, "."], {
        cwd: dir,
      });
      assertEquals(r.code, 0, r.stderr);
      const labels = await imageLabels(tag);
      assertEquals(labels["org.example.hello"], 'world $HOME "q"');
      assertEquals(labels["org.example.commit-id"], commit);
      assertEquals(labels["run.crashoverride.commit-id"], undefined);
      const env = ((await inspectImage(tag))?.Config as Json).Env as string[];
      assert(env.includes(`CHALKED_COMMIT=${commit}`), JSON.stringify(env));
      assert(!env.some((e) => e.startsWith("1BAD")));
      const chalk = ((await lastLogReport(box.home))._CHALKS as Json[])[0];
      assertEquals((chalk.DOCKER_CHALK_ADDED_LABELS as Json).HELLO, 'world $HOME "q"');
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk docker build puts a configuration's own keys into the image's mark and the report",
  ignore: dockerUnavailable !== undefined,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const box = await sandbox();
    const tag = "chalk-test-user-keys:latest";
    try {
      const { dir } = await makeContext(box, { "Dockerfile": `${BASE}ENV A=1\n` });
      const config = join(box.work, "keys.c4m");
      await Deno.writeTextFile(
        config,
        'keyspec X_TEAM {\n  kind: ChalkTimeHost\n  type: string\n  value: "payments"\n}\n' +
          "keyspec X_IMAGE {\n  kind: ChalkTimeArtifact\n  type: string\n  callback: func image\n}\n" +
          "keyspec _X_FROM {\n  kind: RunTimeHost\n  type: string\n  callback: func folders\n}\n" +
          'func image(name) { return "image " + name }\nfunc folders(dirs) { return dirs }\n' +
          "mark_template mark_default {\n  key.X_TEAM.use = true\n  key.X_IMAGE.use = true\n}\n" +
          "report_template insertion_default {\n  key.X_TEAM.use = true\n" +
          "  key.X_IMAGE.use = true\n  key._X_FROM.use = true\n}\n",
      );
      const r = await box.chalk(["--config-file", config, "docker", "build", "-t", tag, "."], {
        cwd: dir,
      });
      assertEquals(r.code, 0, r.stderr);
      const mark = JSON.parse((await fileInImage(tag, "/chalk.json"))!.text) as Json;
      assertEquals([mark.X_TEAM, mark.X_IMAGE], ["payments", `image ${tag}`]);
      const report = await lastLogReport(box.home);
      assertEquals([report.X_TEAM, report._X_FROM], ["payments", dir]);
      assertEquals((report._CHALKS as Json[])[0].X_IMAGE, `image ${tag}`);
    } finally {
      await removeImages(tag);
      await box.cleanup();
    }
  },
});
