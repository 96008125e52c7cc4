/** The exec spool: claim, release and adoption of jobs left by dead reporters. */
import { join } from "node:path";
import { assertEquals } from "../_assert.ts";
import {
  adoptOrphans,
  claimJob,
  releaseJob,
  spoolDir,
  spoolJob,
  UNCLAIMED_GRACE_MS,
} from "../../exec/spool.ts";
import { readProcStat } from "../../collectors/process.ts";

async function withSpool(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "chalk_spool_" });
  try {
    await fn(spoolDir(home)!);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

function names(dir: string): string[] {
  return [...Deno.readDirSync(dir)].map((e) => e.name).sort();
}

Deno.test("spoolJob writes a private file that claimJob renames to this process", async () => {
  await withSpool((dir) => {
    const path = spoolJob(dir, "ab12", '{"x":1}')!;
    assertEquals(Deno.statSync(path).mode! & 0o777, 0o600);
    assertEquals(Deno.statSync(dir).mode! & 0o777, 0o700);
    const claimed = claimJob(dir, "ab12")!;
    assertEquals(names(dir), [`ab12.${Deno.pid}.${readProcStat(Deno.pid)!.startTicks}.claimed`]);
    assertEquals(claimJob(dir, "ab12"), undefined);
    releaseJob(claimed);
    assertEquals(names(dir), []);
  });
});

Deno.test("adoptOrphans takes dead claims and stale jobs, and leaves live ones", async () => {
  await withSpool(async (dir) => {
    spoolJob(dir, "01", "fresh");
    spoolJob(dir, "02", "stale");
    const old = new Date(Date.now() - UNCLAIMED_GRACE_MS - 1000);
    Deno.utimeSync(join(dir, "02.job"), old, old);
    // A claim by a process that has exited, and one by this live process.
    const gone = new Deno.Command("true").spawn();
    await gone.status;
    Deno.writeTextFileSync(join(dir, `03.${gone.pid}.1.claimed`), "dead claimer");
    spoolJob(dir, "04", "live claimer");
    claimJob(dir, "04");
    const adopted = adoptOrphans(dir).map((o) => o.text).sort();
    assertEquals(adopted, ["dead claimer", "stale"]);
    const ticks = readProcStat(Deno.pid)!.startTicks;
    assertEquals(names(dir), [
      "01.job",
      `02.${Deno.pid}.${ticks}.claimed`,
      `03.${Deno.pid}.${ticks}.claimed`,
      `04.${Deno.pid}.${ticks}.claimed`,
    ]);
    // What this live process holds is not adopted again.
    assertEquals(adoptOrphans(dir), []);
  });
});

Deno.test("spoolDir is undefined without a home", () => {
  assertEquals(spoolDir(""), undefined);
  assertEquals(spoolDir("/h"), "/h/.local/chalk/exec-pending");
});
