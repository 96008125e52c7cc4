/** Runs every whole-command benchmark script in bench/, one after the other. */
const here = new URL(".", import.meta.url);
for await (const entry of Deno.readDir(here)) {
  if (!entry.name.endsWith("_bench.ts") || entry.name === "run_all.ts") continue;
  const text = await Deno.readTextFile(new URL(entry.name, here));
  const isDenoBench = text.includes("Deno.bench(");
  console.log(`\n## ${entry.name}`);
  const args = isDenoBench
    ? ["bench", "-A", new URL(entry.name, here).pathname]
    : ["run", "-A", new URL(entry.name, here).pathname];
  await new Deno.Command(Deno.execPath(), { args, stdout: "inherit", stderr: "inherit" }).output();
}
