/**
 * `chalk completions bash|zsh|fish` as users install them: each script is loaded by its own
 * shell, registered for `chalk` (`complete -p` in bash), and completes commands, options
 * and option values.
 */
import { join } from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { run, type Sandbox, sandbox } from "./_chalk.ts";

async function hasShell(name: string): Promise<boolean> {
  return (await run("sh", ["-c", `command -v ${name}`])).code === 0;
}

async function script(box: Sandbox, shell: string): Promise<string> {
  const r = await box.chalk(["completions", shell]);
  assertEquals(r.code, 0, r.stderr);
  const path = join(box.work, `chalk.${shell}`);
  await Deno.writeTextFile(path, r.stdout);
  return path;
}

/** What bash's completion function offers for the words typed (the last one is completed). */
async function bashComplete(file: string, typed: string[], box: Sandbox): Promise<string[]> {
  const words = typed.map((w) => `'${w}'`).join(" ");
  const r = await run("bash", [
    "-c",
    `source '${file}'; COMP_WORDS=(${words}); COMP_CWORD=${typed.length - 1}; _chalk; ` +
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ], { env: box.env, cwd: box.work });
  assertEquals(r.code, 0, r.stderr);
  return r.stdout.split("\n").filter((l) => l !== "");
}

Deno.test("chalk completions bash: sourced, `complete -p chalk` shows it registered", async () => {
  const box = await sandbox();
  try {
    const file = await script(box, "bash");
    const r = await run("bash", ["-c", `source '${file}' && complete -p chalk`], { env: box.env });
    assertEquals(r.code, 0, r.stderr);
    assertEquals(r.stdout.trim(), "complete -o default -F _chalk chalk");
  } finally {
    await box.cleanup();
  }
});

Deno.test("chalk completions bash completes commands, per-command options and choices", async () => {
  const box = await sandbox();
  try {
    const file = await script(box, "bash");
    assertEquals(await bashComplete(file, ["chalk", "ins"], box), ["insert"]);
    assertEquals(await bashComplete(file, ["chalk", "--none", "ex"], box), ["extract", "exec"]);
    assertEquals(await bashComplete(file, ["chalk", "insert", "--mark-t"], box), [
      "--mark-template",
    ]);
    // extract has no --mark-template
    assertEquals(await bashComplete(file, ["chalk", "extract", "--mark-t"], box), []);
    assertEquals(await bashComplete(file, ["chalk", "--log-level", "w"], box), [
      "warn",
      "warning",
    ]);
    assertEquals(await bashComplete(file, ["chalk", "completions", "--he"], box), ["--help"]);
    assertEquals(await bashComplete(file, ["chalk", "help", "dum"], box), ["dump"]);
    await Deno.writeTextFile(join(box.work, "artifact.bin"), "x");
    assertEquals(await bashComplete(file, ["chalk", "insert", "artif"], box), ["artifact.bin"]);
    // completions takes a shell, never a file (even with a file of that name here)
    await Deno.writeTextFile(join(box.work, "bashrc"), "x");
    assertEquals(await bashComplete(file, ["chalk", "completions", ""], box), [
      "bash",
      "zsh",
      "fish",
    ]);
    assertEquals(await bashComplete(file, ["chalk", "completions", "b"], box), ["bash"]);
    // After an alias (`environment` for `env`) as after the name: it completed nothing.
    assertEquals(await bashComplete(file, ["chalk", "environment", "--report-t"], box), [
      "--report-template",
    ]);
  } finally {
    await box.cleanup();
  }
});

Deno.test({
  name: "chalk completions zsh: valid zsh, registered for chalk by compdef",
  ignore: !(await hasShell("zsh")),
  fn: async () => {
    const box = await sandbox();
    try {
      const file = await script(box, "zsh");
      const syntax = await run("zsh", ["-n", file]);
      assertEquals(syntax.code, 0, syntax.stderr);
      const r = await run("zsh", [
        "-f",
        "-c",
        `autoload -U compinit && compinit -u -D && source '${file}' && print -r -- \${_comps[chalk]}`,
      ], { env: box.env, cwd: box.work });
      assertEquals(r.code, 0, r.stderr);
      assertEquals(r.stdout.trim(), "_chalk");
    } finally {
      await box.cleanup();
    }
  },
});

Deno.test({
  name: "chalk completions fish: fish completes commands, options and choices",
  ignore: !(await hasShell("fish")),
  fn: async () => {
    const box = await sandbox();
    try {
      const file = await script(box, "fish");
      const syntax = await run("fish", ["-n", file]);
      assertEquals(syntax.code, 0, syntax.stderr);
      const complete = async (line: string) => {
        const r = await run("fish", ["-N", "-c", `source '${file}'; complete -C '${line}'`], {
          env: box.env,
          cwd: box.work,
        });
        assertEquals(r.code, 0, r.stderr);
        return r.stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0]);
      };
      assertEquals(await complete("chalk ins"), ["insert"]);
      assert((await complete("chalk insert --mark")).includes("--mark-template"));
      const levels = await complete("chalk --log-level ");
      assert(levels.includes("trace") && levels.includes("none"), levels.join(" "));
      await Deno.writeTextFile(join(box.work, "bashrc"), "x");
      assertEquals((await complete("chalk completions ")).sort(), ["bash", "fish", "zsh"]);
      assertEquals(await complete("chalk completions b"), ["bash"]);
      assert((await complete("chalk environment --report-t")).includes("--report-template"));
    } finally {
      await box.cleanup();
    }
  },
});
