/**
 * readGitInfo / GitCollector against real repositories built with the
 * `git` binary in temp dirs. Every expected value comes from git itself.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertNotEquals,
  assertNotMatch,
  assertNotStrictEquals,
  assertStrictEquals,
} from "../_assert.ts";
import { join } from "node:path";
import { GIT_KEYS, GitCollector, readGitInfo, runTimeGitKeys } from "../../collectors/git.ts";
import { GitObjectStore } from "../../collectors/git_objects.ts";

const AUTHOR_DATE = "2023-09-23T12:41:08-04:00";
const COMMITTER_DATE = "2023-09-24T08:00:00+05:30";

/** A temp HOME plus helpers to run git hermetically in it. */
class Fixture {
  private constructor(readonly root: string) {}

  static async create(): Promise<Fixture> {
    const root = await Deno.makeTempDir({ prefix: "chalk_git_test_" });
    const f = new Fixture(root);
    await Deno.writeTextFile(
      join(root, ".gitconfig"),
      "[user]\n\tname = Test Person\n\temail = test@example.com\n" +
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n" +
        '[tag]\n\tgpgsign = false\n[gc]\n\tauto = 0\n[protocol "file"]\n\tallow = always\n',
    );
    return f;
  }

  env(extra: Record<string, string> = {}): Record<string, string> {
    return {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: this.root,
      GIT_CONFIG_NOSYSTEM: "1",
      LANG: "C",
      GIT_AUTHOR_DATE: AUTHOR_DATE,
      GIT_COMMITTER_DATE: COMMITTER_DATE,
      ...extra,
    };
  }

  /** Run git in `cwd`; returns trimmed stdout, throws with stderr on failure. */
  async git(
    cwd: string,
    args: string[],
    opts: { stdin?: string; env?: Record<string, string>; raw?: boolean } = {},
  ): Promise<string> {
    const cmd = new Deno.Command("git", {
      args: ["-c", "init.defaultBranch=main", ...args],
      cwd,
      clearEnv: true,
      env: this.env(opts.env),
      stdin: opts.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
    });
    const child = cmd.spawn();
    if (opts.stdin !== undefined) {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(opts.stdin));
      await w.close();
    }
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      throw new Error(`git ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
    }
    return opts.raw ? stdout : stdout.trim();
  }

  async gitBytes(cwd: string, args: string[]): Promise<Uint8Array> {
    const out = await new Deno.Command("git", {
      args,
      cwd,
      clearEnv: true,
      env: this.env(),
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(`git ${args.join(" ")} failed`);
    return out.stdout;
  }

  /** A new repo with one file and `commits` commits; returns its path. */
  async repo(name: string, commits = 1, args: string[] = []): Promise<string> {
    const dir = join(this.root, name);
    await this.git(this.root, ["init", "-q", ...args, dir]);
    for (let i = 0; i < commits; i++) {
      await Deno.writeTextFile(join(dir, "file.txt"), `content ${i}\n`);
      await this.git(dir, ["add", "file.txt"]);
      await this.git(dir, ["commit", "-q", "-m", `commit number ${i}\n\nbody of ${i}\n`]);
    }
    return dir;
  }

  async cleanup(): Promise<void> {
    await Deno.remove(this.root, { recursive: true });
  }
}

/** git's `%aI` ("…-04:00") in chalk's form ("….000-04:00"). */
function withMillis(iso: string): string {
  return iso.replace(/([+-]\d\d:\d\d|Z)$/, ".000$1");
}

/** Assert that every commit key of `info` matches `git log -1` run in `dir`. */
async function assertCommitKeys(
  f: Fixture,
  dir: string,
  keys: Map<string, string | bigint | boolean>,
): Promise<void> {
  const fmt = ["%H", "%an <%ae>", "%aI", "%at", "%cn <%ce>", "%cI", "%ct", "%B"].join("%x00");
  const [id, author, aI, at, committer, cI, ct, body] = (await f.git(dir, [
    "log",
    "-1",
    `--format=${fmt}`,
  ])).split("\0");
  assertStrictEquals(keys.get("COMMIT_ID"), id);
  assertStrictEquals(keys.get("AUTHOR"), author);
  assertStrictEquals(keys.get("DATE_AUTHORED"), withMillis(aI));
  assertStrictEquals(keys.get("TIMESTAMP_AUTHORED"), BigInt(at) * 1000n);
  assertStrictEquals(keys.get("COMMITTER"), committer);
  assertStrictEquals(keys.get("DATE_COMMITTED"), withMillis(cI));
  assertStrictEquals(keys.get("TIMESTAMP_COMMITTED"), BigInt(ct) * 1000n);
  // %G? needs a working gpg; the raw header block is what git itself checks for a signature
  const raw = await f.git(dir, ["cat-file", "commit", id], { raw: true });
  const headerBlock = raw.slice(0, raw.indexOf("\n\n") + 1);
  assertStrictEquals(keys.get("COMMIT_SIGNED"), /^gpgsig(-sha256)? /m.test(headerBlock));
  assertStrictEquals(keys.get("COMMIT_MESSAGE"), body.trim());
}

async function branchOf(f: Fixture, dir: string): Promise<string | undefined> {
  try {
    return (await f.git(dir, ["symbolic-ref", "-q", "HEAD"])).replace(/^refs\/heads\//, "");
  } catch {
    return undefined;
  }
}

/** The tag chalk should report: latest by tagger date, then name (lightweight = time 0). */
async function expectedTag(f: Fixture, dir: string): Promise<string | undefined> {
  const names = await f.git(dir, [
    "for-each-ref",
    "--points-at=HEAD",
    "--sort=refname",
    "--sort=taggerdate",
    "--format=%(refname:strip=2)",
    "refs/tags",
  ]);
  return names === "" ? undefined : names.split("\n").at(-1);
}

async function assertTagKeys(
  f: Fixture,
  dir: string,
  keys: Map<string, string | bigint | boolean>,
): Promise<void> {
  const tag = await expectedTag(f, dir);
  assertStrictEquals(keys.get("TAG"), tag);
  if (tag === undefined) return;
  const ref = `refs/tags/${tag}`;
  const type = await f.git(dir, ["cat-file", "-t", ref]);
  if (type !== "tag") {
    assertStrictEquals(keys.get("TAG_SIGNED"), false);
    assertStrictEquals(keys.has("TAGGER"), false);
    assertStrictEquals(keys.has("TAG_MESSAGE"), false);
    return;
  }
  const one = (format: string): Promise<string> =>
    f.git(dir, ["for-each-ref", `--format=${format}`, ref], { raw: true });
  assertStrictEquals(keys.get("TAGGER"), (await one("%(taggername) %(taggeremail)")).trim());
  assertStrictEquals(
    keys.get("DATE_TAGGED"),
    withMillis((await one("%(taggerdate:iso-strict)")).trim()),
  );
  assertStrictEquals(
    keys.get("TIMESTAMP_TAGGED"),
    BigInt((await one("%(taggerdate:unix)")).trim()) * 1000n,
  );
  const contents = await one("%(contents)");
  const signature = await one("%(contents:signature)");
  assertStrictEquals(keys.get("TAG_SIGNED"), signature.trim() !== "");
  const message = contents.slice(0, contents.length - signature.length - 1).trim();
  assertStrictEquals(keys.get("TAG_MESSAGE"), message === "" ? undefined : message);
}

/** The full set of checks: commit, branch, tag, vcs dir. */
async function assertMatchesGit(f: Fixture, dir: string, root = dir): Promise<void> {
  const info = await readGitInfo(dir);
  assert(info !== undefined, "repository not found");
  assertEquals(info.warnings, []);
  assertStrictEquals(info.vcsDir, root);
  assertStrictEquals(info.keys.get("VCS_DIR_WHEN_CHALKED"), root);
  assertStrictEquals(info.keys.get("BRANCH"), await branchOf(f, dir));
  await assertCommitKeys(f, dir, info.keys);
  await assertTagKeys(f, dir, info.keys);
  const order = [...info.keys.keys()];
  assertEquals(order, GIT_KEYS.filter((k) => info.keys.has(k)), "keys follow GIT_KEYS order");
}

async function withFixture(fn: (f: Fixture) => Promise<void>): Promise<void> {
  const f = await Fixture.create();
  try {
    await fn(f);
  } finally {
    await f.cleanup();
  }
}

/** Ids of every commit and tag object in the repository. */
async function commitAndTagIds(f: Fixture, dir: string): Promise<[string, string][]> {
  const out = await f.git(dir, [
    "cat-file",
    "--batch-all-objects",
    "--batch-check=%(objectname) %(objecttype)",
  ]);
  return out.split("\n").map((l) => l.split(" ") as [string, string])
    .filter(([, t]) => t === "commit" || t === "tag");
}

/**
 * Pack entry type codes (1-4 whole, 6 OFS_DELTA, 7 REF_DELTA) of every
 * commit in the repository's packs, from the offsets `git verify-pack -v` lists.
 */
async function commitEntryTypes(f: Fixture, dir: string): Promise<Map<number, number>> {
  const packDir = join(dir, ".git", "objects", "pack");
  const counts = new Map<number, number>();
  for await (const e of Deno.readDir(packDir)) {
    if (!e.name.endsWith(".pack")) continue;
    const bytes = await Deno.readFile(join(packDir, e.name));
    const out = await f.git(dir, ["verify-pack", "-v", join(packDir, e.name)]);
    for (const line of out.split("\n")) {
      const cols = line.split(/\s+/);
      if (cols[1] !== "commit") continue;
      const code = (bytes[Number(cols[4])] >> 4) & 7;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
  }
  return counts;
}

/** Every commit/tag object read in-process is byte-identical to `git cat-file`. */
async function assertStoreMatchesGit(f: Fixture, dir: string): Promise<number> {
  const store = new GitObjectStore(join(dir, ".git", "objects"));
  try {
    const ids = await commitAndTagIds(f, dir);
    for (const [id, type] of ids) {
      const obj = await store.read(id);
      assert(obj !== undefined, `object ${id} not found`);
      assertStrictEquals(obj.type, type);
      assertEquals(obj.data, await f.gitBytes(dir, ["cat-file", type, id]));
    }
    assertEquals(store.allWarnings(), []);
    return ids.length;
  } finally {
    await store.close();
  }
}

Deno.test("readGitInfo reads a fresh one-commit repo like git does", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("fresh");
    await assertMatchesGit(f, dir);
    const info = (await readGitInfo(dir))!;
    assertStrictEquals(info.keys.get("ORIGIN_URI"), "local");
    assertStrictEquals(info.keys.get("COMMIT_ID"), await f.git(dir, ["rev-parse", "HEAD"]));
    assertStrictEquals(info.keys.get("BRANCH"), "main");
    assertStrictEquals(info.keys.has("TAG"), false);
  });
});

Deno.test("readGitInfo finds the repo from a nested directory and from a file", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("nested");
    await Deno.mkdir(join(dir, "a", "b"), { recursive: true });
    await Deno.writeTextFile(join(dir, "a", "b", "x.sh"), "echo\n");
    const fromDir = await readGitInfo(join(dir, "a", "b"));
    const fromFile = await readGitInfo(join(dir, "a", "b", "x.sh"));
    assertStrictEquals(fromDir?.vcsDir, dir);
    assertStrictEquals(fromFile?.vcsDir, dir);
    assertStrictEquals(fromDir?.keys.get("COMMIT_ID"), await f.git(dir, ["rev-parse", "HEAD"]));
  });
});

Deno.test("readGitInfo returns undefined outside any repository", async () => {
  await withFixture(async (f) => {
    const plain = join(f.root, "plain");
    await Deno.mkdir(plain);
    assertStrictEquals(await readGitInfo(plain), undefined);
  });
});

Deno.test("readGitInfo strips credentials from an http origin and follows the branch remote", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("remote");
    const host = "example.com/org/repo.git";
    await f.git(dir, ["remote", "add", "origin", `https://user:pa%40ss@${host}`]);
    assertStrictEquals((await readGitInfo(dir))?.keys.get("ORIGIN_URI"), `https://${host}`);
    await f.git(dir, ["remote", "add", "upstream", "git@github.com:up/stream.git"]);
    await f.git(dir, ["config", "branch.main.remote", "upstream"]);
    assertStrictEquals(
      (await readGitInfo(dir))?.keys.get("ORIGIN_URI"),
      await f.git(dir, ["remote", "get-url", "upstream"]),
    );
  });
});

Deno.test("readGitInfo keeps an ssh origin's user but not a password written into it", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("sshremote");
    await f.git(dir, ["remote", "add", "origin", "ssh://deploy:t0ken@git.example.com/org/r.git"]);
    const origin = (await readGitInfo(dir))?.keys.get("ORIGIN_URI");
    assertStrictEquals(origin, "ssh://deploy@git.example.com/org/r.git");
  });
});

Deno.test("readGitInfo reads the origin of a config that starts with a UTF-8 BOM, as git does", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("bomconfig");
    await f.git(dir, ["remote", "add", "origin", "https://example.com/org/bom.git"]);
    const config = join(dir, ".git", "config");
    await Deno.writeTextFile(config, "\uFEFF" + await Deno.readTextFile(config));
    const info = (await readGitInfo(dir))!;
    assertEquals(info.warnings, []);
    assertStrictEquals(
      info.keys.get("ORIGIN_URI"),
      await f.git(dir, ["config", "--get", "remote.origin.url"]),
    );
  });
});

Deno.test("readGitInfo uses the first remote when there is no origin", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("firstremote");
    await f.git(dir, ["remote", "add", "zeta", "ssh://git@host/zeta.git"]);
    await f.git(dir, ["remote", "add", "alpha", "ssh://git@host/alpha.git"]);
    assertStrictEquals(
      (await readGitInfo(dir))?.keys.get("ORIGIN_URI"),
      await f.git(dir, ["remote", "get-url", "zeta"]),
    );
  });
});

Deno.test("readGitInfo reads refs after git pack-refs --all", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("packedrefs", 3);
    await f.git(dir, ["checkout", "-q", "-b", "feature/x"]);
    await f.git(dir, ["tag", "-a", "-m", "release one\n\nnotes", "v1.0"]);
    await f.git(dir, ["pack-refs", "--all"]);
    const loose = [];
    for await (const e of Deno.readDir(join(dir, ".git", "refs", "heads"))) loose.push(e.name);
    assertEquals(loose.filter((n) => !n.startsWith(".")), [], "refs were not packed");
    await assertMatchesGit(f, dir);
    assertStrictEquals((await readGitInfo(dir))?.keys.get("BRANCH"), "feature/x");
  });
});

Deno.test("readGitInfo reads a branch whose name has a slash", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("slash", 2);
    await f.git(dir, ["checkout", "-q", "-b", "feature/deep/x"]);
    await Deno.writeTextFile(join(dir, "more.txt"), "more\n");
    await f.git(dir, ["add", "more.txt"]);
    await f.git(dir, ["commit", "-q", "-m", "on a feature branch"]);
    await assertMatchesGit(f, dir);
  });
});

Deno.test("readGitInfo reads a detached HEAD with no branch", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("detached", 3);
    await f.git(dir, ["checkout", "-q", "--detach", "HEAD~1"]);
    await assertMatchesGit(f, dir);
    assertStrictEquals((await readGitInfo(dir))?.keys.has("BRANCH"), false);
  });
});

Deno.test("readGitInfo picks the latest annotated tag over lightweight ones", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("tags", 2);
    await f.git(dir, ["tag", "light"]);
    await f.git(dir, ["tag", "-a", "-m", "old one", "v0.9"], {
      env: { GIT_COMMITTER_DATE: "2023-09-20T10:00:00-07:00" },
    });
    await f.git(dir, ["tag", "-a", "-m", "Release 1.0\n\nWith notes.\n", "v1.0"], {
      env: { GIT_COMMITTER_DATE: "2023-09-25T10:00:00+02:00" },
    });
    await f.git(dir, ["tag", "-a", "-m", "on an older commit", "v0.1", "HEAD~1"], {
      env: { GIT_COMMITTER_DATE: "2023-09-30T10:00:00+02:00" },
    });
    await assertMatchesGit(f, dir);
    assertStrictEquals((await readGitInfo(dir))?.keys.get("TAG"), await expectedTag(f, dir));
  });
});

Deno.test("readGitInfo reports a lightweight tag without tagger keys", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("lightonly", 1);
    await f.git(dir, ["tag", "nightly/2023-09-23"]);
    await assertMatchesGit(f, dir);
    const keys = (await readGitInfo(dir))!.keys;
    assertStrictEquals(keys.get("TAG"), await expectedTag(f, dir));
    assertStrictEquals(keys.get("TAG_SIGNED"), false);
  });
});

Deno.test("readGitInfo sees a signed tag and drops its PGP block from the message", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("signedtag", 1);
    const head = await f.git(dir, ["rev-parse", "HEAD"]);
    const tagText = `object ${head}\ntype commit\ntag v2.0\n` +
      "tagger Tag Person <tagger@example.com> 1695487268 -0400\n\n" +
      "Signed release\n\nbody line\n" +
      "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n";
    const oid = await f.git(dir, ["mktag"], { stdin: tagText });
    await f.git(dir, ["update-ref", "refs/tags/v2.0", oid]);
    await assertMatchesGit(f, dir);
    const keys = (await readGitInfo(dir))!.keys;
    assertStrictEquals(keys.get("TAG_SIGNED"), true);
    assertStrictEquals(keys.get("TAG_MESSAGE"), "Signed release\n\nbody line");
  });
});

Deno.test("readGitInfo peels one tag level only, like git for-each-ref --points-at", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("tagoftag", 1);
    await f.git(dir, ["tag", "-a", "-m", "inner", "inner"]);
    await f.git(dir, ["tag", "-a", "-m", "outer", "outer", "inner"], {
      env: { GIT_COMMITTER_DATE: "2024-01-01T00:00:00+01:00" },
    });
    const keys = (await readGitInfo(dir))!.keys;
    assertStrictEquals(keys.get("TAG"), await expectedTag(f, dir));
    assertStrictEquals(keys.get("TAG"), "inner");
    await f.git(dir, ["pack-refs", "--all"]);
    assertStrictEquals((await readGitInfo(dir))!.keys.get("TAG"), await expectedTag(f, dir));
  });
});

Deno.test("readGitInfo reports COMMIT_SIGNED and the message after a gpgsig header", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("signedcommit", 1);
    const raw = await f.git(dir, ["cat-file", "commit", "HEAD"], { raw: true });
    const cut = raw.indexOf("\n\n");
    const signed = raw.slice(0, cut) + "\n" +
      "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n =abcd\n" +
      " -----END PGP SIGNATURE-----\n\nSigned change\n\nsigned body\n";
    const oid = await f.git(dir, ["hash-object", "-t", "commit", "-w", "--stdin"], {
      stdin: signed,
    });
    await f.git(dir, ["update-ref", "refs/heads/main", oid]);
    await assertMatchesGit(f, dir);
    const keys = (await readGitInfo(dir))!.keys;
    assertStrictEquals(keys.get("COMMIT_SIGNED"), true);
    assertStrictEquals(keys.get("COMMIT_MESSAGE"), "Signed change\n\nsigned body");
  });
});

Deno.test("readGitInfo decodes a Latin-1 commit's author and committer, not only its message", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("latin1", 0);
    // "René" in Latin-1 bytes: the name git records as given, under `encoding ISO-8859-1`
    const config = await Deno.readFile(join(dir, ".git", "config"));
    const user = new Uint8Array([
      ...new TextEncoder().encode("[user]\n\tname = Ren"),
      0xe9,
      ...new TextEncoder().encode("\n\temail = r@example.com\n"),
    ]);
    await Deno.writeFile(join(dir, ".git", "config"), new Uint8Array([...config, ...user]));
    await Deno.writeTextFile(join(dir, "file.txt"), "x\n");
    await f.git(dir, ["add", "file.txt"]);
    await f.git(dir, ["-c", "i18n.commitEncoding=ISO-8859-1", "commit", "-q", "-m", "plain"]);
    const raw = await f.gitBytes(dir, ["cat-file", "commit", "HEAD"]);
    assert(raw.includes(0xe9), "the commit holds the Latin-1 byte");
    // git log (UTF-8 output) says "René <r@example.com>"; so must chalk
    await assertMatchesGit(f, dir);
    assertStrictEquals((await readGitInfo(dir))!.keys.get("AUTHOR"), "Ren\u00e9 <r@example.com>");
  });
});

Deno.test("readGitInfo dates a '-0000' commit '+00:00', as git's %aI does", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("minuszero", 1);
    // git itself never writes -0000, but imported history (svn, hg, CVS) carries it
    const raw = await f.git(dir, ["cat-file", "commit", "HEAD"], { raw: true });
    const zero = raw.replace(/^(author|committer) (.*) (\d+) [+-]\d{4}$/gm, "$1 $2 $3 -0000");
    assertMatch(zero, /^committer .* -0000$/m);
    const oid = await f.git(dir, ["hash-object", "-t", "commit", "-w", "--stdin"], {
      stdin: zero,
    });
    await f.git(dir, ["update-ref", "refs/heads/main", oid]);
    await assertMatchesGit(f, dir);
    const keys = (await readGitInfo(dir))!.keys;
    assertMatch(String(keys.get("DATE_AUTHORED")), /\.000\+00:00$/);
    assertMatch(String(keys.get("DATE_COMMITTED")), /\.000\+00:00$/);
  });
});

Deno.test("readGitInfo reads objects packed by git gc --aggressive, including deltas", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("gc", 0);
    const filler = Array.from({ length: 60 }, (_, i) => `shared line ${i} of a long message`)
      .join("\n");
    for (let i = 0; i < 40; i++) {
      await Deno.writeTextFile(join(dir, "file.txt"), `v${i}\n`);
      await f.git(dir, ["add", "file.txt"]);
      await f.git(dir, ["commit", "-q", "-m", `change ${i}\n\n${filler}\nend ${i}`]);
      if (i % 10 === 0) {
        await f.git(dir, ["tag", "-a", "-m", `tag ${i}\n\n${filler}`, `t${i}`]);
      }
    }
    await f.git(dir, ["tag", "-a", "-m", `head tag\n\n${filler}`, "head-tag"]);
    await f.git(dir, ["gc", "-q", "--aggressive", "--prune=now"]);
    assertMatch(await f.git(dir, ["count-objects", "-v"]), /^count: 0$/m);
    assert(((await commitEntryTypes(f, dir)).get(6) ?? 0) > 0, "expected OFS_DELTA commits");
    await assertMatchesGit(f, dir);
    assert(await assertStoreMatchesGit(f, dir) >= 45);
  });
});

Deno.test("readGitInfo reads REF_DELTA packs and version 1 pack indexes", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("refdelta", 0);
    const filler = Array.from({ length: 50 }, (_, i) => `line ${i} repeated text`).join("\n");
    for (let i = 0; i < 25; i++) {
      await Deno.writeTextFile(join(dir, "file.txt"), `v${i}\n`);
      await f.git(dir, ["add", "file.txt"]);
      await f.git(dir, ["commit", "-q", "-m", `change ${i}\n\n${filler}\nend ${i}`]);
    }
    await f.git(dir, [
      "-c",
      "repack.useDeltaBaseOffset=false",
      "-c",
      "pack.indexVersion=1",
      "repack",
      "-a",
      "-d",
      "-f",
      "-q",
      "--window=50",
      "--depth=50",
    ]);
    await f.git(dir, ["prune-packed"]);
    assert(((await commitEntryTypes(f, dir)).get(7) ?? 0) > 0, "expected REF_DELTA commits");
    const packDir = join(dir, ".git", "objects", "pack");
    for await (const e of Deno.readDir(packDir)) {
      if (!e.name.endsWith(".idx")) continue;
      const head = (await Deno.readFile(join(packDir, e.name))).subarray(0, 4);
      assertNotEquals([...head], [0xff, 0x74, 0x4f, 0x63], "expected a v1 index");
    }
    await assertMatchesGit(f, dir);
    await assertStoreMatchesGit(f, dir);
  });
});

Deno.test("readGitInfo reads a pack too large to load whole, through positional reads", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("bigpack", 2);
    const noise = new Uint8Array(6 * 1024 * 1024);
    for (let i = 0; i < noise.length; i += 65536) {
      crypto.getRandomValues(noise.subarray(i, i + 65536));
    }
    await Deno.writeFile(join(dir, "noise.bin"), noise);
    await f.git(dir, ["add", "noise.bin"]);
    await f.git(dir, ["commit", "-q", "-m", "add noise"]);
    await f.git(dir, ["tag", "-a", "-m", "big", "big"]);
    await f.git(dir, ["gc", "-q", "--prune=now"]);
    const packDir = join(dir, ".git", "objects", "pack");
    const sizes = [...Deno.readDirSync(packDir)].filter((e) => e.name.endsWith(".pack"))
      .map((e) => Deno.statSync(join(packDir, e.name)).size);
    assert(sizes.some((s) => s > 4 * 1024 * 1024), `pack sizes ${sizes}`);
    await assertMatchesGit(f, dir);
    await assertStoreMatchesGit(f, dir);
  });
});

Deno.test("readGitInfo finds objects through objects/info/alternates", async () => {
  await withFixture(async (f) => {
    const src = await f.repo("altsrc", 3);
    await f.git(src, ["tag", "-a", "-m", "shared tag", "shared"]);
    await f.git(src, ["gc", "-q", "--prune=now"]);
    const dst = join(f.root, "altdst");
    await f.git(f.root, ["clone", "-q", "--shared", src, dst]);
    await Deno.stat(join(dst, ".git", "objects", "info", "alternates"));
    assertMatch(await f.git(dst, ["count-objects", "-v"]), /^count: 0$/m);
    assertMatch(await f.git(dst, ["count-objects", "-v"]), /^packs: 0$/m);
    await assertMatchesGit(f, dst);
  });
});

Deno.test("readGitInfo reads a shallow clone", async () => {
  await withFixture(async (f) => {
    const src = await f.repo("shallowsrc", 5);
    await f.git(src, ["tag", "-a", "-m", "tip", "tip"]);
    const dst = join(f.root, "shallow");
    await f.git(f.root, ["clone", "-q", "--depth", "1", `file://${src}`, dst]);
    await Deno.stat(join(dst, ".git", "shallow"));
    await assertMatchesGit(f, dst);
    assertStrictEquals(
      (await readGitInfo(dst))?.keys.get("ORIGIN_URI"),
      await f.git(dst, ["remote", "get-url", "origin"]),
    );
  });
});

Deno.test("readGitInfo follows a .git file into a linked worktree", async () => {
  await withFixture(async (f) => {
    const main = await f.repo("wtmain", 2);
    await f.git(main, ["pack-refs", "--all"]);
    const wt = join(f.root, "wt");
    await f.git(main, ["worktree", "add", "-q", "-b", "wt/branch", wt]);
    assert((await Deno.stat(join(wt, ".git"))).isFile);
    await assertMatchesGit(f, wt);
    await Deno.writeTextFile(join(wt, "wt.txt"), "in worktree\n");
    await f.git(wt, ["add", "wt.txt"]);
    await f.git(wt, ["commit", "-q", "-m", "worktree commit"]);
    await assertMatchesGit(f, wt);
    await assertMatchesGit(f, main);
  });
});

Deno.test("readGitInfo follows a .git file into a submodule", async () => {
  await withFixture(async (f) => {
    const lib = await f.repo("lib", 2);
    const app = await f.repo("app", 1);
    await f.git(app, ["submodule", "add", "-q", `file://${lib}`, "vendor/lib"]);
    const sub = join(app, "vendor", "lib");
    assert((await Deno.stat(join(sub, ".git"))).isFile);
    await assertMatchesGit(f, sub);
    assertStrictEquals(
      (await readGitInfo(sub))?.keys.get("ORIGIN_URI"),
      await f.git(sub, ["remote", "get-url", "origin"]),
    );
  });
});

Deno.test("readGitInfo reads a bare repository", async () => {
  await withFixture(async (f) => {
    const src = await f.repo("baresrc", 2);
    const bare = join(f.root, "bare.git");
    await f.git(f.root, ["clone", "-q", "--bare", src, bare]);
    const info = await readGitInfo(bare);
    assertStrictEquals(info?.vcsDir, bare);
    await assertCommitKeys(f, bare, info!.keys);
  });
});

Deno.test("readGitInfo reads a SHA-256 repository", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("sha256", 3, ["--object-format=sha256"]);
    await f.git(dir, ["tag", "-a", "-m", "sha256 tag", "v256"]);
    await assertMatchesGit(f, dir);
    await f.git(dir, ["gc", "-q", "--aggressive", "--prune=now"]);
    await assertMatchesGit(f, dir);
    assertStrictEquals(((await readGitInfo(dir))?.keys.get("COMMIT_ID") as string).length, 64);
  });
});

Deno.test("readGitInfo warns about an empty repository and returns no keys", async () => {
  await withFixture(async (f) => {
    const dir = join(f.root, "empty");
    await f.git(f.root, ["init", "-q", dir]);
    const info = await readGitInfo(dir);
    assert(info !== undefined);
    assertStrictEquals(info.keys.size, 0);
    assertStrictEquals(info.warnings.length, 1);
    assertMatch(info.warnings[0], /HEAD: ref 'refs\/heads\/main' doesn't exist.*empty git repo/);
  });
});

Deno.test("readGitInfo names reftable storage instead of calling the repo empty", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("reftable", 1);
    // the layout git >= 2.45 writes with --ref-format=reftable (not creatable by this git)
    await Deno.mkdir(join(dir, ".git", "reftable"));
    await Deno.writeTextFile(join(dir, ".git", "HEAD"), "ref: refs/heads/.invalid\n");
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.size, 0);
    assertEquals(info?.warnings, [
      `${join(dir, ".git", "reftable")}: reftable ref storage is not supported`,
    ]);
  });
});

Deno.test("readGitInfo turns a corrupt loose object into a warning naming the file", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("corruptloose", 1);
    await f.git(dir, ["tag", "-a", "-m", "still visible", "v1"]);
    const head = await f.git(dir, ["rev-parse", "HEAD"]);
    const file = join(dir, ".git", "objects", head.slice(0, 2), head.slice(2));
    await Deno.chmod(file, 0o644);
    await Deno.writeFile(file, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.get("COMMIT_ID"), head);
    assertStrictEquals(info?.keys.has("AUTHOR"), false);
    assertStrictEquals(info?.keys.get("TAG"), await expectedTag(f, dir));
    assertStrictEquals(info?.keys.get("TAG_MESSAGE"), "still visible");
    assertStrictEquals(info?.warnings.length, 1);
    assert(info?.warnings[0].includes(file), info?.warnings[0]);
    assertNotMatch(info!.warnings[0], /\n/);
  });
});

Deno.test("readGitInfo turns a corrupt pack into a warning naming the pack", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("corruptpack", 3);
    await f.git(dir, ["gc", "-q", "--prune=now"]);
    const packDir = join(dir, ".git", "objects", "pack");
    const pack = [...Deno.readDirSync(packDir)].find((e) => e.name.endsWith(".pack"))!.name;
    const path = join(packDir, pack);
    await Deno.chmod(path, 0o644);
    const bytes = await Deno.readFile(path);
    bytes.fill(0x5a, 12, bytes.length - 20);
    await Deno.writeFile(path, bytes);
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.has("AUTHOR"), false);
    assert(info!.warnings.some((w) => w.includes(path)), info!.warnings.join("|"));
  });
});

Deno.test("readGitInfo reports corrupt zlib data inside a pack entry", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("corruptentry", 3);
    await f.git(dir, ["gc", "-q", "--prune=now"]);
    const head = await f.git(dir, ["rev-parse", "HEAD"]);
    const packDir = join(dir, ".git", "objects", "pack");
    const idx = [...Deno.readDirSync(packDir)].find((e) => e.name.endsWith(".idx"))!.name;
    const line = (await f.git(dir, ["verify-pack", "-v", join(packDir, idx)])).split("\n")
      .find((l) => l.startsWith(head))!;
    const offset = Number(line.split(/\s+/)[4]);
    const path = join(packDir, idx.replace(/\.idx$/, ".pack"));
    await Deno.chmod(path, 0o644);
    const bytes = await Deno.readFile(path);
    for (let i = offset + 4; i < offset + 24; i++) bytes[i] ^= 0xff;
    await Deno.writeFile(path, bytes);
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.get("COMMIT_ID"), head);
    assertStrictEquals(info?.keys.has("AUTHOR"), false);
    assert(
      info!.warnings.some((w) => w.startsWith(`${path} at offset ${offset}:`)),
      info!.warnings.join("|"),
    );
  });
});

Deno.test("readGitInfo reports a ref file holding garbage", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("garbageref", 1);
    const ref = join(dir, ".git", "refs", "heads", "main");
    await Deno.writeTextFile(ref, "not an object id\n");
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.size, 0);
    assert(info!.warnings[0].startsWith(ref), info!.warnings[0]);
  });
});

Deno.test("readGitInfo reads 64-bit offsets from a version 2 index", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("bigoffsets", 4);
    await f.git(dir, ["tag", "-a", "-m", "annotated", "v4"]);
    await f.git(dir, ["gc", "-q", "--prune=now"]);
    const packDir = join(dir, ".git", "objects", "pack");
    const pack = [...Deno.readDirSync(packDir)].find((e) => e.name.endsWith(".pack"))!.name;
    const idx = join(packDir, pack.replace(/\.pack$/, ".idx"));
    const before = (await Deno.stat(idx)).size;
    await Deno.remove(idx);
    // every object past offset 0x20 goes to the 64-bit offset table
    await f.git(dir, ["index-pack", "--index-version=2,0x20", join(packDir, pack)]);
    assert((await Deno.stat(idx)).size > before, "expected a 64-bit offset table");
    await assertMatchesGit(f, dir);
    await assertStoreMatchesGit(f, dir);
  });
});

Deno.test("readGitInfo skips a corrupt pack index with a warning", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("corruptidx", 2);
    await f.git(dir, ["gc", "-q", "--prune=now"]);
    const packDir = join(dir, ".git", "objects", "pack");
    const idx = [...Deno.readDirSync(packDir)].find((e) => e.name.endsWith(".idx"))!.name;
    const path = join(packDir, idx);
    await Deno.chmod(path, 0o644);
    await Deno.writeFile(path, new Uint8Array([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2, 9]));
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.has("COMMIT_ID"), true);
    assert(info!.warnings.some((w) => w.includes(path)), info!.warnings.join("|"));
  });
});

Deno.test("readGitInfo reports a broken .git file as a warning", async () => {
  await withFixture(async (f) => {
    const dir = join(f.root, "brokenlink");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, ".git"), "gitdir: ../does-not-exist\n");
    const info = await readGitInfo(dir);
    assertStrictEquals(info?.keys.size, 0);
    assert(info!.warnings[0].includes(join(dir, ".git")));
  });
});

Deno.test("GitCollector reads a repository once for many artifacts", async () => {
  await withFixture(async (f) => {
    const dir = await f.repo("cached", 1);
    await Deno.mkdir(join(dir, "bin"));
    await Deno.writeTextFile(join(dir, "bin", "a"), "a");
    await Deno.writeTextFile(join(dir, "bin", "b"), "b");
    const other = await f.repo("other", 1);
    const git = new GitCollector();
    const [a, b] = await Promise.all([
      git.read(join(dir, "bin", "a")),
      git.read(join(dir, "bin", "b")),
    ]);
    assert(a !== undefined);
    assertStrictEquals(a, b);
    assertStrictEquals(await git.read(dir), a);
    const o = await git.read(other);
    assertNotStrictEquals(o, a);
    assertEquals((await git.repos()).map((r) => r.vcsDir), [dir, other]);
    const twins = runTimeGitKeys(a);
    assertStrictEquals(twins.get("_COMMIT_ID"), a.keys.get("COMMIT_ID"));
    assertStrictEquals(twins.has("_VCS_DIR_WHEN_CHALKED"), false);
  });
});
