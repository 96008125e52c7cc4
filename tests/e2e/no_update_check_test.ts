/**
 * Deno looks for a newer release of itself (a DNS lookup of dl.deno.land,
 * then a request) in a run that lasts over ~0.5 s; chalk's bundle starts Deno
 * with the check off (internal/quiet_deno.ts), and the variables its shebang
 * sets for that never reach a workload.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { CHALK, run, sandbox } from "./_chalk.ts";

async function hasStrace(): Promise<boolean> {
  try {
    return (await new Deno.Command("strace", { args: ["-V"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/** DNS queries (connects to port 53) made by `script` run through its shebang, under strace. */
async function dnsConnects(script: string, env: Record<string, string>): Promise<number> {
  const trace = `${script}.strace`;
  const r = await run("strace", ["-f", "-e", "trace=connect", "-o", trace, script], { env });
  assertEquals(r.code, 0, r.stderr);
  return (await Deno.readTextFile(trace)).split("\n").filter((l) => l.includes("htons(53)"))
    .length;
}

Deno.test("the bundle's prologue turns Deno's update check off", async () => {
  if (!(await hasStrace())) {
    console.log("skipped: strace is not installed (it shows the DNS lookup of the check)");
    return;
  }
  const sb = await sandbox();
  try {
    // The sh prologue that starts Deno (scripts/sh_prologue.ts), up to its closing `*/`.
    const text = await Deno.readTextFile(CHALK);
    const prologue = text.slice(0, text.indexOf("\n*/\n") + 4);
    assert(prologue.includes("DENO_NO_UPDATE_CHECK=1"), prologue);
    const body = "await new Promise((r) => setTimeout(r, 1500));\n";
    const quiet = join(sb.work, "quiet");
    const plain = join(sb.work, "plain");
    await Deno.writeTextFile(quiet, `${prologue}${body}`, { mode: 0o755 });
    await Deno.writeTextFile(plain, `#!/usr/bin/env -S deno run -A --ext=js\n${body}`, {
      mode: 0o755,
    });
    // Control: without the variable, Deno looks the release server up.
    if (await dnsConnects(plain, sb.env) === 0) {
      console.log("skipped: Deno made no update check here even without the variable");
      return;
    }
    assertEquals(await dnsConnects(quiet, sb.env), 0);
  } finally {
    await sb.cleanup();
  }
});

Deno.test("the shebang's variables stay out of a workload's environment", async () => {
  const sb = await sandbox();
  try {
    const r = await sb.chalk(["exec", "--", "/usr/bin/env"]);
    assertEquals(r.code, 0, r.stderr);
    assert(r.stdout.includes("HOME="), r.stdout);
    assert(!/DENO_NO_UPDATE_CHECK|CHALK_TS_QUIET_DENO/.test(r.stdout), r.stdout);
  } finally {
    await sb.cleanup();
  }
});
