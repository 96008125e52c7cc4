/**
 * The bundle loads a node built-in at its first use, not when a module that
 * imports it initialises (scripts/build.ts, BUILTIN_SHIM): node:https,
 * node:zlib, node:child_process and node:fs/promises cost 5 to 13 ms each to
 * load, and `chalk extract` of a folder without artifacts uses none of them.
 * The bundle runs under a harness that records process.getBuiltinModule.
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, run, sandbox } from "./_chalk.ts";

const HARNESS = `
import process from "node:process";
const seen = [];
const load = process.getBuiltinModule.bind(process);
process.getBuiltinModule = (id) => (seen.push(id), load(id));
globalThis.addEventListener("unload", () => Deno.writeTextFileSync(Deno.env.get("SEEN_FILE"), JSON.stringify(seen)));
await import(Deno.env.get("CHALK_URL"));
`;

async function builtinsLoadedBy(args: string[]): Promise<Set<string>> {
  const sb = await sandbox();
  try {
    const harness = join(sb.work, "harness.mjs");
    const seenFile = join(sb.work, "seen.json");
    await Deno.writeTextFile(harness, HARNESS);
    await Deno.mkdir(join(sb.work, "empty"));
    await Deno.copyFile("/bin/true", join(sb.work, "true"));
    const marked = await sb.chalk(["insert", "true"]);
    assertEquals(marked.code, 0, marked.stderr);
    const env = { ...sb.env, SEEN_FILE: seenFile, CHALK_URL: pathToFileURL(CHALK).href };
    const r = await run(Deno.execPath(), ["run", "-A", harness, ...args], { cwd: sb.work, env });
    assertEquals(r.code, 0, r.stderr);
    return new Set(JSON.parse(await Deno.readTextFile(seenFile)));
  } finally {
    await sb.cleanup();
  }
}

Deno.test("the bundle loads node built-ins at first use: extract of an empty folder loads few", async () => {
  const empty = await builtinsLoadedBy(["extract", "empty"]);
  for (const heavy of ["node:https", "node:zlib", "node:child_process", "node:fs/promises"]) {
    assert(!empty.has(heavy), `${heavy} loaded: ${[...empty].join(", ")}`);
  }
  // Control: the harness sees loads, and checking a marked artifact's HASH loads node:crypto on demand.
  assert(!empty.has("node:crypto"), `node:crypto loaded: ${[...empty].join(", ")}`);
  const elf = await builtinsLoadedBy(["extract", "true"]);
  assert(elf.has("node:crypto"), `node:crypto not loaded: ${[...elf].join(", ")}`);
});
