/**
 * `deno task chalk ...` as a new user types it: Deno runs the task in the
 * folder of chalk-ts's deno.json, so chalk must act on the caller's folder
 * (INIT_CWD), and a bare `insert` typed in the checkout must never mark the
 * checkout itself. The tasks run on a throwaway copy of the checkout, so a
 * failure cannot mark the real one.
 */
import { join } from "node:path";
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { ROOT, run, type Sandbox, sandbox } from "./_chalk.ts";
import { RANKS } from "../../scripts/check_layers.ts";

/** The program's rooms (the layer check lists them all) and what `deno task` needs. */
const SOURCES = [
  ...Object.keys(RANKS).filter((room) => room !== "mod.ts"),
  "mod.ts",
  "deno.json",
  "deno.lock",
  "chalk.lock",
];

async function copyCheckout(to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  const cp = await run("cp", ["-R", ...SOURCES.map((s) => join(ROOT, s)), to]);
  assertEquals(cp.code, 0, cp.stderr);
}

function denoTask(sb: Sandbox, checkout: string, cwd: string, args: string[]) {
  return run(Deno.execPath(), ["task", "--config", join(checkout, "deno.json"), "chalk", ...args], {
    cwd,
    env: sb.env,
  });
}

/** Every file under `dir` whose text holds a chalk mark. */
function markedFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...markedFiles(path));
    else if (e.isFile && Deno.readTextFileSync(path).includes("dadfedabbadabbed")) out.push(path);
  }
  return out;
}

Deno.test("deno task chalk acts on the caller's folder and never marks the checkout", async () => {
  const sb = await sandbox();
  try {
    const checkout = join(sb.work, "chalk-ts");
    await copyCheckout(checkout);
    const before = markedFiles(checkout);
    const project = join(sb.work, "project", "sub");
    await Deno.mkdir(project, { recursive: true });
    await Deno.writeTextFile(join(project, "x.sh"), "#!/bin/sh\necho x\n", { mode: 0o755 });

    // From a sub-folder of a project: the project's file, by its relative name.
    const r = await denoTask(sb, checkout, project, ["insert", "x.sh"]);
    assertEquals(r.code, 0, r.stderr);
    const [summary] = JSON.parse(r.stdout.slice(r.stdout.indexOf("[")));
    assertEquals(summary._CHALKS.map((c: Record<string, unknown>) => c.PATH_WHEN_CHALKED), [
      join(project, "x.sh"),
    ]);
    assertMatch(await Deno.readTextFile(join(project, "x.sh")), /dadfedabbadabbed/);
    assertEquals(summary._ENV.PWD, project);

    // A bare insert typed in the checkout itself: refused, nothing marked.
    const bare = await denoTask(sb, checkout, checkout, ["insert"]);
    assertEquals(bare.code, 1, bare.stderr);
    assertMatch(bare.stderr, /is the source of this chalk \(run from source\)/);
    assertEquals(markedFiles(checkout), before);
    // Nor from a folder above it.
    const above = await denoTask(sb, checkout, sb.work, ["insert"]);
    assertEquals(above.code, 0, above.stderr);
    assertEquals(markedFiles(checkout), before);
    assert(markedFiles(join(sb.work, "project")).length === 1, "the project's file stays marked");
  } finally {
    await sb.cleanup();
  }
});
