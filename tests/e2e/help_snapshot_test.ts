/**
 * chalk's help texts as a user sees them (stdout, stderr and exit code of the built
 * program), compared with the snapshots under tests/snapshots/help/. After an intended
 * change: `UPDATE_SNAPSHOTS=1 deno test -A tests/e2e/help_snapshot_test.ts`, then review
 * and commit the snapshots.
 */
import { assertSnapshot } from "../_assert.ts";
import { sandbox } from "./_chalk.ts";

const COMMANDS = [
  "insert",
  "extract",
  "delete",
  "load",
  "dump",
  "docker",
  "exec",
  "version",
  "completions",
];

const CASES: { name: string; args: string[] }[] = [
  { name: "chalk", args: [] },
  { name: "help", args: ["help"] },
  { name: "--help", args: ["--help"] },
  ...COMMANDS.map((c) => ({ name: `help_${c}`, args: ["help", c] })),
  { name: "insert_--help", args: ["insert", "--help"] },
  { name: "help_help", args: ["help", "help"] },
  { name: "help_--help", args: ["help", "--help"] },
  { name: "help_nosuch", args: ["help", "nosuch"] },
  { name: "help_insret", args: ["help", "insret"] },
  { name: "insret", args: ["insret"] },
  { name: "insert_--recurive", args: ["insert", "--recurive"] },
  { name: "completions_tcsh", args: ["completions", "tcsh"] },
];

for (const c of CASES) {
  Deno.test(`chalk ${c.args.join(" ")} prints the help of tests/snapshots/help/${c.name}.txt`, async () => {
    const box = await sandbox();
    try {
      const r = await box.chalk(c.args);
      const text = [
        `$ chalk ${c.args.join(" ")}`.trimEnd(),
        `exit ${r.code}`,
        "--- stdout",
        r.stdout.trimEnd(),
        "--- stderr",
        r.stderr.trimEnd(),
        "",
      ].join("\n");
      await assertSnapshot(`help/${c.name}.txt`, text);
    } finally {
      await box.cleanup();
    }
  });
}
