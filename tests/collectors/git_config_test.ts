/**
 * parseGitConfig / selectOrigin / stripUrlCredentials. Values are checked
 * against `git config --file <f> --get` on the same text.
 */
import { assertEquals, assertStrictEquals, assertThrows } from "../_assert.ts";
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
      assertStrictEquals(
        configValues(entries, section, sub, key).at(-1),
        await gitGet(file, gitKey),
        gitKey,
      );
    }
    assertEquals(configValues(entries, "core", undefined, "logallrefupdates"), ["true"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseGitConfig throws a GitReadError naming file and line", () => {
  assertThrows(
    () => parseGitConfig('[core]\n\tbare = false\n[remote "x\n', "/r/.git/config"),
    (e: unknown) => e instanceof GitReadError && /\/r\/\.git\/config: line 3/.test(e.message),
  );
  assertThrows(() => parseGitConfig("key = value\n", "c"), GitReadError);
  assertThrows(() => parseGitConfig('[a]\n\tk = "open\n', "c"), /line 2/);
});

Deno.test("selectOrigin prefers the branch remote, then origin, then the first remote, then local", () => {
  const conf = parseGitConfig(
    '[remote "zeta"]\n\turl = z\n[remote "origin"]\n\turl = o\n[remote "up"]\n\turl = u\n' +
      '[branch "main"]\n\tremote = up\n[branch "dev"]\n\tremote = gone\n',
  );
  assertStrictEquals(selectOrigin(conf, "main"), "u");
  assertStrictEquals(selectOrigin(conf, "dev"), "o");
  assertStrictEquals(selectOrigin(conf, undefined), "o");
  assertStrictEquals(
    selectOrigin(parseGitConfig('[remote "zeta"]\n\turl = z\n[remote "b"]\n\turl = b\n'), "x"),
    "z",
  );
  assertStrictEquals(selectOrigin(parseGitConfig("[core]\n\tbare = false\n"), "main"), "local");
  assertStrictEquals(selectOrigin([], undefined), "local");
});

Deno.test("stripUrlCredentials drops a password from other schemes' URLs, keeping the user", () => {
  assertStrictEquals(stripUrlCredentials("ssh://git:t0ken@host/r.git"), "ssh://git@host/r.git");
  assertStrictEquals(stripUrlCredentials("SSH://git:p@ss@host:22/r"), "SSH://git@host:22/r");
  assertStrictEquals(stripUrlCredentials("ftps://u:t0ken@host/r.git"), "ftps://u@host/r.git");
  assertStrictEquals(stripUrlCredentials("git+https://u:t0ken@h/r"), "git+https://u@h/r");
  assertStrictEquals(stripUrlCredentials("ssh://host/r:x@y"), "ssh://host/r:x@y");
  assertStrictEquals(stripUrlCredentials("/srv/git/r.git"), "/srv/git/r.git");
});

Deno.test("stripUrlCredentials removes user and password from http(s) URLs only", () => {
  assertStrictEquals(
    stripUrlCredentials("https://u:p@github.com/o/r.git"),
    "https://github.com/o/r.git",
  );
  assertStrictEquals(stripUrlCredentials("HTTP://token@host:8080/r"), "HTTP://host:8080/r");
  assertStrictEquals(stripUrlCredentials("https://a@b:c@host/r@x"), "https://host/r@x");
  assertStrictEquals(stripUrlCredentials("https://host/path@x"), "https://host/path@x");
  assertStrictEquals(stripUrlCredentials("ssh://git@host/r.git"), "ssh://git@host/r.git");
  assertStrictEquals(stripUrlCredentials("git@github.com:o/r.git"), "git@github.com:o/r.git");
});
