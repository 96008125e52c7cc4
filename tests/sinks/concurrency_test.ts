import { assertEquals, assertStrictEquals } from "../_assert.ts";
import { fromFileUrl } from "./_paths.ts";
import { tempDir } from "./_support.ts";
import { TestServer } from "../server/_server.ts";

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
  for (const r of results) assertStrictEquals(r.code, 0, new TextDecoder().decode(r.stderr));
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
  assertStrictEquals(lines.pop(), "");
  assertStrictEquals(lines.length, PROCESSES);
  assertEquals(idsOf(lines), [...Array(PROCESSES).keys()]);
  for (const line of lines) {
    const id = JSON.parse(line)[0].id;
    assertStrictEquals(
      line,
      `[ ${JSON.stringify({ id, pad: String(id).padStart(64 * 1024, "x") })} ]`,
    );
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
  assertStrictEquals(cached.length, PROCESSES);
  assertEquals(
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
  assertEquals(ids, [...Array(2 * PROCESSES).keys()]);
  assertStrictEquals(await Deno.stat(cachePath).then(() => true, () => false), false);
});

Deno.test("report cache gives a killed run's claimed reports to the next run", async () => {
  await using dir = await tempDir();
  const cachePath = `${dir.path}/chalk-reports.jsonl`;
  const server = new TestServer();
  const { promise: release, resolve: unblock } = Promise.withResolvers<void>();
  server.responder = async (req) => {
    // While `hang` holds, requests from the doomed run never get an answer.
    if (JSON.parse(req.body)[0].id === 2) await release;
    return new Response("");
  };
  await server.start();
  const uri = server.url;
  await server.stop();
  try {
    // Run 1: the server is down, report 1 is cached.
    await runChildren((i) => ["post", uri, String(1000 + i), "1", cachePath]).catch(() => {});
    const before = (await Deno.readTextFile(cachePath)).split("\n").filter((l) => l).length;
    assertStrictEquals(before, PROCESSES);
    await server.start();
    // Run 2 claims all of them, sends them with its report 2, and is killed mid-request.
    const doomed = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", CHILD, "post", uri, "2", "1", cachePath],
      stdout: "null",
      stderr: "null",
    }).spawn();
    while (server.received.length === 0) await new Promise((r) => setTimeout(r, 10));
    doomed.kill("SIGKILL");
    await doomed.status;
    assertStrictEquals(await Deno.stat(cachePath).then(() => true, () => false), false);
    // Run 3 adopts the dead run's journal and delivers what it had claimed.
    await runOne(["post", uri, "3", "1", cachePath]);
    const delivered = server.received.slice(1).flatMap((r) =>
      JSON.parse(r.body).map((x: { id: number }) => x.id)
    );
    assertEquals(delivered.sort((a: number, b: number) => a - b), [
      3,
      ...[...Array(PROCESSES).keys()].map((i) => 1000 + i),
    ]);
    assertEquals([...Deno.readDirSync(dir.path)].map((e) => e.name), []);
  } finally {
    unblock();
    await server.stop();
  }
});

async function runOne(args: string[]): Promise<void> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CHILD, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertStrictEquals(r.code, 0, new TextDecoder().decode(r.stderr));
}
