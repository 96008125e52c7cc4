/**
 * The GitHub Action (action.yml) run the way a runner runs it, on this machine: its step's
 * script with the INPUT_* variables action.yml maps, a GitHub-like environment (GITHUB_*
 * variables, GITHUB_OUTPUT, GITHUB_PATH, RUNNER_TEMP), then later "steps" of the job using
 * what it installed. Release downloads come from a loopback server holding a real release
 * made by scripts/release.sh.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { gitCommitAll, must, ROOT, run } from "../e2e/_chalk.ts";
import { buildRelease } from "./_release.ts";

const VERSION = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).version as string;
const ACTION = await Deno.readTextFile(join(ROOT, "action.yml"));

/** The input names action.yml declares, and its step's env mapping INPUT_X → input. */
function actionShape(): { inputs: string[]; env: Map<string, string>; run: string } {
  const inputsBlock = /^inputs:\n([\s\S]*?)^\S/m.exec(ACTION)![1];
  const inputs = [...inputsBlock.matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1]);
  const env = new Map(
    [...ACTION.matchAll(/^ {8}(INPUT_[A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}$/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  const runLine = /^ {6}run: (.*)$/m.exec(ACTION)![1];
  return { inputs, env, run: runLine };
}

interface Job {
  dir: string;
  env: Record<string, string>;
  output: string;
  pathFile: string;
  workspace: string;
}

/** A fresh GitHub-like job: runner folders, a checked-out (detached) repository, the env. */
async function newJob(): Promise<Job> {
  const dir = await Deno.makeTempDir({ prefix: "chalk-gh-job-" });
  const home = join(dir, "home");
  const temp = join(dir, "runner-temp");
  const workspace = join(dir, "work", "app");
  for (const d of [home, temp, workspace]) await Deno.mkdir(d, { recursive: true });
  const output = join(temp, "github_output");
  const pathFile = join(temp, "github_path");
  await Deno.writeTextFile(output, "");
  await Deno.writeTextFile(pathFile, "");
  const base = {
    HOME: home,
    PATH: Deno.env.get("PATH")!,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache/deno"),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_AUTHOR_NAME: "Octo Cat",
    GIT_AUTHOR_EMAIL: "octo@example.com",
    GIT_COMMITTER_NAME: "Octo Cat",
    GIT_COMMITTER_EMAIL: "octo@example.com",
  };
  await Deno.copyFile("/bin/true", join(workspace, "app"));
  const sha = await gitCommitAll(workspace, base);
  // actions/checkout leaves a detached HEAD.
  await must("git", ["checkout", "-q", "--detach", sha], { cwd: workspace, env: base });
  const env = {
    ...base,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_OUTPUT: output,
    GITHUB_PATH: pathFile,
    RUNNER_TEMP: temp,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SHA: sha,
    GITHUB_REF: "refs/heads/main",
    GITHUB_REF_NAME: "main",
    GITHUB_REF_TYPE: "branch",
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: "https://api.github.com",
    GITHUB_REPOSITORY: "acme/app",
    GITHUB_REPOSITORY_ID: "4242",
    GITHUB_REPOSITORY_OWNER_ID: "77",
    GITHUB_RUN_ID: "9001",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_ACTOR: "octocat",
    GITHUB_EVENT_NAME: "push",
    GITHUB_WORKFLOW: "build",
    GITHUB_WORKFLOW_REF: "acme/app/.github/workflows/build.yml@refs/heads/main",
  };
  return { dir, env, output, pathFile, workspace };
}

/** Runs the action's step with `inputs` (by action.yml's input names), like a runner. */
async function runAction(job: Job, inputs: Record<string, string>) {
  const shape = actionShape();
  const env: Record<string, string> = { ...job.env };
  for (const [variable, input] of shape.env) {
    if (input in inputs) env[variable] = inputs[input];
  }
  // The runner expands $GITHUB_ACTION_PATH in the step's `run:` line.
  const command = shape.run.replaceAll("$GITHUB_ACTION_PATH", ROOT);
  return await run("bash", ["-c", command], { env, cwd: job.workspace });
}

function outputsOf(text: string): Record<string, string> {
  return Object.fromEntries(text.trim().split("\n").map((l) => l.split(/=(.*)/s).slice(0, 2)));
}

Deno.test("action.yml: one bash step running scripts/action/setup.sh, every input mapped", () => {
  const shape = actionShape();
  assertEquals(shape.run, `bash "$GITHUB_ACTION_PATH/scripts/action/setup.sh"`);
  assertEquals(shape.inputs, [
    "version",
    "asset",
    "download-url",
    "deno-version",
    "config",
    "wrap-docker",
  ]);
  assertEquals([...shape.env.values()].sort(), [...shape.inputs].sort());
  for (const out of ["chalk-path", "report-path", "version"]) {
    assert(ACTION.includes(`${out}:\n    description:`), out);
    assert(ACTION.includes(`steps.setup.outputs.${out}`), out);
  }
});

Deno.test("the action in a simulated GitHub job: installs, loads inline config, wraps docker; reports name the job", async () => {
  const job = await newJob();
  try {
    const r = await runAction(job, {
      version: "source",
      config: 'log_level: "warn"\nfail_on_undelivered_reports: true',
      "wrap-docker": "true",
    });
    assertEquals(r.code, 0, r.stderr);
    const outputs = outputsOf(await Deno.readTextFile(job.output));
    const bin = join(job.env.RUNNER_TEMP, "chalk-ts", "bin");
    assertEquals(outputs["chalk-path"], join(bin, "chalk"));
    assertEquals(outputs["report-path"], join(job.env.HOME, ".local/chalk/chalk.log"));
    assertEquals(outputs.version, VERSION);
    assertEquals((await Deno.readTextFile(job.pathFile)).trim().split("\n"), [bin]);

    // A later step of the job, with GITHUB_PATH applied.
    const env = { ...job.env, PATH: `${bin}:${job.env.PATH}` };
    const dump = await run("chalk", ["dump"], { env, cwd: job.workspace });
    assertEquals(dump.stdout, 'log_level: "warn"\nfail_on_undelivered_reports: true\n');
    const insert = await run("chalk", ["insert", "app"], { env, cwd: job.workspace });
    assertEquals(insert.code, 0, insert.stderr);
    const lines = (await Deno.readTextFile(outputs["report-path"])).trim().split("\n");
    const report = JSON.parse(lines.at(-1)!)[0];
    assertEquals(report.BUILD_URI, "https://github.com/acme/app/actions/runs/9001/attempts/1");
    assertEquals(report.BUILD_ORIGIN_URI, "https://github.com/acme/app");
    assertEquals(report.BUILD_TRIGGER, "push");
    assertEquals(report.BUILD_CONTACT, ["octocat"]);
    assertEquals(report._BUILD_ID, "9001");
    assertEquals(report.BUILD_COMMIT_ID, job.env.GITHUB_SHA);
    const chalk = report._CHALKS[0];
    assertEquals(chalk.COMMIT_ID, job.env.GITHUB_SHA);
    assertEquals(chalk.BRANCH, "main", "detached checkout: the branch comes from the CI");
    const mark = await run("strings", [join(job.workspace, "app")]);
    assertMatch(
      mark.stdout,
      /"BUILD_URI" : "https:\/\/github\.com\/acme\/app\/actions\/runs\/9001/,
    );

    // docker now goes through chalk, which passes `docker --version` to the real docker.
    const realDocker = await run("sh", ["-c", "command -v docker"], { env: job.env });
    if (realDocker.code === 0) {
      const wrapped = await run("docker", ["--version"], { env, cwd: job.workspace });
      const direct = await run("docker", ["--version"], { env: job.env });
      assertEquals(wrapped.code, 0, wrapped.stderr);
      assertEquals(wrapped.stdout, direct.stdout);
      assertEquals(
        (await run("sh", ["-c", "command -v docker"], { env })).stdout.trim(),
        join(bin, "docker"),
      );
    }
  } finally {
    await Deno.remove(job.dir, { recursive: true });
  }
});

Deno.test("the action's report-path is the file the loaded configuration sends full reports to", async () => {
  const job = await newJob();
  try {
    const r = await runAction(job, {
      version: "source",
      config: `sink_config ci_log {
  sink: "file"
  filename: "~/ci-reports.jsonl"
}
subscribe("report", "ci_log")
unsubscribe("report", "default_out")`,
    });
    assertEquals(r.code, 0, r.stderr);
    const outputs = outputsOf(await Deno.readTextFile(job.output));
    assertEquals(outputs["report-path"], join(job.env.HOME, "ci-reports.jsonl"));

    // The job's insert report is in that file: what upload-artifact would keep.
    const bin = join(job.env.RUNNER_TEMP, "chalk-ts", "bin");
    const env = { ...job.env, PATH: `${bin}:${job.env.PATH}` };
    const insert = await run("chalk", ["insert", "app"], { env, cwd: job.workspace });
    assertEquals(insert.code, 0, insert.stderr);
    const lines = (await Deno.readTextFile(outputs["report-path"])).trim().split("\n");
    assertEquals(JSON.parse(lines.at(-1)!)[0]._OPERATION, "insert");
  } finally {
    await Deno.remove(job.dir, { recursive: true });
  }
});

/** Serves `dir` read-only on a free loopback port. */
function serveDir(dir: string): { url: string; close: () => Promise<void> } {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const name = decodeURIComponent(new URL(req.url).pathname).split("/").pop()!;
    try {
      return new Response(await Deno.readFile(join(dir, name)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const { port } = server.addr as Deno.NetAddr;
  return { url: `http://127.0.0.1:${port}`, close: () => server.shutdown() };
}

Deno.test("the action installs a release asset after checking it against SHA256SUMS", async () => {
  const release = await buildRelease();
  // The download URL is …/releases/download/<tag>/<asset>.
  const tagDir = join(release, `v${VERSION}`);
  await Deno.mkdir(tagDir);
  for (const e of Deno.readDirSync(release)) {
    if (e.isFile) await Deno.rename(join(release, e.name), join(tagDir, e.name));
  }
  const server = serveDir(tagDir);
  const job = await newJob();
  try {
    const inputs = { version: `v${VERSION}`, asset: "bundle", "download-url": server.url };
    const ok = await runAction(job, inputs);
    assertEquals(ok.code, 0, ok.stderr);
    const installed = join(job.env.RUNNER_TEMP, "chalk-ts", "bin", "chalk");
    assertEquals(
      await Deno.readTextFile(installed),
      await Deno.readTextFile(join(tagDir, `chalk-${VERSION}-bundle.js`)),
    );

    // A tampered asset is refused, with a GitHub error annotation.
    await Deno.writeTextFile(join(tagDir, `chalk-${VERSION}-bundle.js`), "#!/bin/sh\necho evil\n");
    const second = await newJob();
    try {
      const bad = await runAction(second, inputs);
      assertEquals(bad.code, 1);
      assertMatch(
        bad.stdout,
        /^::error title=chalk-ts action::.*does not match its SHA256SUMS line/m,
      );
      const installedBad = join(second.env.RUNNER_TEMP, "chalk-ts/bin/chalk");
      assertEquals(await Deno.stat(installedBad).catch(() => null), null);
    } finally {
      await Deno.remove(second.dir, { recursive: true });
    }
  } finally {
    await server.close();
    await Deno.remove(job.dir, { recursive: true });
    await Deno.remove(release, { recursive: true });
  }
});
