/** ops/config_probe.ts: which configuration texts a run would load, found without con4m. */
import { assertEquals } from "../_assert.ts";
import { join } from "node:path";
import { mentions, probeConfigTexts } from "../../ops/config_probe.ts";

Deno.test("mentions finds a name as a whole word only", () => {
  assertEquals(mentions('docker_exe: "/x"\n', ["docker_exe"]), true);
  assertEquals(mentions('x = set_env("PATH", "/y")', ["set_env"]), true);
  assertEquals(mentions("my_docker_exe_2: 1", ["docker_exe"]), false);
  assertEquals(mentions("docker.wrap_entrypoint: true", ["docker_exe", "set_env"]), false);
});

Deno.test("probeConfigTexts: the embedded text, then --config-file or the first chalk.c4m", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const bundle = join(dir, "chalk");
    const mark = '{ "MAGIC" : "dadfedabbadabbed", "$CHALK_CONFIG" : "log_level: \\"trace\\"\\n" }';
    await Deno.writeTextFile(bundle, `#!/usr/bin/env -S deno run\nconsole.log(1)\n// ${mark}\n`);
    const self = { path: bundle, kind: "bundle" as const };
    const home = join(dir, "home");
    await Deno.mkdir(home);
    assertEquals(await probeConfigTexts(self, { home }), ['log_level: "trace"\n']);
    assertEquals(await probeConfigTexts(self, { home, useEmbeddedConfig: false }), []);
    await Deno.writeTextFile(join(home, "chalk.c4m"), "color: true\n");
    assertEquals(await probeConfigTexts(self, { home }), ['log_level: "trace"\n', "color: true\n"]);
    const file = join(dir, "given.c4m");
    await Deno.writeTextFile(file, "recursive: false\n");
    assertEquals(
      await probeConfigTexts(self, { home, configFile: file, useEmbeddedConfig: false }),
      [
        "recursive: false\n",
      ],
    );
    assertEquals(
      await probeConfigTexts(self, { home, configFile: join(dir, "missing.c4m") }),
      undefined,
    );
    assertEquals(await probeConfigTexts({ path: bundle, kind: "compiled" }, { home }), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
