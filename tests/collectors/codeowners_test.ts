/** readCodeOwners on real directory trees with `.git` created by `git init`. */
import { assert, assertStrictEquals } from "../_assert.ts";
import { join } from "node:path";
import { readCodeOwners } from "../../collectors/codeowners.ts";

async function withRepo(fn: (root: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "chalk_codeowners_" });
  try {
    const repo = join(root, "repo");
    const out = await new Deno.Command("git", {
      args: ["init", "-q", repo],
      clearEnv: true,
      env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", HOME: root, GIT_CONFIG_NOSYSTEM: "1" },
    }).output();
    assert(out.success);
    await Deno.mkdir(join(repo, "src", "deep"), { recursive: true });
    await fn(repo);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const OWNERS = "# owners\n*       @org/team  \n/docs/ @writer\n";

Deno.test("readCodeOwners returns the root CODEOWNERS verbatim from a subdirectory", async () => {
  await withRepo(async (repo) => {
    await Deno.writeTextFile(join(repo, "CODEOWNERS"), OWNERS);
    await Deno.mkdir(join(repo, ".github"));
    await Deno.writeTextFile(join(repo, ".github", "CODEOWNERS"), "* @other\n");
    assertStrictEquals(await readCodeOwners(join(repo, "src", "deep")), OWNERS);
  });
});

Deno.test("readCodeOwners uses .github/CODEOWNERS before docs/CODEOWNERS", async () => {
  await withRepo(async (repo) => {
    await Deno.mkdir(join(repo, ".github"));
    await Deno.mkdir(join(repo, "docs"));
    await Deno.writeTextFile(join(repo, ".github", "CODEOWNERS"), OWNERS);
    await Deno.writeTextFile(join(repo, "docs", "CODEOWNERS"), "* @docs\n");
    assertStrictEquals(await readCodeOwners(join(repo, "src")), OWNERS);
  });
});

Deno.test("readCodeOwners stops at a .github folder without CODEOWNERS", async () => {
  await withRepo(async (repo) => {
    await Deno.mkdir(join(repo, ".github"));
    await Deno.mkdir(join(repo, "docs"));
    await Deno.writeTextFile(join(repo, "docs", "CODEOWNERS"), OWNERS);
    assertStrictEquals(await readCodeOwners(repo), undefined);
    await Deno.remove(join(repo, ".github"));
    assertStrictEquals(await readCodeOwners(repo), OWNERS);
  });
});

Deno.test("readCodeOwners ignores CODEOWNERS below the repo root and outside repos", async () => {
  await withRepo(async (repo) => {
    await Deno.writeTextFile(join(repo, "src", "CODEOWNERS"), OWNERS);
    assertStrictEquals(await readCodeOwners(join(repo, "src", "deep")), undefined);
    const outside = join(repo, "..", "plain");
    await Deno.mkdir(outside);
    await Deno.writeTextFile(join(outside, "CODEOWNERS"), OWNERS);
    assertStrictEquals(await readCodeOwners(outside), undefined);
  });
});

Deno.test("readCodeOwners treats a .git file (worktree) as a repo root", async () => {
  await withRepo(async (repo) => {
    await Deno.writeTextFile(join(repo, "src", ".git"), "gitdir: ../.git\n");
    await Deno.writeTextFile(join(repo, "src", "CODEOWNERS"), OWNERS);
    assertStrictEquals(await readCodeOwners(join(repo, "src", "deep")), OWNERS);
  });
});
