/** The report cache's lock is the kernel's (issue 13, item 8): a live holder is never broken. */
import { assert, assertEquals, assertStrictEquals } from "../_assert.ts";
import { LockTimeoutError, withFileLock } from "../../sinks/_file_lock.ts";
import { fromFileUrl } from "./_paths.ts";
import { tempDir } from "./_support.ts";

const CHILD = fromFileUrl(new URL("./_lock_child.ts", import.meta.url));
/** No process can have this pid (above Linux's pid_max): a pid of another pid namespace. */
const FOREIGN_PID = "999999999";

/** Starts a process that holds an OS lock on `file`, which names `content`; resolves once held. */
async function holder(file: string, content: string): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", CHILD, "hold", file, content],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const { value } = await reader.read();
  reader.releaseLock();
  assertEquals(new TextDecoder().decode(value).trim(), "locked");
  return child;
}

Deno.test("withFileLock never breaks a live holder whose lock names a pid absent here", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/chalk-reports.jsonl`;
  const child = await holder(`${path}.lock`, FOREIGN_PID);
  try {
    let ran = false;
    const started = performance.now();
    const e = await withFileLock(path, 800, () => {
      ran = true;
      return Promise.resolve();
    }).catch((x) => x);
    assert(e instanceof LockTimeoutError, `the lock was taken from a live holder: ${e}`);
    assertStrictEquals(ran, false);
    assert(performance.now() - started >= 800, "waited for the whole timeout");
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  // The kernel freed the lock with its holder: the next taker does not wait.
  const started = performance.now();
  assertEquals(await withFileLock(path, 5000, () => Promise.resolve("taken")), "taken");
  assert(performance.now() - started < 1000, "a dead holder's lock is free at once");
  assertEquals([...Deno.readDirSync(dir.path)], [], "the lock file is gone");
});

Deno.test("withFileLock excludes 6 processes × 40 read-modify-writes: no update lost", async () => {
  await using dir = await tempDir();
  const counter = `${dir.path}/counter`;
  const runs = await Promise.all([...Array(6).keys()].map(() =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", CHILD, "count", counter, "40"],
      stderr: "piped",
    }).output()
  ));
  for (const r of runs) assertStrictEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  assertEquals(await Deno.readTextFile(counter), "240");
  assertEquals([...Deno.readDirSync(dir.path)].map((e) => e.name), ["counter"]);
});
