/**
 * scripts/release.sh, the commands of .github/workflows/release.yml, run here for the bundle
 * (`--bundle-only`: compiling for the four targets downloads their Deno runtimes). The
 * bundle runs, SHA256SUMS verifies with sha256sum, the notes list the assets; and
 * `deno publish --dry-run` accepts the package metadata.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { ROOT, run } from "../e2e/_chalk.ts";
import { buildRelease } from "./_release.ts";

const VERSION = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).version as string;

Deno.test("scripts/release.sh --bundle-only: bundle, SHA256SUMS that sha256sum verifies, notes", async () => {
  const out = await buildRelease();
  try {
    const files = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assertEquals(files, ["RELEASE_NOTES.md", "SHA256SUMS", `chalk-${VERSION}-bundle.js`]);
    const check = await run("sha256sum", ["-c", "SHA256SUMS"], { cwd: out });
    assertEquals(check.code, 0, check.stderr);
    assertEquals(check.stdout.trim(), `chalk-${VERSION}-bundle.js: OK`);
    const bundle = join(out, `chalk-${VERSION}-bundle.js`);
    assertEquals((await Deno.stat(bundle)).mode! & 0o111, 0o111);
    const version = await run(bundle, ["version"]);
    assertEquals(version.code, 0, version.stderr);
    assertMatch(version.stdout, new RegExp(`Chalk Version +${VERSION.replaceAll(".", "\\.")}`));
    const notes = await Deno.readTextFile(join(out, "RELEASE_NOTES.md"));
    assertMatch(notes, new RegExp(`^# chalk-ts ${VERSION.replaceAll(".", "\\.")}\n`));
    assert(notes.includes(await Deno.readTextFile(join(out, "SHA256SUMS"))), notes);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("scripts/release.sh refuses a tag that does not match deno.json's version", async () => {
  const r = await run("bash", ["scripts/release.sh", "--out", "/nonexistent", "--bundle-only"], {
    cwd: ROOT,
    env: {
      PATH: Deno.env.get("PATH")!,
      HOME: Deno.env.get("HOME") ?? "/root",
      GITHUB_REF_TYPE: "tag",
      GITHUB_REF_NAME: "v999.0.0",
    },
  });
  assertEquals(r.code, 1);
  assertMatch(r.stderr, /tag v999\.0\.0 does not match deno\.json version/);
});

Deno.test("deno publish --dry-run accepts the package (name, version, exports, license)", async () => {
  const r = await run(Deno.execPath(), ["publish", "--dry-run", "--allow-dirty"], { cwd: ROOT });
  assertEquals(r.code, 0, r.stderr);
  assertMatch(r.stdout + r.stderr, /Dry run complete/);
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  assertEquals(config.license, "Apache-2.0");
  assertMatch(await Deno.readTextFile(join(ROOT, "LICENSE")), /Apache License\s+Version 2\.0/);
});
