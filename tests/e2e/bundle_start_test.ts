/**
 * The built program starts as JavaScript. Its file has no extension, and
 * without `--ext=js` Deno treats it as TypeScript: every start hashes the
 * 0.8 MB bundle, and reads back a 2.9 MB transpiled copy from `$DENO_DIR/gen`
 * (~40 ms of a ~150 ms start-up). Run directly (its shebang) and the way
 * chalk re-runs itself (the exec reporter), it must leave no such copy.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { CHALK, run, sandbox } from "./_chalk.ts";
import { selfCommand } from "../../exec/reporter_launch.ts";

async function emittedFiles(denoDir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) await walk(p);
      else found.push(p);
    }
  };
  await walk(join(denoDir, "gen")).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  return found;
}

Deno.test("the bundle starts as JavaScript: no transpiled copy in DENO_DIR", async () => {
  const box = await sandbox();
  try {
    const chalk = join(box.work, "chalk");
    await Deno.copyFile(CHALK, chalk);
    await Deno.chmod(chalk, 0o755);
    const denoDir = join(box.work, "deno-dir");
    const env = { ...box.env, DENO_DIR: denoDir };

    const direct = await run(chalk, ["version"], { env });
    assertEquals(direct.code, 0, direct.stderr);
    const [cmd, ...args] = selfCommand({}, { path: chalk, kind: "bundle" });
    assert(args.includes("--ext=js"), `the reporter re-runs the bundle as JS: ${args.join(" ")}`);
    const rerun = await run(cmd, [...args, "version"], { env });
    assertEquals(rerun.code, 0, rerun.stderr);

    assertEquals(await emittedFiles(denoDir), []);
  } finally {
    await box.cleanup();
  }
});
