/** sinksInUse: which sink configurations a configuration delivers to. */

import * as path from "node:path";
import { assertEquals } from "../_assert.ts";
import { REPORTED_OPERATIONS } from "../../config/sink_use.ts";
import { REPO_ROOT } from "../_shared.ts";

async function* sources(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = path.join(dir, e.name);
    if (e.isDirectory) yield* sources(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

Deno.test("REPORTED_OPERATIONS names every operation chalk-ts publishes reports for", async () => {
  const published = new Set<string>();
  for (const room of ["ops", "docker", "exec"]) {
    for await (const file of sources(path.join(REPO_ROOT, room))) {
      const text = await Deno.readTextFile(file);
      for (const m of text.matchAll(/publishReports\(\s*ctx,\s*"([a-z]+)"/g)) published.add(m[1]);
      // ops/load.ts passes the operation of a self rewrite.
      for (const m of text.matchAll(/operation: "([a-z]+)"/g)) published.add(m[1]);
    }
  }
  assertEquals([...published].sort(), [...REPORTED_OPERATIONS].sort());
});
