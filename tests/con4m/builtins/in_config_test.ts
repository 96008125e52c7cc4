/**
 * The builtins as con4m programs see them: parsed signatures, overload resolution,
 * method-call style, static types for `$`/`typeof`, and runtime errors, through the real
 * checker and evaluator (`ConfigStack`).
 */
import { assert, assertEquals, assertStrictEquals } from "../../_assert.ts";
import { ConfigStack } from "../../../con4m/stack.ts";
import { Con4mRuntime } from "../../../con4m/runtime.ts";

async function run(
  src: string,
): Promise<{ rt: Con4mRuntime; stderr: string[]; errors: string[] }> {
  const stderr: string[] = [];
  const stack = new ConfigStack({ hooks: { writeStderr: (t) => void stderr.push(t) } });
  const r = await stack.loadConfig(src, "t.c4m");
  return { rt: new Con4mRuntime(stack), stderr, errors: r.errors.map((e) => e.message) };
}

Deno.test("string builtins work in functions and method-call style", async () => {
  const { rt, errors } = await run(`
id: slice("0123456789abcdef0123", 0, 8)
trimmed: "dir/".slice(0, -1)
joined: split("x:y:z", ":").join("-")
pos: "_X_KEY".find("_X_")
up: upper(strip("  a "))
has: contains("docker build", "build")
n: len("é")
func shortid(v: string) {
  return slice(v, 0, 4)
}
short: shortid("abcdefghij")
`);
  assertEquals(errors, []);
  assertStrictEquals(rt.find("id"), "01234567");
  assertStrictEquals(rt.find("trimmed"), "dir");
  assertStrictEquals(rt.find("joined"), "x-y-z");
  assertStrictEquals(rt.find("pos"), 0n);
  assertStrictEquals(rt.find("up"), "A");
  assertStrictEquals(rt.find("has"), true);
  assertStrictEquals(rt.find("n"), 2n);
  assertStrictEquals(rt.find("short"), "abcd");
});

Deno.test("list and dict builtins copy and compare deeply", async () => {
  const { rt, errors } = await run(`
d := {"k": 1}
d2 := set(d, "j", 2)
before: len(keys(d))
after: len(keys(d2))
j: get(d2, "j")
text: $(d2)
path: array_add(split("/bin:/usr/bin", ":"), ["."])
same: [1, 2] == [1, 2]
member: contains(["a", "b"], "b")
sliced: slice([1, 2, 3, 4], 1, -1)
`);
  assertEquals(errors, []);
  assertStrictEquals(rt.find("before"), 1n);
  assertStrictEquals(rt.find("after"), 2n);
  assertStrictEquals(rt.find("j"), 2n);
  assertStrictEquals(rt.find("text"), '{"k" : 1, "j" : 2}');
  assertEquals(rt.find("path"), ["/bin", "/usr/bin", "."]);
  assertStrictEquals(rt.find("same"), true);
  assertStrictEquals(rt.find("member"), true);
  assertEquals(rt.find("sliced"), [2n, 3n]);
});

Deno.test("typed builtins see static types: $, typeof, echo, to_json", async () => {
  const { rt, stderr, errors } = await run(`
d := {"k": 1}
same_type: typecmp(typeof(d), to_type("dict[string, int]"))
dur: <<3 sec>>
dur_text: $(dur)
json: to_json(parse_json("{\\"n\\": [1, 2.5]}"))
echo("hi", "there")
`);
  assertEquals(errors, []);
  assertStrictEquals(rt.find("same_type"), true);
  assertStrictEquals(rt.find("dur_text"), "3 secs");
  assertStrictEquals(rt.find("json"), '{"n":[1,2.5]}');
  assertEquals(stderr, ["hi there\n"]);
});

Deno.test("a builtin failure is reported as a runtime error with a position", async () => {
  const { errors } = await run(`
d := {"k": 1}
x: get(d, "missing")
`);
  assertStrictEquals(errors.length, 1);
  assert(errors[0].includes('dict key "missing" not found'), errors[0]);
  assert(errors[0].startsWith("t.c4m:3:"), errors[0]);
});
