import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { fromFileUrl } from "./_paths.ts";
import { tempDir, TestServer } from "./_support.ts";

const CHILD = fromFileUrl(new URL("./_publish_child.ts", import.meta.url));
const PROCESSES = 16;

async function runChildren(args: (i: number) => string[]): Promise<void> {
  const results = await Promise.all(
    [...Array(PROCESSES).keys()].map((i) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--quiet", CHILD, ...args(i)],
        stdout: "piped",
        stderr: "piped",
      }).output()
    ),
  );
  for (const r of results) strictEqual(r.code, 0, new TextDecoder().decode(r.stderr));
}

function idsOf(lines: string[]): number[] {
  return lines.flatMap((l) => JSON.parse(l).map((r: { id: number }) => r.id)).sort((a, b) => a - b);
}

Deno.test("file sink keeps 16 concurrent processes' reports as 16 whole lines", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chalk.log`;
  // 64 KiB lines: far beyond a pipe buffer, so interleaving would show.
  await runChildren((i) => ["file", path, String(i), String(64 * 1024)]);
  const lines = (await Deno.readTextFile(path)).split("\n");
  strictEqual(lines.pop(), "");
  strictEqual(lines.length, PROCESSES);
  deepStrictEqual(idsOf(lines), [...Array(PROCESSES).keys()]);
  for (const line of lines) {
    const id = JSON.parse(line)[0].id;
    strictEqual(line, `[ ${JSON.stringify({ id, pad: String(id).padStart(64 * 1024, "x") })} ]`);
  }
});

Deno.test("report cache neither loses nor duplicates entries of 16 concurrent runs", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const server = new TestServer();
  await server.start();
  const uri = server.url;
  await server.stop();
  // 16 runs fail at once: 16 entries, each whole.
  await runChildren((i) => ["post", uri, String(i), "10", cachePath]);
  const cached = (await Deno.readTextFile(cachePath)).split("\n").filter((l) => l);
  strictEqual(cached.length, PROCESSES);
  deepStrictEqual(
    cached.map((l) => JSON.parse(JSON.parse(l)["$message"])[0].id).sort((a, b) => a - b),
    [...Array(PROCESSES).keys()],
  );
  // 16 more runs succeed at once: each cached report is claimed by exactly one of them.
  await server.start();
  try {
    await runChildren((i) => ["post", uri, String(PROCESSES + i), "10", cachePath]);
  } finally {
    await server.stop();
  }
  const ids = idsOf(server.received.map((r) => r.body));
  deepStrictEqual(ids, [...Array(2 * PROCESSES).keys()]);
  strictEqual(await Deno.stat(cachePath).then(() => true, () => false), false);
});
