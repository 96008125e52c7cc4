/** c42 spec compilation and validation. */

import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { Con4mRuntime } from "../../con4m/runtime.ts";
import { ConfigStack, type StepResult } from "../../con4m/stack.ts";

const SPEC = `
root {
  user_def_ok: false
  allow sink_config
  allow exec
  field log_level {
    type: string
    default: "info"
    choice: ["info", "warn", "error"]
  }
  field workers {
    type: int
    default: 4
    range: (1, 64)
  }
  field tags {
    type: list[string]
    require: false
    min_items: 1
    max_items: 3
  }
  field mode {
    type: string
    default: "full"
    choices: ["full"]
  }
  field secret {
    type: string
    require: false
    write_lock: true
  }
  field a {
    type: string
    require: false
  }
  field b {
    type: string
    require: false
  }
  field name {
    type: string
    require: false
    validator: func no_spaces
  }
  exclusions {
    a: "b"
  }
}

singleton exec {
  user_def_ok: false
  field rate {
    type: Duration
    default: << 10 min >>
  }
}

object sink_config {
  user_def_ok: false
  validator: func sink_check
  field sink {
    type: string
    require: true
  }
  field enabled {
    type: bool
    default: true
  }
}

func no_spaces(path, v: string) {
  result := ""
  if v.contains(" ") { return path + " may not contain spaces" }
}

func sink_check(path) {
  result := ""
  if attr_get(path + ".sink", string) == "bad" { return "sink 'bad' is not allowed" }
}
`;

async function stackWithSpec(spec = SPEC): Promise<ConfigStack> {
  const stack = new ConfigStack();
  const r = await stack.loadSpec(spec, "test.c42spec");
  assert(r.ok, r.errors.map(String).join("\n"));
  return stack;
}

async function config(text: string, check: "full" | "defaults" = "full"): Promise<StepResult> {
  const stack = await stackWithSpec();
  return await stack.loadConfig(text, "c.c4m", { check });
}

function messages(r: StepResult): string {
  return r.errors.map((e) => e.message).join("\n");
}

Deno.test("spec validation fills defaults into present singletons and the root", async () => {
  const stack = await stackWithSpec();
  const r = await stack.loadConfig("exec { }\n", "c.c4m");
  assert(r.ok, messages(r));
  const rt = new Con4mRuntime(stack);
  assertEquals(rt.getString("log_level"), "info");
  assertEquals(rt.getInt("workers"), 4n);
  assertEquals(rt.getInt("exec.rate"), 600_000_000n);
});

Deno.test("spec validation does not create missing singletons", async () => {
  const stack = await stackWithSpec();
  await stack.loadConfig("workers: 2\n", "c.c4m");
  assertEquals(new Con4mRuntime(stack).hasSection("exec"), false);
});

Deno.test("spec validation reports a required field of an object instance", async () => {
  const r = await config("sink_config out { enabled: false }\n");
  assert(!r.ok);
  assertMatch(messages(r), /Required attribute 'sink' is missing/);
  assertEquals(r.errors[0].phase, "validate");
  assertEquals(r.errors[0].line, 0);
});

Deno.test("spec validation checks types, ranges, choices and item counts", async () => {
  assertMatch(messages(await config('workers: "many"\n')), /Wrong type for 'workers'/);
  assertMatch(
    messages(await config("workers: 100\n")),
    /Value '100' is outside of allowed range: 1 \.\. 64/,
  );
  assertMatch(
    messages(await config('log_level: "loud"\n')),
    /not one of the valid choices: info, warn, error/,
  );
  assertMatch(messages(await config('mode: "partial"\n')), /not one of the valid choices: full/);
  assertMatch(messages(await config("tags: []\n")), /at least 1/);
  assertMatch(messages(await config('tags: ["a", "b", "c", "d"]\n')), /no more than 3/);
  assert((await config('tags: ["a"]\nmode: "full"\n')).ok);
});

Deno.test("spec validation rejects unknown fields when user_def_ok is false", async () => {
  const r = await config("surprise: 1\n");
  assertMatch(messages(r), /Unknown field for a root section: surprise/);
});

Deno.test("spec validation refuses a singleton where an object is expected", async () => {
  const r = await config('sink_config { sink: "x" }\n');
  assertMatch(messages(r), /Cannot have a singleton for section type: 'sink_config'/);
});

Deno.test("spec validation enforces exclusions", async () => {
  const r = await config('a: "x"\nb: "y"\n');
  assertMatch(messages(r), /'a' can't appear alongside 'b'|'b' can't appear alongside 'a'/);
});

Deno.test("spec validation runs field and section validators from the spec", async () => {
  assertMatch(messages(await config('name: "has space"\n')), /name may not contain spaces/);
  assertMatch(
    messages(await config('sink_config s { sink: "bad" }\n')),
    /When checking sink_config\.s: sink 'bad' is not allowed/,
  );
  assert((await config('name: "nospace"\nsink_config s { sink: "ok" }\n')).ok);
});

Deno.test("spec validation runs final_check() from the spec", async () => {
  const stack = await stackWithSpec(
    SPEC +
      '\nfunc final_check() {\n  result := ""\n  if attr_exists("a") { return "no a please" }\n}\n',
  );
  const r = await stack.loadConfig('a: "x"\n', "c.c4m");
  assertMatch(messages(r), /In post execution check, at top-level: no a please/);
});

Deno.test("spec validation in defaults mode only fills defaults", async () => {
  const r = await config("surprise: 1\nsink_config s { }\n", "defaults");
  assert(r.ok, messages(r));
});

Deno.test("write_lock fields cannot be changed by a later layer", async () => {
  const stack = await stackWithSpec();
  assert((await stack.loadConfig('secret: "one"\n', "1.c4m")).ok);
  const r = await stack.loadConfig('secret: "two"\n', "2.c4m");
  assert(!r.ok);
  assertMatch(messages(r), /2\.c4m:1:1: secret: attribute is locked and can't be set/);
  assert((await stack.loadConfig('secret: "one"\n', "3.c4m")).ok);
});

Deno.test("spec definition errors are reported", async () => {
  const bad = async (field: string): Promise<string> => {
    const stack = new ConfigStack();
    const r = await stack.loadSpec(
      `root {\n  user_def_ok: false\n  field f {\n${field}\n  }\n}\n`,
      "bad.c42spec",
    );
    assert(!r.ok);
    return messages(r);
  };
  assertMatch(await bad("type: int\ndefault: 1\nrequire: true"), /alongside|require' and 'default/);
  assertMatch(await bad("type: int"), /Required attribute|one of 'require' or 'default'/);
  assertMatch(
    await bad("type: int\ndefault: 1\nrange: (0, 5)\nchoice: [1, 2]"),
    /multiple constraint/,
  );
  assertMatch(
    await bad("type: float\ndefault: 1.0\nchoice: [1, 2]"),
    /Choice field must have type/,
  );
});

Deno.test("spec files are validated against the meta-spec", async () => {
  const stack = new ConfigStack();
  const r = await stack.loadSpec("root { user_def_ok: true }\nbogus { }\n", "m.c42spec");
  assertMatch(messages(r), /Unknown field for a root section: bogus/);
});

Deno.test("type pointer fields take their type from a sibling field", async () => {
  const spec = `
root {
  user_def_ok: false
  allow keyspec
}
object keyspec {
  user_def_ok: false
  field type {
    type: typespec
    require: true
  }
  field value {
    type: "type"
    require: false
  }
}
`;
  const stack = await stackWithSpec(spec);
  assert((await stack.loadConfig('keyspec A { type: string\n value: "x" }\n', "1.c4m")).ok);
  const r = await stack.loadConfig("keyspec B { type: string\n value: 3 }\n", "2.c4m");
  assertMatch(messages(r), /Wrong type for value/);
});

Deno.test("stack_limit locks a field once that many runs completed", async () => {
  const spec = `
root {
  user_def_ok: false
  field early {
    type: int
    default: 1
    stack_limit: 2
  }
}
`;
  const stack = await stackWithSpec(spec);
  assert((await stack.loadConfig("early: 2\n", "1.c4m")).ok);
  assert((await stack.loadConfig("early: 3\n", "2.c4m")).ok);
  const r = await stack.loadConfig("early: 4\n", "3.c4m");
  assertMatch(messages(r), /3\.c4m:1:1: early: attribute is locked/);
});
