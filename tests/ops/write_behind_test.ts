import { assert, assertEquals, assertRejects, assertThrows } from "../_assert.ts";
import { join } from "node:path";
import { WORKER_AFTER, WORKER_AHEAD, WORKER_EARLY, WriteBehind } from "../../ops/write_behind.ts";
import { FileIoError } from "../../ops/file_io_error.ts";

const encoder = new TextEncoder();

async function scripts(dir: string, n: number): Promise<string[]> {
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const path = join(dir, `s${i}.sh`);
    await Deno.writeTextFile(path, `#!/bin/sh\necho ${i}\n`, { mode: 0o644 });
    paths.push(path);
  }
  return paths;
}

function leftovers(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).filter((n) => n.includes(".chalk-"));
}

for (const [name, after] of [["on this thread", Infinity], ["on a worker", 0]] as const) {
  Deno.test(`WriteBehind replaces small files ${name}: content, mode, no temporary file`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "chalk-write-behind-" });
    const writer = new WriteBehind(after);
    try {
      const paths = await scripts(dir, 40);
      const modes = paths.map((_, i) => [0o755, 0o700, 0o640, 0o4755][i % 4]);
      const results = paths.map((target, i) =>
        writer.replace({
          target,
          content: encoder.encode(`new ${i}\n`),
          ownership: { mode: modes[i], uid: Deno.uid(), gid: Deno.gid() },
        })
      );
      // On a worker every answer comes later; on this thread every one is done at once.
      assertEquals(results.every((r) => r === undefined), after === Infinity);
      await Promise.all(results);
      for (const [i, path] of paths.entries()) {
        assertEquals(await Deno.readTextFile(path), `new ${i}\n`);
        assertEquals((await Deno.stat(path)).mode! & 0o7777, modes[i], path);
      }
      assertEquals(leftovers(dir), []);
    } finally {
      writer.close();
      await Deno.remove(dir, { recursive: true });
    }
  });

  Deno.test(`WriteBehind ${name}: a folder that is gone is one FileIoError naming the file`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "chalk-write-behind-" });
    const writer = new WriteBehind(after);
    try {
      const target = join(dir, "gone", "a.sh");
      const job = {
        target,
        content: encoder.encode("x"),
        ownership: { mode: 0o755, uid: null, gid: null },
      };
      const expected = (e: unknown) =>
        e instanceof FileIoError &&
        e.message === `${target}: cannot write: no such file or directory`;
      if (after === Infinity) {
        assertThrows(() => writer.replace(job), expected);
      } else {
        await assertRejects(() => writer.replace(job)!, expected);
        // The worker goes on after a failed job.
        const [ok] = await scripts(dir, 1);
        await writer.replace({ ...job, target: ok });
        assertEquals(await Deno.readTextFile(ok), "x");
      }
      assert(leftovers(dir).length === 0);
    } finally {
      writer.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("CHALK_TS_WRITE_BEHIND: off never starts a worker; worker starts one past WORKER_AFTER", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-write-behind-" });
  try {
    const paths = await scripts(dir, WORKER_AFTER + 8);
    for (const setting of ["off", "worker"]) {
      Deno.env.set("CHALK_TS_WRITE_BEHIND", setting);
      const writer = WriteBehind.fromEnvironment();
      try {
        const results = paths.map((target) =>
          writer.replace({
            target,
            content: encoder.encode(setting),
            ownership: { mode: 0o755, uid: null, gid: null },
          })
        );
        await Promise.all(results);
        const later = results.map((r, i) => [i, r !== undefined] as const).filter(([, l]) => l);
        assertEquals(
          later.map(([i]) => i),
          setting === "off" ? [] : paths.slice(WORKER_AFTER).map((_, i) => WORKER_AFTER + i),
          setting,
        );
        assertEquals(await Deno.readTextFile(paths.at(-1)!), setting);
      } finally {
        writer.close();
      }
    }
  } finally {
    Deno.env.delete("CHALK_TS_WRITE_BEHIND");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("WriteBehind: slow writes start the worker early when the walk has much ahead", async () => {
  const dir = await Deno.makeTempDir({ prefix: "chalk-write-behind-" });
  try {
    const paths = await scripts(dir, WORKER_AFTER + 8);
    // slowMs 0: every write counts as slow; Infinity: none does.
    for (
      const [slowMs, ahead, onThisThread] of [
        [0, WORKER_AHEAD, WORKER_EARLY],
        [0, WORKER_AHEAD - 1, WORKER_AFTER],
        [Infinity, WORKER_AHEAD * 10, paths.length],
      ] as const
    ) {
      const writer = new WriteBehind(WORKER_AFTER, false, slowMs);
      writer.lookAhead(() => ahead);
      try {
        const results = paths.map((target) =>
          writer.replace({
            target,
            content: encoder.encode(`${slowMs} ${ahead}`),
            ownership: { mode: 0o755, uid: null, gid: null },
          })
        );
        await Promise.all(results);
        const here = results.findIndex((r) => r !== undefined);
        assertEquals(here === -1 ? results.length : here, onThisThread, `${slowMs} ${ahead}`);
        assert(results.slice(onThisThread).every((r) => r !== undefined));
        assertEquals(await Deno.readTextFile(paths.at(-1)!), `${slowMs} ${ahead}`);
      } finally {
        writer.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
