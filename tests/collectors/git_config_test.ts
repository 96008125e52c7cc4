/**
 * parseGitConfig / selectOrigin / stripUrlCredentials. Values are checked
 * against `git config --file <f> --get` on the same text.
 */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import {
  configValues,
  parseGitConfig,
  selectOrigin,
  stripUrlCredentials,
} from "../../collectors/git_config.ts";
import { GitReadError } from "../../collectors/git_error.ts";

const TRICKY = [
  "# leading comment",
  "; another",
  "[core]",
  "\trepositoryformatversion = 0",
  "\tbare = false ; trailing comment",
  "\tlogallrefupdates",
  '[remote "origin"]',
  '\turl = "https://host/a b.git" # quoted, with a space',
  "\tfetch = +refs/heads/*:refs/remotes/origin/*",
  '[remote "we\\"ird"]',
  "\turl = ssh://git@host/weird.git",
  '[Branch "Feature/X"]',
  '\tRemote = we"ird"',
  "[alias]",
  "\tlong = log \\",
  '\t  --oneline  "  kept  " \\t tab\\n',
  "[section.sub]",
  "\tkey = old style",
  "[core] editor = vim",
  "",
].join("\n");

async function gitGet(file: string, key: string): Promise<string> {
  const out = await new Deno.Command("git", {
    args: ["config", "--file", file, "--get", key],
    clearEnv: true,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", GIT_CONFIG_NOSYSTEM: "1" },
    stdout: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  return text.endsWith("\n") ? text.slice(0, -1) : text;
}

Deno.test("parseGitConfig agrees with git config --get on quotes, comments and continuations", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "config");
    await Deno.writeTextFile(file, TRICKY);
    const entries = parseGitConfig(TRICKY, file);
    const cases: [string, string | undefined, string][] = [
      ["core", undefined, "bare"],
      ["core", undefined, "repositoryformatversion"],
      ["remote", "origin", "url"],
      ["remote", "origin", "fetch"],
      ["remote", 'we"ird', "url"],
      ["branch", "Feature/X", "remote"],
      ["alias", undefined, "long"],
      ["section", "sub", "key"],
      ["core", undefined, "editor"],
    ];
    for (const [section, sub, key] of cases) {
      const gitKey = sub === undefined ? `${section}.${key}` : `${section}.${sub}.${key}`;
      assert.equal(
        configValues(entries, section, sub, key).at(-1),
        await gitGet(file, gitKey),
        gitKey,
      );
    }
    assert.deepEqual(configValues(entries, "core", undefined, "logallrefupdates"), ["true"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseGitConfig throws a GitReadError naming file and line", () => {
  assert.throws(
    () => parseGitConfig('[core]\n\tbare = false\n[remote "x\n', "/r/.git/config"),
    (e: unknown) => e instanceof GitReadError && /\/r\/\.git\/config: line 3/.test(e.message),
  );
  assert.throws(() => parseGitConfig("key = value\n", "c"), GitReadError);
  assert.throws(() => parseGitConfig('[a]\n\tk = "open\n', "c"), /line 2/);
});

Deno.test("selectOrigin prefers the branch remote, then origin, then the first remote, then local", () => {
  const conf = parseGitConfig(
    '[remote "zeta"]\n\turl = z\n[remote "origin"]\n\turl = o\n[remote "up"]\n\turl = u\n' +
      '[branch "main"]\n\tremote = up\n[branch "dev"]\n\tremote = gone\n',
  );
  assert.equal(selectOrigin(conf, "main"), "u");
  assert.equal(selectOrigin(conf, "dev"), "o");
  assert.equal(selectOrigin(conf, undefined), "o");
  assert.equal(
    selectOrigin(parseGitConfig('[remote "zeta"]\n\turl = z\n[remote "b"]\n\turl = b\n'), "x"),
    "z",
  );
  assert.equal(selectOrigin(parseGitConfig("[core]\n\tbare = false\n"), "main"), "local");
  assert.equal(selectOrigin([], undefined), "local");
});

Deno.test("stripUrlCredentials removes user and password from http(s) URLs only", () => {
  assert.equal(stripUrlCredentials("https://u:p@github.com/o/r.git"), "https://github.com/o/r.git");
  assert.equal(stripUrlCredentials("HTTP://token@host:8080/r"), "HTTP://host:8080/r");
  assert.equal(stripUrlCredentials("https://a@b:c@host/r@x"), "https://host/r@x");
  assert.equal(stripUrlCredentials("https://host/path@x"), "https://host/path@x");
  assert.equal(stripUrlCredentials("ssh://git@host/r.git"), "ssh://git@host/r.git");
  assert.equal(stripUrlCredentials("git@github.com:o/r.git"), "git@github.com:o/r.git");
});
