/**
 * Configuration files that are not con4m text (issue 13, item 3): a NUL byte,
 * invalid UTF-8, megabytes of binary, an endless device. Refused with the
 * byte offset and exit code 2 by `load`, `--config-file` and the `chalk.c4m`
 * search alike; `load` leaves the program byte-identical.
 */
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { join } from "node:path";
import { errorLines, privateChalk, run, sandbox, sha256sum } from "./_chalk.ts";

const enc = new TextEncoder();

/** [file name, content, the reason the one error line gives after the file's name]. */
const FILES: [string, Uint8Array, RegExp][] = [
  [
    "nul.c4m",
    new Uint8Array([...enc.encode("x := 1 "), 0, ...enc.encode(" garbage !!! {{{\n")]),
    /: binary data \(a NUL byte at offset 7\), not con4m text$/,
  ],
  [
    "latin1.c4m",
    new Uint8Array([
      ...enc.encode('sink_config f {\n  sink: "file"\n  filename: "caf'),
      0xe9,
      ...enc.encode('.log"\n}\n'),
    ]),
    /: not UTF-8 text \(invalid byte at offset 47\)$/,
  ],
  [
    "garbage.c4m",
    crypto.getRandomValues(new Uint8Array(65536)).map((b) => b === 0 ? 1 : b),
    /: not UTF-8 text \(invalid byte at offset \d+\)$/,
  ],
];

Deno.test("load, --config-file and chalk.c4m refuse NUL and invalid UTF-8 with the offset", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    for (const [name, bytes, reason] of FILES) {
      const path = join(box.work, name);
      await Deno.writeFile(path, bytes);
      const loaded = await run(chalk, ["load", path], { cwd: box.work, env: box.env });
      assertEquals(loaded.code, 2, `load ${name}: ${loaded.stderr}`);
      assertEquals(errorLines(loaded.stderr).length, 1, loaded.stderr);
      assertMatch(errorLines(loaded.stderr)[0], new RegExp(`^error: ${path}${reason.source}`));
      assertEquals(await sha256sum(chalk), pristine, `load ${name}: program untouched`);

      const flagged = await box.chalk(["version", "--config-file", path]);
      assertEquals(flagged.code, 2, `--config-file ${name}: ${flagged.stderr}`);
      assertMatch(errorLines(flagged.stderr)[0], new RegExp(`^error: ${path}${reason.source}`));
      assert(!/\n\s+at /.test(flagged.stderr), "no stack trace");

      const home = join(box.home, "chalk.c4m");
      await Deno.writeFile(home, bytes);
      const found = await box.chalk(["version"]);
      assertEquals(found.code, 2, `~/chalk.c4m ${name}: ${found.stderr}`);
      assertMatch(errorLines(found.stderr)[0], new RegExp(`^error: ${home}${reason.source}`));
      await Deno.remove(home);
    }
  } finally {
    await box.cleanup();
  }
});

Deno.test("50 MB of binary and an endless device are refused at the size cap", async () => {
  const box = await sandbox();
  try {
    const chalk = await privateChalk(box.work);
    const pristine = await sha256sum(chalk);
    const big = join(box.work, "big.bin");
    using file = await Deno.open(big, { write: true, create: true });
    const block = crypto.getRandomValues(new Uint8Array(65536));
    for (let i = 0; i < 800; i++) await file.write(block);
    for (const source of [big, "/dev/zero"]) {
      const started = performance.now();
      const loaded = await run(chalk, ["load", source], { cwd: box.work, env: box.env });
      assertEquals(loaded.code, 2, loaded.stderr);
      assertMatch(
        errorLines(loaded.stderr)[0],
        new RegExp(`${source}: larger than the 1 MiB a configuration may have`),
      );
      const flagged = await box.chalk(["version", "--config-file", source]);
      assertEquals(flagged.code, 2, flagged.stderr);
      assertMatch(errorLines(flagged.stderr)[0], /larger than the 1 MiB a configuration may have/);
      assert(performance.now() - started < 20_000, `${source}: bounded time`);
    }
    assertEquals(await sha256sum(chalk), pristine);
  } finally {
    await box.cleanup();
  }
});
