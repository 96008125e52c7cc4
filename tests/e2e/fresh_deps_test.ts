/**
 * What the first `deno task chalk ...` on a fresh machine downloads: the npm packages chalk
 * imports and their dependencies, never the server's (postgres) or the tests' (s3rver and its
 * ~110 packages live in tests/sinks/s3rver/, a project with its own lock file). Deno installs
 * every npm package of the lock file it runs with, so `deno task chalk` runs with `chalk.lock`
 * (`deno task chalk-lock` writes it from chalk's entry points), which must hold no more than
 * that; the root deno.lock also pins what the server and the tests import.
 */
import { assert, assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { ROOT, run } from "./_chalk.ts";

interface Lock {
  specifiers: Record<string, string>;
  npm: Record<string, { dependencies?: string[] }>;
  workspace: { dependencies: string[] };
}

function readJson<T>(path: string): T {
  return JSON.parse(Deno.readTextFileSync(path)) as T;
}

/** Package names (no versions) chalk.lock holds, and those reachable from the import map. */
function productClosure(): { names: Set<string>; locked: Set<string> } {
  const config = readJson<{ imports: Record<string, string> }>(join(ROOT, "deno.json"));
  const lock = readJson<Lock>(join(ROOT, "chalk.lock"));
  const nameOf = (id: string) => id.replace(/^(@?[^@]+)@.*$/, "$1");
  const todo = Object.values(config.imports).filter((s) => s.startsWith("npm:"))
    .map((s) => `${nameOf(s.slice(4))}@${lock.specifiers[s]}`);
  const seen = new Set<string>();
  while (todo.length > 0) {
    const id = todo.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    assert(lock.npm[id] !== undefined, `${id} is not in deno.lock`);
    for (const dep of lock.npm[id].dependencies ?? []) {
      todo.push(dep.includes("@", 1) ? dep : `${dep}@${findVersion(lock, dep)}`);
    }
  }
  return {
    names: new Set([...seen].map(nameOf)),
    locked: new Set(Object.keys(lock.npm).map(nameOf)),
  };
}

function findVersion(lock: Lock, name: string): string {
  const ids = Object.keys(lock.npm).filter((id) => id.startsWith(`${name}@`));
  assert(ids.length === 1, `${name}: ${ids.join(", ")}`);
  return ids[0].slice(name.length + 1);
}

Deno.test("chalk.lock holds only the npm packages chalk imports and their dependencies", () => {
  const { names, locked } = productClosure();
  assertEquals([...locked].sort(), [...names].sort());
  for (const name of ["commander", "moo", "nearley", "aws4fetch"]) assert(names.has(name), name);
  for (const name of ["s3rver", "koa", "postgres"]) {
    assert(!locked.has(name), `${name} is in chalk.lock`);
  }
  // The same versions as the root lock file, which pins everything the repository imports.
  const root = readJson<Lock>(join(ROOT, "deno.lock"));
  for (const id of Object.keys(readJson<Lock>(join(ROOT, "chalk.lock")).npm)) {
    assert(root.npm[id] !== undefined, `${id} of chalk.lock is not in deno.lock`);
  }
});

Deno.test({
  name: "a fresh DENO_DIR: deno task chalk insert downloads chalk's npm packages only",
  sanitizeResources: false,
  fn: async () => {
    const denoDir = await Deno.makeTempDir({ prefix: "chalk-fresh-deno-dir-" });
    try {
      const work = await Deno.makeTempDir({ dir: denoDir });
      await Deno.copyFile("/bin/true", join(work, "app"));
      // The README's run command; `insert` loads the configuration and every collector.
      const args = ["task", "chalk", "--skip-summary-report", "--no-use-report-cache", "insert"];
      const r = await run(Deno.execPath(), [...args, join(work, "app")], {
        cwd: ROOT,
        // The machine's environment (registry certificates, proxies), with an empty cache.
        env: { ...Deno.env.toObject(), DENO_DIR: denoDir },
      });
      assertEquals(r.code, 0, r.stderr);
      const downloaded = [...Deno.readDirSync(join(denoDir, "npm", "registry.npmjs.org"))]
        .map((e) => e.name).sort();
      assertEquals(downloaded, [...productClosure().names].sort());
    } finally {
      await Deno.remove(denoDir, { recursive: true });
    }
  },
});
