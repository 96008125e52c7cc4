/**
 * The workload gets its arguments and environment exactly as chalk got them, bytes that are
 * not UTF-8 included (docs/exec.md), in both modes, through the built program.
 */
import { assertEquals } from "../_assert.ts";
import { CHALK, sandbox } from "../e2e/_chalk.ts";
import { workloadArgv, workloadEnvBytes } from "../../exec/workload.ts";

const enc = new TextEncoder();
/** "café" in Latin-1: 0xE9 is no UTF-8. */
const LATIN1 = [0x63, 0x61, 0x66, 0xe9];

for (const mode of [[], ["--chalk-as-parent"]]) {
  const name = mode.length ? "as parent" : "default mode";
  Deno.test(`exec (${name}) passes a Latin-1 argument and variable on byte for byte`, async () => {
    const sb = await sandbox();
    try {
      // sh builds the bytes: Deno's own arguments are strings.
      const script = 'LATIN=$(printf "caf\\351") exec "$0" exec "$@" -- /bin/sh -c ' +
        `'printf "%s|%s" "$1" "$LATIN"' sh "$(printf "caf\\351")"`;
      const out = await new Deno.Command("sh", {
        args: ["-c", script, CHALK, ...mode],
        cwd: sb.work,
        env: sb.env,
        clearEnv: true,
      }).output();
      assertEquals(new TextDecoder().decode(out.stderr), "");
      assertEquals([...out.stdout], [...LATIN1, 0x7c, ...LATIN1]);
    } finally {
      await sb.cleanup();
    }
  });
}

Deno.test("workloadArgv takes the command line's trailing words as bytes, configured ones as text", () => {
  const raw = new Uint8Array(LATIN1);
  const argv = workloadArgv("/bin/p", ["-x", "caf\ufffd"], [
    enc.encode("deno"),
    enc.encode("p"),
    raw,
  ]);
  assertEquals(argv.map((a) => [...a]), [[...enc.encode("/bin/p")], [...enc.encode("-x")], LATIN1]);
  // A word that is not the command line's (a default argument) stays text.
  const other = workloadArgv("/bin/p", ["caf\ufffd", "z"], [raw, enc.encode("y")]);
  assertEquals(other.map((a) => new TextDecoder().decode(a)), ["/bin/p", "caf\ufffd", "z"]);
});

Deno.test("workloadEnvBytes keeps variables Deno cannot read and drops the ones chalk removed", () => {
  const latin = new Uint8Array([...enc.encode("L="), ...LATIN1]);
  const environ = [enc.encode("A=1"), latin, enc.encode("CHALK_TS_RUNTIME=[]")];
  const env = workloadEnvBytes({ A: "1", B: "2" }, environ);
  assertEquals(env.map((e) => [...e]), [[...enc.encode("A=1")], [...latin], [
    ...enc.encode("B=2"),
  ]]);
});
