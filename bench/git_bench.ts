/**
 * readGitInfo on a synthetic repository (500 commits, 101 annotated tags,
 * one copy packed with `git gc --aggressive`, one exploded into loose
 * objects), against the baseline of spawning `git log -1` once. Run: `deno bench -A bench/git_bench.ts`.
 */
import { join } from "node:path";
import { GitObjectStore } from "../collectors/git_objects.ts";
import { readGitInfo } from "../collectors/git.ts";

const COMMITS = 500;
const TAGS_EVERY = 5;

const root = await Deno.makeTempDir({ prefix: "chalk_git_bench_" });
const env = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: root,
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
};

async function run(cwd: string, args: string[], stdin?: string): Promise<string> {
  const child = new Deno.Command("git", {
    args: ["-c", "init.defaultBranch=main", ...args],
    cwd,
    clearEnv: true,
    env,
    stdin: stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(stdin));
    await w.close();
  }
  const out = await child.output();
  if (!out.success) {
    throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** Build a history quickly with fast-import: one file changing, long similar messages. */
async function buildRepo(dir: string): Promise<void> {
  await run(root, ["init", "-q", dir]);
  const filler = Array.from({ length: 40 }, (_, i) => `shared message line ${i}`).join("\n");
  let script = "";
  for (let i = 0; i < COMMITS; i++) {
    const msg = `change ${i}\n\n${filler}\n`;
    const data = `version ${i}\n`;
    script += `commit refs/heads/main\nmark :${i + 1}\n` +
      `committer Bench <bench@example.com> ${1695487268 + i * 60} -0400\n` +
      `data ${new TextEncoder().encode(msg).length}\n${msg}\n` +
      `M 100644 inline file.txt\ndata ${data.length}\n${data}\n`;
    if (i % TAGS_EVERY === 0 || i === COMMITS - 1) {
      const tmsg = `tag ${i}\n`;
      script += `tag v${i}\nfrom :${i + 1}\n` +
        `tagger Bench <bench@example.com> ${1695487268 + i * 60} -0400\n` +
        `data ${tmsg.length}\n${tmsg}\n`;
    }
  }
  await run(dir, ["fast-import", "--quiet"], script);
  await run(dir, ["checkout", "-q", "main"]);
}

/** Move every pack out of the way and explode it into loose objects. */
async function explode(dir: string): Promise<void> {
  const packDir = join(dir, ".git", "objects", "pack");
  for (const e of [...Deno.readDirSync(packDir)]) {
    const path = join(packDir, e.name);
    if (!e.name.endsWith(".pack")) {
      Deno.removeSync(path);
      continue;
    }
    const bytes = Deno.readFileSync(path);
    Deno.removeSync(path);
    const child = new Deno.Command("git", {
      args: ["unpack-objects", "-q"],
      cwd: dir,
      clearEnv: true,
      env,
      stdin: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(bytes);
    await w.close();
    if (!(await child.status).success) throw new Error("unpack-objects failed");
  }
}

const loose = join(root, "loose");
const packed = join(root, "packed");
await buildRepo(loose);
await explode(loose);
await buildRepo(packed);
await run(packed, ["gc", "-q", "--aggressive", "--prune=now"]);
await run(packed, ["pack-refs", "--all"]);
const head = await run(packed, ["rev-parse", "HEAD"]);
const oldest = await run(packed, ["rev-list", "--max-parents=0", "HEAD"]);

globalThis.addEventListener("unload", () => {
  Deno.removeSync(root, { recursive: true });
});

Deno.bench({
  name: "readGitInfo, gc --aggressive pack and packed-refs",
  group: "git",
  async fn() {
    const info = await readGitInfo(packed);
    if (info?.keys.get("COMMIT_ID") !== head) throw new Error("wrong commit");
  },
});

Deno.bench({
  name: "readGitInfo, loose objects and loose tag refs",
  group: "git",
  async fn() {
    const info = await readGitInfo(loose);
    if (info?.keys.get("TAG") === undefined) throw new Error("no tag");
  },
});

Deno.bench({
  name: "spawn git log -1 (baseline)",
  group: "git",
  baseline: true,
  async fn() {
    await run(packed, ["log", "-1", "--format=%H %an %ae %aI %cI %B"]);
  },
});

Deno.bench({
  name: "GitObjectStore.read of the oldest commit (delta chain)",
  group: "objects",
  async fn() {
    const store = new GitObjectStore(join(packed, ".git", "objects"));
    try {
      const obj = await store.read(oldest);
      if (obj?.type !== "commit") throw new Error("not a commit");
    } finally {
      await store.close();
    }
  },
});
