/**
 * The fast paths look for `chalk.c4m` without loading chalk's schema, on a copy of the config
 * path's default (config/external_config.ts): it must stay what the schema says.
 */
import { assertEquals } from "../_assert.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { newChalkHostEnv, restoreBaseStack } from "../../config/base_snapshot.ts";
import { DEFAULT_CONFIG_FILENAME, DEFAULT_CONFIG_PATH } from "../../config/external_config.ts";

Deno.test("DEFAULT_CONFIG_PATH and DEFAULT_CONFIG_FILENAME are the schema's defaults", async () => {
  const { stack } = await restoreBaseStack(newChalkHostEnv());
  const rt = new Con4mRuntime(stack);
  assertEquals(rt.getStringList("config_path"), [...DEFAULT_CONFIG_PATH]);
  assertEquals(rt.getString("config_filename"), DEFAULT_CONFIG_FILENAME);
});
