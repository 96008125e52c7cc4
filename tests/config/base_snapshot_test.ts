/** The committed base snapshot is current, restores quickly, and equals a fresh compile. */

import * as path from "node:path";
import { assert, assertEquals } from "../_assert.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { newChalkHostEnv, restoreBaseStack } from "../../config/base_snapshot.ts";
import {
  BASE_SNAPSHOT,
  BASE_SPEC,
  BASE_SUBSCRIPTIONS,
  BASE_TEMPLATE_KEYS,
  BASE_VALIDATION,
} from "../../config/base_snapshot.generated.ts";
import { ChalkConfig } from "../../config/chalk_config.ts";
import { loadChalkConfig } from "../../config/load_config.ts";
import {
  compileBaseSnapshot,
  GENERATED_PATH,
  generatedModuleText,
  USER_LAYER_TEMPLATES,
} from "../../scripts/base_config.ts";

Deno.test("compileBaseSnapshot matches the committed base_snapshot.generated.ts (run `deno task base-config` if not)", async () => {
  const snap = await compileBaseSnapshot();
  const committed = await Deno.readTextFile(GENERATED_PATH);
  assert(
    committed === generatedModuleText(snap),
    "config/base_snapshot.generated.ts is stale: run `deno task base-config`",
  );
});

Deno.test("restoreBaseStack gives the same configuration as the compiled base", async () => {
  const snap = await compileBaseSnapshot();
  const fresh = await restoreBaseStack(newChalkHostEnv(), snap);
  const committed = await restoreBaseStack(newChalkHostEnv());
  const a = new Con4mRuntime(fresh.stack).toJson();
  const b = new Con4mRuntime(committed.stack).toJson();
  assertEquals(b, a);
  assertEquals(committed.env.subscriptions.list(), snap.subscriptions);
  assertEquals(new Con4mRuntime(committed.stack).getString("default_command"), "help");
});

Deno.test("restoreBaseStack restores the snapshot without the base sources", async () => {
  const { stack } = await restoreBaseStack(newChalkHostEnv());
  assert(stack.layers.length >= 6, "the base layers are recorded");
  for (const layer of stack.layers) assertEquals(layer.source, "");
  assert(BASE_SUBSCRIPTIONS.length > 0);
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await restoreBaseStack(newChalkHostEnv());
    times.push(performance.now() - t0);
  }
  times.sort((x, y) => x - y);
  console.log(
    `base snapshot: ${BASE_SNAPSHOT.length} bytes; restore min ${times[0].toFixed(1)} ms, ` +
      `median ${times[5].toFixed(1)} ms`,
  );
});

Deno.test("restoreBaseStack needs no file access (start-up never reads the base files)", async () => {
  const root = path.resolve(import.meta.dirname!, "../..");
  const dir = await Deno.makeTempDir({ prefix: "chalk-snapshot-test-" });
  try {
    const script = path.join(dir, "restore.ts");
    await Deno.writeTextFile(
      script,
      [
        `import { newChalkHostEnv, restoreBaseStack } from "${root}/config/base_snapshot.ts";`,
        `import { Con4mRuntime } from "${root}/con4m/runtime.ts";`,
        "const { stack } = await restoreBaseStack(newChalkHostEnv());",
        'console.log(new Con4mRuntime(stack).getString("default_command"));',
        "",
      ].join("\n"),
    );
    // No permissions at all: reading config/base/*.c4m would fail.
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-prompt", "--config", path.join(root, "deno.json"), script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout).trim();
    assertEquals(text, "help", new TextDecoder().decode(out.stderr));
    assertEquals(out.code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the base snapshot writes repeated names and types once (it is part of every start)", () => {
  // 530 KB in format 1 (a name and a type object per attribute); the bundle's every start
  // reads it, and every full-path command compiles and parses it (docs/architecture.md).
  assert(BASE_SNAPSHOT.length < 200_000, `${BASE_SNAPSHOT.length} bytes`);
  const parsed = JSON.parse(BASE_SNAPSHOT);
  assertEquals(parsed.version, 3);
  assert(parsed.names.length > 100 && parsed.types.length > 10);
  // Parsed only when first used: not inside the text every start parses.
  assertEquals([parsed.validation, parsed.spec], [undefined, undefined]);
  assert(BASE_VALIDATION.length > 10_000 && BASE_SPEC !== null && BASE_SPEC.length > 10_000);
});

Deno.test("the base snapshot's texts are ASCII (a two-byte literal compiles at half the speed)", async () => {
  for (const text of [BASE_SNAPSHOT, BASE_VALIDATION, BASE_SPEC ?? ""]) {
    assert(!/[\u0080-\uffff]/.test(text));
  }
  // What the escapes stand for is read back (the spec documents a map as "Language → prefix").
  const { stack } = await restoreBaseStack(newChalkHostEnv());
  assert(JSON.stringify(JSON.parse(BASE_SPEC!)).includes("\u2192"));
  assert(stack.spec !== undefined);
});

Deno.test("the templates written at build time are what the restored base computes", async () => {
  const restored = await restoreBaseStack(newChalkHostEnv());
  const computed = new ChalkConfig({ ...restored, layers: [] });
  const all = [...computed.templateNames("mark"), ...computed.templateNames("report")];
  const names = all.filter((n) => !USER_LAYER_TEMPLATES.has(n));
  assertEquals(Object.keys(BASE_TEMPLATE_KEYS).sort(), [...new Set(names)].sort());
  for (const name of names) {
    const written = BASE_TEMPLATE_KEYS[name];
    assertEquals(written === "" ? [] : written.split(" "), [...computed.template(name).keys], name);
  }
  assert(BASE_TEMPLATE_KEYS.insertion_default.split(" ").length > 100);
  // Left out of the build-time keys, still read from the stack (`--report-template crashoverride`).
  assert(computed.template("crashoverride").keys.has("_OPERATION"));
  assert(!computed.template("crashoverride").keys.has("_OP_ARP_TABLE"));
});

Deno.test("a configuration that changes a template is read, not the build-time keys", async () => {
  const base = await loadChalkConfig({ command: "insert", noExternalConfig: true });
  assert(base.template("insertion_default").keys.has("HASH"));
  const changed = await loadChalkConfig({
    command: "insert",
    noExternalConfig: true,
    embeddedConfig: "report_template insertion_default {\n  key.HASH.use = false\n}\n",
  });
  assertEquals(changed.template("insertion_default").keys.has("HASH"), false);
  assert(changed.template("insertion_default").keys.has("CHALK_ID"));
});
