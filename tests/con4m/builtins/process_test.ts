import { assertEquals, assertStrictEquals } from "../../_assert.ts";
import { shellQuote } from "../../../con4m/builtins/process.ts";
import { Con4mDict } from "../../../con4m/values.ts";
import { callSync } from "./_call.ts";

Deno.test("run merges stdout and stderr and ignores the exit code", () => {
  assertStrictEquals(callSync("run", "func(string) -> string", ["echo mars"]), "mars\n");
  assertStrictEquals(
    callSync("run", "func(string) -> string", ["echo out; echo err 1>&2; exit 3"]),
    "out\nerr\n",
  );
});

Deno.test("run uses the host's cwd", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const out = callSync("run", "func(string) -> string", ["pwd"], { host: { cwd: () => dir } });
    assertStrictEquals(out, `${Deno.realPathSync(dir)}\n`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("system returns the output and the exit code", () => {
  assertEquals(
    callSync("system", "func(string) -> tuple[string, int]", ["printf hi; exit 7"]),
    ["hi", 7n],
  );
  const [out, code] = callSync("system", "func(string) -> tuple[string, int]", [
    "if then",
  ]) as [string, bigint];
  assertStrictEquals(code, 2n);
  assertStrictEquals(/syntax error/i.test(out), true);
});

Deno.test("quote makes strings safe for sh", () => {
  assertStrictEquals(shellQuote("plain/path-1.txt"), "plain/path-1.txt");
  assertStrictEquals(shellQuote(""), "''");
  const tricky = `it's a "test" $HOME; rm -rf /`;
  const quoted = callSync("quote", "func(string) -> string", [tricky]) as string;
  assertStrictEquals(callSync("run", "func(string) -> string", [`printf %s ${quoted}`]), tricky);
});

Deno.test("echo prints $-formatted arguments separated by spaces to stderr", () => {
  const lines: string[] = [];
  const host = { writeStderr: (t: string) => void lines.push(t) };
  callSync("echo", "func(*`a)", ["a", ["b"], new Con4mDict([["k", 1n]])], {
    host,
    types: ["string", "list[string]", "dict[string, int]"],
  });
  assertEquals(lines, ['a ["b"] {"k" : 1}\n']);
});

Deno.test("abort prints the message and exits with status 1", () => {
  const lines: string[] = [];
  let code: number | undefined;
  const host = {
    writeStderr: (t: string) => void lines.push(t),
    exit: (c: number): never => {
      code = c;
      throw new Error("exited");
    },
  };
  try {
    callSync("abort", "func(string)", ["fatal config"], { host });
  } catch (e) {
    assertStrictEquals((e as Error).message, "exited");
  }
  assertEquals(lines, ["fatal config\n"]);
  assertStrictEquals(code, 1);
});

Deno.test("abort really ends a process with status 1", async () => {
  const script = `
    import { builtin } from "${new URL("./_call.ts", import.meta.url).href}";
    import { defaultHostHooks } from "${
    new URL("../../../con4m/builtins/mod.ts", import.meta.url).href
  }";
    builtin("abort", "func(string)").impl(["bye"], { argTypes: [], host: defaultHostHooks() });
    console.log("not reached");
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertStrictEquals(out.code, 1);
  assertStrictEquals(new TextDecoder().decode(out.stderr), "bye\n");
  assertStrictEquals(new TextDecoder().decode(out.stdout), "");
});
