/**
 * Streaming changed how artifacts are read and written, never what chalk
 * writes (docs/codecs.md): the chalk built from the last version that read
 * artifacts whole (commit BASELINE) and this one insert, re-insert, extract
 * and delete the same fixtures, and every file, HASH, CHALK_ID,
 * PRE_CHALK_HASH, METADATA_ID and _CURRENT_HASH must be byte-identical.
 * Marks use the `reproducable` template, so that the runs' marks have no
 * reason to differ (no time, no random value). This chalk runs twice: with
 * libcrypto's SHA-256 where it opens, and with `node:crypto`'s
 * (`CHALK_TS_NO_LIBCRYPTO=1`).
 */
import { assert, assertEquals } from "../_assert.ts";
import { basename, join } from "node:path";
import { CHALK, must, ROOT, run, type Sandbox, sandbox, sha256sum } from "./_chalk.ts";

/** The last commit whose chalk read every artifact whole. */
const BASELINE = "ffbfe04e8919e54cae3a60f094dd8a29883e7e05";
const COMPARED = [
  "HASH",
  "CHALK_ID",
  "PRE_CHALK_HASH",
  "METADATA_ID",
  "_CURRENT_HASH",
  "_VALIDATED_METADATA",
  "ARTIFACT_TYPE",
  "_OP_ARTIFACT_TYPE",
];

type Json = Record<string, unknown>;

/** dist/chalk as BASELINE built it, or the reason it cannot be had here. */
async function baselineChalk(dir: string): Promise<string> {
  const archive = join(dir, "baseline.tar");
  const git = await run("git", ["-C", ROOT, "archive", "-o", archive, BASELINE]);
  if (git.code !== 0) throw new Error(`SKIP: commit ${BASELINE} is not in this checkout`);
  const src = join(dir, "baseline");
  await Deno.mkdir(src);
  await must("tar", ["-xf", archive, "-C", src]);
  const build = await run(Deno.execPath(), ["run", "-A", join(src, "scripts/build.ts")]);
  if (build.code !== 0) {
    throw new Error(`SKIP: commit ${BASELINE} does not build here: ${build.stderr.trim()}`);
  }
  return join(src, "dist/chalk");
}

async function compile(dir: string, name: string, source: string, flags: string[] = []) {
  const out = join(dir, name);
  const r = await run("cc", [...flags, "-O1", "-o", out, source]);
  return r.code === 0 ? out : undefined;
}

/** Every kind of artifact the codecs handle, in the shapes that take different paths. */
async function fixtures(dir: string): Promise<void> {
  const c = join(dir, "src.c");
  await compile(dir, "dynamic", join(ROOT, "fixtures/e2e/lswrapper.c"));
  await compile(dir, "static", join(ROOT, "fixtures/codecs/hello.c"), ["-static"]);
  await compile(dir, "shared.so", join(ROOT, "fixtures/codecs/hello.c"), ["-shared", "-fPIC"]);
  // Large enough for the kernel copy and for hashing the new content in the first pass.
  await Deno.writeTextFile(
    c,
    "static volatile const char blob[3 << 20] = {1};\nint main(void) { return blob[0] - 1; }\n",
  );
  await compile(dir, "big", c);
  // Mostly zeros: a sparse copy of it is written with holes.
  await Deno.writeTextFile(
    c,
    "static volatile const char blob[8 << 20] = {0};\nint main(void) { return blob[1]; }\n",
  );
  const zeros = await compile(dir, "zeros.full", c);
  if (zeros) {
    await must("cp", ["--sparse=always", zeros, join(dir, "sparse")]);
    await Deno.remove(zeros);
  }
  const reader = await compile(dir, "trailing", join(ROOT, "fixtures/e2e/self_reader.c"));
  if (reader) {
    const body = new TextEncoder().encode("y".repeat(5000));
    const tail = new Uint8Array(body.length + 16);
    tail.set(body);
    tail.set(new TextEncoder().encode("CHALKTST"), body.length);
    new DataView(tail.buffer).setBigUint64(body.length + 8, BigInt(body.length), true);
    await Deno.writeFile(reader, tail, { append: true });
  }
  await Deno.remove(c);
  for (const go of ["/usr/local/bin/docker", "/usr/bin/docker"]) {
    try {
      await Deno.copyFile(go, join(dir, "go-binary"));
      break;
    } catch { /* not there */ }
  }
  const script = (name: string, text: string) =>
    Deno.writeTextFile(join(dir, name), text, { mode: 0o755 });
  await script("newline.sh", "#!/bin/sh\necho hi\n");
  await script("no-newline.sh", "#!/bin/sh\necho hi");
  await script("tool.js", "#!/usr/bin/env node\nconsole.log(1);\n");
  await script("tool.py", "#!/usr/bin/env python3\nprint(1)\n");
  await script("long.sh", `#!/bin/sh\n${"echo a line of a long script\n".repeat(60_000)}`);
  await script("blocks.sh", `#!/bin/sh\n${"# padding to cross a 64 KiB block\n".repeat(3000)}`);
  // Either side of ops/hash_pass.ts's ONE_SHOT_FROM (8 KiB) and ONE_SHOT_UNTIL (1 MiB), marked:
  // plans hashed whole by WebCrypto below 1 MiB, streamed from it.
  for (const [name, size] of [["edge-8k.sh", 8200], ["edge-1m.sh", (1 << 20) - 300]] as const) {
    await script(name, `#!/bin/sh\n${"#".repeat(size - 11)}\n`);
  }
  // After the first insert, MAGIC straddles the first 64 KiB block boundary (65528 + 16 bytes).
  const body = "#!/bin/sh\n";
  await script("straddle.sh", body + "#".repeat(65513 - body.length - 1) + "\n");
  const placeholder = ["{", ' "MAGIC" : "dadfedabb', 'adabbed" }'].join("");
  await script("placeholder.sh", `#!/bin/sh\n# ${placeholder}\necho after\n`);
}

/** The artifacts of the last report in chalk.log (or of stdout's summary), by file name. */
async function lastReport(box: Sandbox, stdout?: string): Promise<Map<string, Json>> {
  const log = (await Deno.readTextFile(join(box.home, ".local/chalk/chalk.log"))).trimEnd();
  const reports = [JSON.parse(log.split("\n").at(-1)!)[0] as Json];
  if (stdout) reports.push(JSON.parse(stdout)[0] as Json);
  const out = new Map<string, Json>();
  for (const report of reports) {
    for (const chalk of (report._CHALKS ?? []) as Json[]) {
      const path = String(chalk._OP_ARTIFACT_PATH ?? chalk.PATH_WHEN_CHALKED);
      out.set(basename(path), { ...out.get(basename(path)), ...chalk });
    }
  }
  return out;
}

async function sameFiles(a: string, b: string, step: string): Promise<number> {
  let n = 0;
  for await (const entry of Deno.readDir(a)) {
    if (!entry.isFile || entry.name.endsWith(".c4m")) continue;
    assertEquals(
      await sha256sum(join(b, entry.name)),
      await sha256sum(join(a, entry.name)),
      `${entry.name} after ${step}`,
    );
    n++;
  }
  return n;
}

Deno.test("streaming insert, extract and delete write and report exactly what whole-file chalk did", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "chalk-identity-" });
  const old = await sandbox();
  const now = await sandbox();
  const noLib = await sandbox();
  const boxes = [old, now, noLib];
  const label = (box: Sandbox) =>
    box === old ? "baseline" : box === now ? "streaming" : "streaming, node:crypto";
  try {
    let baseline: string;
    try {
      baseline = await baselineChalk(tmp);
    } catch (e) {
      if (!(e as Error).message.startsWith("SKIP")) throw e;
      console.log(`SKIPPED: ${(e as Error).message.slice(6)}`);
      return;
    }
    const pristine = join(tmp, "fixtures");
    await Deno.mkdir(pristine);
    await fixtures(pristine);
    const config = 'outconf.insert.mark_template: "reproducable"\n';
    for (const box of boxes) {
      await must("cp", ["-a", "--sparse=always", `${pristine}/.`, box.work]);
      await Deno.writeTextFile(join(box.work, "stable.c4m"), config);
    }
    const chalkOf = (box: Sandbox) => box === old ? baseline : CHALK;
    const steps = [["insert"], ["insert"], ["extract"], ["delete"], ["insert"], ["extract"]];
    for (const [op] of steps) {
      const results = new Map<Sandbox, Map<string, Json>>();
      for (const box of boxes) {
        const env = box === noLib ? { ...box.env, CHALK_TS_NO_LIBCRYPTO: "1" } : box.env;
        const r = await run(chalkOf(box), ["--config-file", "stable.c4m", op, "."], {
          cwd: box.work,
          env,
        });
        assertEquals(r.code, 0, `${op} (${label(box)}): ${r.stderr}`);
        results.set(box, await lastReport(box, op === "insert" ? r.stdout : undefined));
      }
      const before = results.get(old)!;
      for (const box of [now, noLib]) {
        const files = await sameFiles(old.work, box.work, `${op} (${label(box)})`);
        assert(files >= 10, `only ${files} fixtures were built`);
        const after = results.get(box)!;
        assertEquals([...after.keys()].sort(), [...before.keys()].sort(), `artifacts of ${op}`);
        let compared = 0;
        for (const [name, chalk] of before) {
          for (const key of COMPARED) {
            assertEquals(
              after.get(name)![key],
              chalk[key],
              `${key} of ${name} after ${op} (${label(box)})`,
            );
            if (chalk[key] !== undefined) compared++;
          }
          assert(/^[0-9a-f]{64}$/.test(String(chalk._CURRENT_HASH)), `${name}: _CURRENT_HASH`);
        }
        assert(compared >= 3 * before.size, `${op}: only ${compared} values compared`);
      }
    }
  } finally {
    for (const box of boxes) await box.cleanup();
    await Deno.remove(tmp, { recursive: true });
  }
});
