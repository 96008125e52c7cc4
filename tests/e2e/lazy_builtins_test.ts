/**
 * The bundle loads a node built-in at its first use, not when a module that
 * imports it initialises (scripts/build.ts, BUILTIN_SHIM): node:https,
 * node:zlib, node:child_process and node:fs/promises cost 5 to 13 ms each to
 * load, and `chalk extract` of a folder without artifacts uses none of them.
 * Nor do commands on small artifacts load node:crypto (internal/sha256.ts),
 * nor on large ones where libcrypto can be opened (internal/sha256_native.ts).
 * The bundle runs under a harness that records process.getBuiltinModule.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals } from "../_assert.ts";
import { bigProgram, CHALK, gitCommitAll, run, type Sandbox, sandbox } from "./_chalk.ts";
import { hasNativeSha256 } from "../../internal/sha256_native.ts";

const HARNESS = `
import process from "node:process";
const seen = [];
const load = process.getBuiltinModule.bind(process);
process.getBuiltinModule = (id) => (seen.push(id), load(id));
globalThis.addEventListener("unload", () => Deno.writeTextFileSync(Deno.env.get("SEEN_FILE"), JSON.stringify(seen)));
await import(Deno.env.get("CHALK_URL"));
`;

/** A marked copy of /bin/true in the sandbox's work folder, as `true`. */
async function markedTrue(sb: Sandbox): Promise<void> {
  await Deno.copyFile("/bin/true", join(sb.work, "true"));
  const marked = await sb.chalk(["insert", "true"]);
  assertEquals(marked.code, 0, marked.stderr);
}

/** The node built-ins `chalk <args>` loads, run in a sandbox's work folder that `prepare` filled. */
async function builtinsLoadedBy(
  args: string[],
  prepare: (sb: Sandbox) => Promise<void> = markedTrue,
  extraEnv: Record<string, string> = {},
): Promise<Set<string>> {
  const sb = await sandbox();
  try {
    const harness = join(sb.work, "harness.mjs");
    const seenFile = join(sb.work, "seen.json");
    await Deno.writeTextFile(harness, HARNESS);
    await Deno.mkdir(join(sb.work, "empty"));
    await prepare(sb);
    const env = {
      ...sb.env,
      ...extraEnv,
      SEEN_FILE: seenFile,
      CHALK_URL: pathToFileURL(CHALK).href,
    };
    const r = await run(Deno.execPath(), ["run", "-A", harness, ...args], { cwd: sb.work, env });
    assertEquals(r.code, 0, r.stderr);
    return new Set(JSON.parse(await Deno.readTextFile(seenFile)));
  } finally {
    await sb.cleanup();
  }
}

const list = (seen: Set<string>) => [...seen].join(", ") || "none";

Deno.test("the bundle loads node built-ins at first use: extract of an empty folder loads few", async () => {
  const empty = await builtinsLoadedBy(["extract", "empty"]);
  for (const heavy of ["node:https", "node:zlib", "node:child_process", "node:fs/promises"]) {
    assert(!empty.has(heavy), `${heavy} loaded: ${list(empty)}`);
  }
  assert(!empty.has("node:crypto"), `node:crypto loaded: ${list(empty)}`);
});

Deno.test("small artifacts hash without node:crypto (internal/sha256.ts): insert, extract, delete", async () => {
  for (const command of ["insert", "extract", "delete"]) {
    // insert gets an unmarked copy; extract and delete a marked one (HASH checked, mark removed).
    const prepare = command === "insert"
      ? (sb: Sandbox) => Deno.copyFile("/bin/true", join(sb.work, "true"))
      : markedTrue;
    const seen = await builtinsLoadedBy([command, "true"], prepare);
    assert(!seen.has("node:crypto"), `${command}: node:crypto loaded: ${list(seen)}`);
  }
});

Deno.test("large artifacts: libcrypto where it opens, else node:crypto on demand (the control)", async () => {
  if ((await run("sh", ["-c", "command -v cc"])).code !== 0) {
    console.log("skipped: no C compiler (cc) to build an ELF above JS_SHA256_LIMIT");
    return;
  }
  // 2 MB of data: above internal/sha256.ts's JS_SHA256_LIMIT (1 MiB).
  const prepare = async (sb: Sandbox) => {
    await bigProgram(sb.work, "big", 2);
    const marked = await sb.chalk(["insert", "big"]);
    assertEquals(marked.code, 0, marked.stderr);
  };
  const withoutLib = await builtinsLoadedBy(["extract", "big"], prepare, {
    CHALK_TS_NO_LIBCRYPTO: "1",
  });
  assert(withoutLib.has("node:crypto"), `node:crypto not loaded: ${list(withoutLib)}`);
  if (!hasNativeSha256()) {
    console.log("skipped the libcrypto half: no libcrypto to open here");
    return;
  }
  const withLib = await builtinsLoadedBy(["extract", "big"], prepare);
  assert(!withLib.has("node:crypto"), `node:crypto loaded: ${list(withLib)}`);
});

Deno.test("inside a git repository (loose and packed objects), insert loads no node built-in", async () => {
  for (const packed of [false, true]) {
    const prepare = async (sb: Sandbox) => {
      await Deno.writeTextFile(join(sb.work, "hello.sh"), "#!/bin/sh\necho hello\n", {
        mode: 0o755,
      });
      await gitCommitAll(sb.work, sb.env);
      if (packed) assertEquals((await run("git", ["gc", "-q"], { cwd: sb.work })).code, 0);
    };
    const seen = await builtinsLoadedBy(["insert", "hello.sh"], prepare);
    // The git reader inflates objects itself (internal/zlib_inflate.ts): node:zlib would start
    // Deno's node layer (~30 ms) for a commit of a few hundred bytes.
    assertEquals(list(seen), "none", packed ? "packed objects" : "loose objects");
  }
});
