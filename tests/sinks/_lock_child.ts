/**
 * Another chalk process for the lock tests.
 *
 * `hold <file> <content>`: takes an OS lock on <file>, writes <content> into it (an old-style
 * lock names its holder's pid; a pid from another container's namespace is absent here),
 * prints `locked` and holds the lock until killed.
 *
 * `count <path> <times>`: <times> times, under `withFileLock(<path>)`, reads the number in
 * <path>, yields, and writes it back plus one.
 */
import { withFileLock } from "../../sinks/_file_lock.ts";

const [mode, path, arg] = Deno.args;
if (mode === "hold") {
  const file = await Deno.open(path, { read: true, write: true, create: true });
  await file.lock(true);
  await file.write(new TextEncoder().encode(`${arg}\n`));
  console.log("locked");
  setInterval(() => {}, 60_000); // held until killed
} else {
  for (let i = 0; i < Number(arg); i++) {
    await withFileLock(path, 30_000, async () => {
      const n = Number(await Deno.readTextFile(path).catch(() => "0"));
      await new Promise((r) => setTimeout(r, 1));
      await Deno.writeTextFile(path, String(n + 1));
    });
  }
}
