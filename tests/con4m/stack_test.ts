/** Layering several configs on one attribute tree. */

import { assert, assertEquals, assertMatch } from "../_assert.ts";
import * as path from "node:path";
import { defineBuiltin } from "../../con4m/builtins/builtin_def.ts";
import { AttrAccessError, Con4mRuntime } from "../../con4m/runtime.ts";
import { ConfigStack, type StepResult, stubBuiltin } from "../../con4m/stack.ts";

function must(r: StepResult): void {
  assert(r.ok, r.errors.map(String).join("\n"));
}

Deno.test("stack lets a later layer override values and merge sections", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig('a: 1\ns { x: "one" }\n', "1.c4m"));
  must(await stack.loadConfig('a: 2\ns { y: "two" }\n', "2.c4m"));
  const rt = new Con4mRuntime(stack);
  assertEquals(rt.getInt("a"), 2n);
  assertEquals(rt.attrNames("s"), ["x", "y"]);
});

Deno.test("stack keeps attribute types across layers", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig("a: 1\n", "1.c4m"));
  const r = await stack.loadConfig('a: "text"\n', "2.c4m");
  assert(!r.ok);
  assertEquals(r.errors[0].phase, "check");
  assertMatch(r.errors[0].message, /^2\.c4m:1:1: Attribute assignment of a doesn't match/);
});

Deno.test("stack lets a later layer read attributes and call functions of earlier ones", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig("base: 20\nfunc twice(x) { return x * 2 }\n", "1.c4m"));
  must(await stack.loadConfig("derived: twice(base) + 2\n", "2.c4m"));
  assertEquals(new Con4mRuntime(stack).getInt("derived"), 42n);
});

Deno.test("stack replaces a function redefined by a later layer", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig('func label() { return "base" }\nhook: func label\n', "1.c4m"));
  must(await stack.loadConfig('func label() { return "user" }\n', "2.c4m"));
  const res = await new Con4mRuntime(stack).callCallback("hook", []);
  assertEquals(res, { found: true, value: "user" });
});

Deno.test("stack keeps exported variables and drops the others between layers", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig('kept := "k"\nexport kept\ngone := "g"\n', "1.c4m"));
  must(await stack.loadConfig("k: kept\n", "2.c4m"));
  assertEquals(new Con4mRuntime(stack).getString("k"), "k");
  const r = await stack.loadConfig("g: gone\n", "3.c4m");
  assert(!r.ok);
  assertMatch(r.errors[0].message, /Variable gone used before definition/);
});

Deno.test("stack reports several check errors of one file together", async () => {
  const stack = new ConfigStack();
  const r = await stack.loadConfig('x := 1 + "a"\ny := nosuch(1)\n', "m.c4m");
  assert(!r.ok);
  assert(r.errors.length >= 2, r.errors.map(String).join("\n"));
  assertEquals(r.errors.map((e) => e.line), [1, 2]);
});

Deno.test("stack overrides beat later config writes", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig('log_level: "info"\n', "1.c4m"));
  const rt = new Con4mRuntime(stack);
  assert(rt.setOverride("log_level", "trace"));
  must(await stack.loadConfig('log_level: "error"\n', "2.c4m"));
  assertEquals(rt.getString("log_level"), "trace");
});

Deno.test("stack host writes respect locks and create sections", async () => {
  const stack = new ConfigStack();
  const rt = new Con4mRuntime(stack);
  rt.createSection("sink_config.host");
  assert(rt.setAttr("sink_config.host.enabled", true, { lock: true }));
  assertEquals(rt.setAttr("sink_config.host.enabled", false), false);
  const r = await stack.loadConfig("sink_config host { enabled: false }\n", "u.c4m");
  assert(!r.ok);
  assertMatch(r.errors[0].message, /attribute is locked/);
  rt.lockAttr("sink_config.host.enabled");
});

Deno.test("stack runs host callbacks between layers and keeps layer sources", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig("a: 1\n", "1.c4m"));
  await stack.runCallback((s) => {
    new Con4mRuntime(s).setAttr("from_host", "yes", { type: "string" });
  });
  must(await stack.loadConfig('b: from_host + "!"\n', "2.c4m"));
  assertEquals(new Con4mRuntime(stack).getString("b"), "yes!");
  assertEquals(stack.layers.map((l) => [l.file, l.source]), [["1.c4m", "a: 1\n"], [
    "2.c4m",
    'b: from_host + "!"\n',
  ]]);
});

Deno.test("stack installs host builtins from signature strings", async () => {
  const seen: string[] = [];
  const stack = new ConfigStack();
  stack.addBuiltin(
    defineBuiltin("subscribe", "(string, string) -> bool", (a) => {
      seen.push(`${a[0]}:${a[1]}`);
      return true;
    }),
  );
  stack.addBuiltin(stubBuiltin("version() -> string"));
  must(await stack.loadConfig('ok: subscribe("report", "console")\nv: version()\n', "1.c4m"));
  assertEquals(seen, ["report:console"]);
  assertEquals(new Con4mRuntime(stack).getString("v"), "");
});

Deno.test("stack keeps a locked function from being replaced", async () => {
  const stack = new ConfigStack();
  must(await stack.loadConfig('func f() { return "a" }\n', "1.c4m"));
  stack.lockFunction("f");
  const r = await stack.loadConfig('func f() { return "b" }\n', "2.c4m");
  assert(!r.ok);
  assertMatch(r.errors[0].message, /already installed, and is locked/);
});

// --------------------------------------------------------------------------------- components

async function componentDir(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "con4m_comp_" });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(path.join(dir, name), text.replaceAll("DIR", dir));
  }
  return dir;
}

Deno.test("stack runs a used component and locks what it sets", async () => {
  const dir = await componentDir({ "comp.c4m": 'default_command: "docker"\n' });
  try {
    const stack = new ConfigStack();
    must(await stack.loadConfig(`use comp from "${dir}"\nother: 1\n`, "main.c4m"));
    const rt = new Con4mRuntime(stack);
    assertEquals(rt.getString("default_command"), "docker");
    const r = await stack.loadConfig('default_command: "help"\n', "later.c4m");
    assertMatch(r.errors[0].message, /default_command: attribute is locked/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stack detects component cycles and missing components", async () => {
  const dir = await componentDir({
    "one.c4m": 'use two from "DIR"\n',
    "two.c4m": 'use one from "DIR"\n',
  });
  try {
    const stack = new ConfigStack();
    const main = path.join(dir, "one.c4m");
    const r = await stack.loadConfig(await Deno.readTextFile(main), main, { url: main });
    assert(!r.ok);
    assertEquals(r.errors[0].phase, "component");
    assertMatch(r.errors[0].message, /Cyclical components are not allowed/);
    const r2 = await new ConfigStack().loadConfig(`use nope from "${dir}"\n`, "m.c4m");
    assertMatch(r2.errors[0].message, /Could not retrieve needed source file/);
    const r3 = await new ConfigStack().loadConfig('use x from "http://example.com"\n', "m.c4m");
    assertMatch(r3.errors[0].message, /Insecure \(http\) loads are not allowed/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("stack applies parameter defaults, supplied values and validators", async () => {
  const dir = await componentDir({
    "p.c4m": `
func check(v) {
  result := ""
  if v < 1 { return "must be positive" }
}
func compute() { return 7 }
parameter var count {
  default: 3
  validator: func check(int) -> string
}
parameter limits.max {
  default: func compute() -> int
}
parameter limits.name {
  shortdoc: "a name"
}
total: count * 2
`,
  });
  const comp = path.join(dir, "p.c4m");
  try {
    const stack = new ConfigStack();
    stack.setParameters(comp, { "limits.name": "n" });
    must(await stack.loadConfig(`use p from "${dir}"\n`, "m.c4m"));
    const rt = new Con4mRuntime(stack);
    assertEquals(rt.getInt("total"), 6n);
    assertEquals(rt.getInt("limits.max"), 7n);
    assertEquals(rt.getString("limits.name"), "n");

    const bad = new ConfigStack();
    bad.setParameters(comp, { count: 0n, "limits.name": "n" });
    const r = await bad.loadConfig(`use p from "${dir}"\n`, "m.c4m");
    assertMatch(r.errors[0].message, /must be positive/);

    const { parameters, errors } = await new ConfigStack().parameters(
      `use p from "${dir}"\n`,
      "m.c4m",
    );
    assertEquals(errors, []);
    assertEquals(parameters, [
      { component: comp, key: "count", isVar: true, default: 3n, validator: "check" },
      { component: comp, key: "limits.max", isVar: false, defaultCallback: "compute" },
      { component: comp, key: "limits.name", isVar: false, shortdoc: "a name" },
    ]);

    const unset = await new ConfigStack().loadConfig(`use p from "${dir}"\n`, "m.c4m");
    assertEquals(unset.errors[0].phase, "component");
    assertMatch(unset.errors[0].message, /Component not configured/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("runtime typed accessors check types and convert sections", async () => {
  const stack = new ConfigStack();
  must(
    await stack.loadConfig(
      `name: "svc"
port: 8080
tags: ["a", "b"]
headers: {"X-A": "1"}
sink_config out {
  enabled: true
  rate: << 2 sec >>
  nested { deep: 1.5 }
}
`,
      "c.c4m",
    ),
  );
  const rt = new Con4mRuntime(stack);
  assertEquals(rt.getStringList("tags"), ["a", "b"]);
  assertEquals(rt.getStringDict("headers"), { "X-A": "1" });
  assertEquals(rt.findString("absent"), undefined);
  let err: unknown;
  try {
    rt.getBool("name");
  } catch (e) {
    err = e;
  }
  assert(err instanceof AttrAccessError);
  assertMatch(err.message, /^name: expected a bool, got string$/);
  const sec = rt.getSection<{ enabled: boolean; rate: bigint; nested: { deep: number } }>(
    "sink_config.out",
  );
  assertEquals(sec, { enabled: true, rate: 2_000_000n, nested: { deep: 1.5 } });
  assertEquals(rt.toJson("sink_config"), {
    out: { enabled: true, rate: 2000000, nested: { deep: 1.5 } },
  });
});
